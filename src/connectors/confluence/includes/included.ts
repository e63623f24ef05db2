// Text another page lends a page. Confluence renders an included page (Include Page, Excerpt Include) into the body
// with the ingest account's rights, so that text may be readable by fewer people than the page that shows it. Each
// include whose page is found becomes a region (core/document.ts) whose elements carry the intersection of the
// permissions of every page on the way down; so does a Page Properties Report, with the permissions of every page its
// rows show. One that cannot be resolved, and every other macro that shows pages found by a rule, is taken out of the
// body and reported.
import { Element as HtmlElement, type Document } from 'domhandler';
import render from 'dom-serializer';
import { appendChild, removeElement, replaceElement } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { REGION_ATTRIBUTE } from '../../../core/document';
import type { LeftOut } from '../../../core/leftOut';
import type { PageRef } from '../client/types';
import { reportContainer, reportTables, rowPageIds } from '../lateMacros/reports';
import type { ResolvedPermissions } from '../permissions';
import { AGGREGATING_MACROS, INCLUDE_MACROS, macroName, otherPageWrappers, storageIncludes } from './macros';
import type { StorageInclude } from './macros';

export interface IncludeTarget {
  spaceKey: string;
  title: string;
}

export interface IncludedPage {
  ref: PageRef;
  storage: string;
}

/** What resolving includes needs from the site; the Confluence client's in sources.ts. */
export interface IncludeSources {
  /** The page's storage format; undefined when it cannot be read. */
  storageOf(page: PageRef): Promise<string | undefined>;
  /** The pages found, by targetKey; a page absent is not found or not visible to the ingest account. */
  find(targets: IncludeTarget[]): Promise<Map<string, IncludedPage>>;
  /** The pages of these ids, by id; a page absent is not found or not visible to the ingest account. */
  pagesById(ids: string[]): Promise<Map<string, PageRef>>;
  /** Undefined when the policy (--on-permission-error skip|omit) leaves them unread. */
  permissionsOf(page: PageRef): Promise<ResolvedPermissions | undefined>;
  intersect(a: ResolvedPermissions, b: ResolvedPermissions): Promise<ResolvedPermissions>;
}

export interface IncludedRegion {
  /** The included pages, outermost first. */
  chain: string[];
  permissions: ResolvedPermissions;
}

export interface IncludedContent {
  html: string;
  regions: Map<string, IncludedRegion>;
  /** The intersection of the page's and every region's: for elements whose text cannot be told apart. */
  narrowest: ResolvedPermissions;
  leftOut: LeftOut[];
}

/** An include inside included content is one more level; Confluence itself stops rendering a little deeper. */
const MAX_DEPTH = 8;

export function targetKey({ spaceKey, title }: IncludeTarget): string {
  return `${spaceKey}:${title}`;
}

interface Host {
  ref: PageRef;
  storage?: string;
  permissions: ResolvedPermissions;
  chain: string[];
}

/** The body with its includes resolved or taken out; undefined when it shows no other page's content. */
export async function includedContent(
  html: string,
  page: PageRef,
  own: ResolvedPermissions,
  sources: IncludeSources,
): Promise<IncludedContent | undefined> {
  const doc = parseDocument(html);
  const wrappers = otherPageWrappers(doc.children);
  if (wrappers.length === 0 && reportTables(doc.children).length === 0) return undefined;
  const walk = new IncludeWalk(doc, wrappers, page, sources);
  await walk.resolve({ ref: page, permissions: own, chain: [] });
  await walk.resolveReports(own);
  let narrowest = own;
  for (const region of walk.regions.values()) narrowest = await sources.intersect(narrowest, region.permissions);
  return {
    html: render(walk.doc, { encodeEntities: 'utf8' }),
    regions: walk.regions,
    narrowest,
    leftOut: walk.leftOut,
  };
}

class IncludeWalk {
  readonly regions = new Map<string, IncludedRegion>();
  readonly leftOut: LeftOut[] = [];
  private readonly includes: HtmlElement[];

  constructor(
    readonly doc: Document,
    wrappers: HtmlElement[],
    private readonly page: PageRef,
    private readonly sources: IncludeSources,
  ) {
    for (const w of wrappers) {
      if (AGGREGATING_MACROS.has(macroName(w)!) && this.attached(w) && !isReport(w))
        this.leave(w, `${macroName(w)} macro`, 'it shows pages it finds by a rule, whose permissions it does not name');
    }
    this.includes = wrappers.filter((w) => INCLUDE_MACROS.has(macroName(w)!) && this.attached(w));
  }

