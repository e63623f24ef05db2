// Renders page bodies on demand (storage / view / export_view) and keeps recent ones, keyed by page version. Include
// macros render the source page for the reader at request time: the source changes, and its visibility differs per
// reader, without a new version of the page that includes it. So do Page Properties Reports, whose rows are pages.
import { buildBlocks, type Block, type PageTarget } from './content';
import { matchesCql, parseCql } from './cql';
import type { Mode } from './links';
import { isPage, type SimMacro, type SimNode, type SimPage } from './model';
import { type ReportRow, viewMacro } from './render/lateMacros';
import { renderStorage } from './render/storage';
import { macroWrapper, renderView, type ViewContext } from './render/view';
import { Rng } from './rng';
import type { SimSite } from './site';

/** view: what a browser is sent (late macros as placeholders); export_view: the server renders them in full. */
export type BodyFormat = 'storage' | 'view' | 'export_view';

/**
 * The body representations the APIs serve, by name, and how each is rendered. styled_view is rendered as
 * export_view: the spec caps both alike as the costly ones (unverified beyond that).
 */
export const REPRESENTATIONS: Readonly<Record<string, BodyFormat>> = {
  storage: 'storage',
  view: 'view',
  export_view: 'export_view',
  styled_view: 'export_view',
};

/** Where Jira issue links point on Data Center: its linked Jira, another application (Cloud's is on the site). */
const DC_JIRA = 'https://jira.example.com';

const CACHE_LIMIT = 2000;

type IncludeBlock = Extract<Block, { kind: 'include' }>;
type Details = Extract<SimMacro, { macro: 'details' }>;

export class BodyRenderer {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly site: SimSite,
    private readonly seed: number,
    private readonly mode: Mode,
    private readonly origin: string,
    /** Base path written into links: /wiki on Cloud, the context path on Data Center. */
    private readonly basePath: string,
  ) {}

  /** The body as `readerId` sees it (folders, whiteboards, databases and embeds have none). */
  render(node: SimNode, format: BodyFormat, readerId: string): string {
    if (!isPage(node)) return '';
    const page = node;
    // Bodies that show other pages are rendered per request: what they show is not fixed by their own version.
    const shared = !page.includes?.length && !page.attachmentLinks?.length && !page.macros?.length;
    const key = `${page.id}:${page.version.number}:${format}`;
    const cached = shared ? this.cache.get(key) : undefined;
    if (cached !== undefined) return cached;
    const blocks = this.blocks(page);
    const value =
      format === 'storage'
        ? renderStorage(blocks, (n) => this.macroId(page, n))
        : renderView(blocks, this.viewContext(page, blocks, format, readerId));
    if (!shared) return value;
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, value);
    return value;
  }

  private viewContext(page: SimPage, blocks: Block[], format: BodyFormat, readerId: string): ViewContext {
    return {
      mode: this.mode,
      origin: this.origin,
      basePath: this.basePath,
      page,
      include: (block) => this.include(block, readerId, format),
      late: (block) =>
        viewMacro(block.macro, {
          mode: this.mode,
          rendering: format === 'export_view' ? 'export' : 'view',
          basePath: this.basePath,
          jiraBase: this.mode === 'cloud' ? this.origin : DC_JIRA,
          seed: this.seed,
          pageId: page.id,
          readerId,
          macroId: this.macroId(page, blocks.indexOf(block)),
          reportRows: (cql) => this.reportRows(cql, readerId),
        }),
    };
  }

  /**
   * The pages a Page Properties Report lists for a reader: pages with Page Properties that match its CQL and that the
   * reader may see, by title.
   */
  private reportRows(cql: string, readerId: string): ReportRow[] {
    const query = parseCql(cql);
    const properties = (p: SimPage) => (p.macros ?? []).filter((m): m is Details => m.macro === 'details');
    return this.site.pages
      .filter((p) => p.type === 'page' && p.status === 'current' && properties(p).length > 0)
      .filter((p) => this.site.canView(readerId, p.id) && matchesCql(query, p, this.site))
      .sort((a, b) => a.title.localeCompare(b.title))
      .map((p) => ({ page: this.target(p), properties: properties(p).flatMap((m) => m.properties) }));
  }

  private blocks(page: SimPage): Block[] {
    return buildBlocks(this.seed, { page, linkTargets: this.linkTargets(page), embeds: this.embeds(page) });
  }

  /**
   * The included page's body (Include Page) or its excerpt (Excerpt Include), rendered with the reader's rights. A
   * reader who may not see the source gets the error Confluence renders for a missing page: it does not tell "hidden"
   * from "gone".
   */
  private include(block: IncludeBlock, readerId: string, format: BodyFormat): string {
    const source = this.site.page(block.source.id);
    if (!source || !this.site.canView(readerId, source.id))
      return (
        `<div class="error"><span class="error">Unable to render {${block.macro}}</span> ` +
        'The included page could not be found.</div>'
      );
    if (block.macro === 'include') return macroWrapper('include', false, this.render(source, format, readerId));
    const blocks = this.blocks(source);
    const excerpt = blocks.find((b) => b.kind === 'excerpt');
    const html = excerpt
      ? renderView(
          [{ kind: 'paragraph', inlines: excerpt.inlines }],
          this.viewContext(source, blocks, format, readerId),
        )
      : '';
    return macroWrapper('excerpt-include', false, html);
  }

  /** Include macros and links to other pages' attachments, as blocks; those whose target is gone are left out. */
  private embeds(page: SimPage): Block[] {
    const links: Block[] = (page.attachmentLinks ?? []).flatMap((id) => {
      const attachment = this.site.attachment(id);
      const container = attachment && this.site.page(attachment.pageId);
      return attachment && container ? [{ kind: 'attachmentLink', attachment, container: this.target(container) }] : [];
    });
    const includes: Block[] = (page.includes ?? []).map((inc) => {
      const source = this.site.page(inc.sourcePageId);
      return {
        kind: 'include',
        macro: inc.macro,
        source: source
          ? this.target(source)
          : { id: inc.sourcePageId, title: '', type: 'page', createdAt: '', spaceKey: '' },
      };
    });
    const macros: Block[] = (page.macros ?? []).map((macro) => ({ kind: 'macro', macro }));
    return [...links, ...includes, ...macros];
  }

  private target(page: SimPage): PageTarget {
    const space = this.site.space(page.spaceId)!;
    return { id: page.id, title: page.title, type: page.type, createdAt: page.createdAt, spaceKey: space.key };
  }

  private linkTargets(page: SimPage): PageTarget[] {
    // A handful of neighbours is enough for links; scanning the whole space per body would be quadratic.
    const parent = page.parentId ? this.site.page(page.parentId) : undefined;
    const neighbours = [...this.site.children(page.id), ...(parent ? [parent] : [])];
    return neighbours.filter((p): p is SimPage => p.type === 'page').map((p) => this.target(p));
  }

  private macroId(page: SimPage, n: number): string {
    const rng = Rng.derive(this.seed, `macro:${page.id}:${page.version.number}:${n}`);
    return `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`;
  }
}
