// Renders page bodies on demand (storage / view) and keeps recent ones, keyed by page version. Include macros render
// the source page for the reader at request time: the source changes, and its visibility differs per reader, without
// a new version of the page that includes it.
import { buildBlocks, type Block, type PageTarget } from './content';
import type { Mode } from './links';
import { isPage, type SimNode, type SimPage } from './model';
import { renderStorage } from './render/storage';
import { macroWrapper, renderView } from './render/view';
import { Rng } from './rng';
import type { SimSite } from './site';

export type BodyFormat = 'storage' | 'view';

const CACHE_LIMIT = 2000;

type IncludeBlock = Extract<Block, { kind: 'include' }>;

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
    const shared = !page.includes?.length && !page.attachmentLinks?.length;
    const key = `${page.id}:${page.version.number}:${format}`;
    const cached = shared ? this.cache.get(key) : undefined;
    if (cached !== undefined) return cached;
    const blocks = this.blocks(page);
    const value =
      format === 'storage'
        ? renderStorage(blocks, (n) => this.macroId(page, n))
        : renderView(blocks, {
            mode: this.mode,
            origin: this.origin,
            basePath: this.basePath,
            page,
            include: (block) => this.include(block, readerId),
          });
    if (!shared) return value;
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, value);
    return value;
  }

  private blocks(page: SimPage): Block[] {
    return buildBlocks(this.seed, { page, linkTargets: this.linkTargets(page), embeds: this.embeds(page) });
  }

  /**
   * The included page's body (Include Page) or its excerpt (Excerpt Include), rendered with the reader's rights. A
   * reader who may not see the source gets the error Confluence renders for a missing page: it does not tell "hidden"
   * from "gone".
   */
  private include(block: IncludeBlock, readerId: string): string {
    const source = this.site.page(block.source.id);
    if (!source || !this.site.canView(readerId, source.id))
      return (
        `<div class="error"><span class="error">Unable to render {${block.macro}}</span> ` +
        'The included page could not be found.</div>'
      );
    if (block.macro === 'include') return macroWrapper('include', false, this.render(source, 'view', readerId));
    const excerpt = this.blocks(source).find((b) => b.kind === 'excerpt');
    const html = excerpt
      ? renderView([{ kind: 'paragraph', inlines: excerpt.inlines }], {
          mode: this.mode,
          origin: this.origin,
          basePath: this.basePath,
          page: source,
          include: (inner) => this.include(inner, readerId),
        })
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
    return [...links, ...includes];
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