  /** The includes shown directly by `host` (the page, or an included page's wrapper), then theirs. */
  async resolve(host: Host, hostWrapper?: HtmlElement, depth = 0): Promise<void> {
    const level = this.includes.filter((w) => this.attached(w) && this.enclosingInclude(w) === hostWrapper);
    if (level.length === 0) return;
    const where = `page ${host.ref.id}`;
    if (depth >= MAX_DEPTH) {
      for (const w of level) this.leave(w, describe(w), `includes nested deeper than ${MAX_DEPTH} levels`);
      return;
    }
    const storage = host.storage ?? (await this.sources.storageOf(host.ref));
    if (storage === undefined) {
      for (const w of level) this.leave(w, describe(w), `the storage format of ${where} is unreadable`);
      return;
    }
    const macros = matchMacros(level, storageIncludes(storage));
    const targets = macros.map((m) => m?.target && { spaceKey: m.target.spaceKey ?? host.ref.spaceKey, ...m.target });
    const found = await this.sources.find(dedupe(targets.filter((t): t is IncludeTarget => t !== undefined)));
    const pages = targets.map((t) => (t ? found.get(targetKey(t)) : undefined));
    const permissions = await Promise.all(pages.map((p) => (p ? this.sources.permissionsOf(p.ref) : undefined)));
    for (const [i, w] of level.entries()) {
      const target = targets[i];
      const included = pages[i];
      const grants = permissions[i];
      const name = target ? `${macroName(w)} of ${targetKey(target)}` : describe(w);
      if (!macros[i]) this.leave(w, name, `its macro is not in the storage format of ${where}`);
      else if (!target) this.leave(w, name, 'it names no page (only includes of pages are resolved)');
      else if (!included) this.leave(w, name, 'the included page is not found or not visible to the ingest account');
      else if ([this.page.id, ...host.chain].includes(included.ref.id))
        this.leave(w, name, `page ${included.ref.id} includes itself`);
      else if (!grants) this.leave(w, name, `the permissions of included page ${included.ref.id} are unreadable`);
      else {
        const chain = [...host.chain, included.ref.id];
        const combined = await this.sources.intersect(host.permissions, grants);
        this.mark(w, { chain, permissions: combined });
        await this.resolve({ ...included, permissions: combined, chain }, w, depth + 1);
      }
    }
  }

  /**
   * Each Page Properties Report with rows: its text is the pages' the rows show, so it becomes a region with the
   * permissions of the page (or included page) that shows it and of every page it lists.
   */
  async resolveReports(own: ResolvedPermissions): Promise<void> {
    for (const table of reportTables(this.doc.children)) {
      if (!this.attached(table)) continue;
      const ids = rowPageIds(table);
      if (ids === undefined) this.leave(reportContainer(table), REPORT, 'a row of it names no page');
      else if (ids.length > 0) await this.resolveReport(table, ids, this.hostOf(table, own));
    }
  }

  private async resolveReport(table: HtmlElement, ids: string[], host: IncludedRegion): Promise<void> {
    const container = reportContainer(table);
    const pages = await this.sources.pagesById([...new Set(ids)]);
    const missing = ids.find((id) => !pages.has(id));
    if (missing) return this.leave(container, REPORT, `the page of a row, ${missing}, is not found or not visible`);
    const grants = await Promise.all(ids.map((id) => this.sources.permissionsOf(pages.get(id)!)));
    const unreadable = ids.find((_, i) => !grants[i]);
    if (unreadable)
      return this.leave(container, REPORT, `the permissions of the page of a row, ${unreadable}, are unreadable`);
    let permissions = host.permissions;
    for (const g of grants) permissions = await this.sources.intersect(permissions, g!);
    this.mark(container === table ? asBlock(table) : container, { chain: [...host.chain, ...ids], permissions });
  }

  /** The region a node lies in (the innermost), or the page's own permissions outside every region. */
  private hostOf(node: HtmlElement, own: ResolvedPermissions): IncludedRegion {
    for (let p = node.parent; p && p !== this.doc; p = p.parent) {
      const name = (p as HtmlElement).attribs[REGION_ATTRIBUTE];
      if (name !== undefined) return this.regions.get(name)!;
    }
    return { chain: [], permissions: own };
  }

  /** A block of its own: the partitioner cannot tell apart text of a region that runs into the text around it. */
  private mark(w: HtmlElement, region: IncludedRegion): void {
    const name = `include-${this.regions.size + 1}`;
    w.name = 'div';
    w.attribs[REGION_ATTRIBUTE] = name;
    this.regions.set(name, region);
  }

  private leave(w: HtmlElement, name: string, reason: string): void {
    removeElement(w);
    this.leftOut.push({ name, reason: `left out: ${reason}` });
  }

  private attached(node: HtmlElement): boolean {
    let n: HtmlElement['parent'] = node;
    while (n && n !== this.doc) n = n.parent;
    return n === this.doc;
  }

  private enclosingInclude(w: HtmlElement): HtmlElement | undefined {
    for (let p = w.parent; p && p !== this.doc; p = p.parent) {
      if (this.includes.includes(p as HtmlElement)) return p as HtmlElement;
    }
    return undefined;
  }
}

/**
 * Each wrapper's macro in the storage: by the macro id the view repeats; without ids, by position, when the view shows
 * exactly the storage's includes (an excerpt shows a part of its page's, and then only ids tell them apart).
 */
function matchMacros(wrappers: HtmlElement[], macros: StorageInclude[]): Array<StorageInclude | undefined> {
  const byId = new Map(macros.filter((m) => m.macroId).map((m) => [m.macroId!, m]));
  const ids = wrappers.map((w) => w.attribs['data-macro-id']);
  if (ids.every((id) => id !== undefined && byId.has(id))) return ids.map((id) => byId.get(id!));
  if (macros.length === wrappers.length && macros.every((m, i) => m.name === macroName(wrappers[i]!))) return macros;
  return ids.map((id) => (id === undefined ? undefined : byId.get(id)));
}

const REPORT = 'detailssummary macro';

/** A report's wrapper that holds its table: resolved by its rows, not left out as a rule-found listing. */
function isReport(w: HtmlElement): boolean {
  return macroName(w) === 'detailssummary' && reportTables(w.children).length > 0;
}

/** A table in a div of its own, so that it can be a region. */
function asBlock(table: HtmlElement): HtmlElement {
  const block = new HtmlElement('div', {});
  replaceElement(table, block);
  appendChild(block, table);
  return block;
}

function dedupe(targets: IncludeTarget[]): IncludeTarget[] {
  return [...new Map(targets.map((t) => [targetKey(t), t])).values()];
}

function describe(w: HtmlElement): string {
  const id = w.attribs['data-macro-id'];
  return `${macroName(w)} macro${id ? ` ${id}` : ''}`;
}
