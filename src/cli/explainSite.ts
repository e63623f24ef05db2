// `explain --ask-site`: what the site says of a page now, as the ingest account sees it, and what that means beside
// the checkpoint and the last report. Reading the site is one function; the lines made of it are pure.
import type { CheckpointRecord } from '../checkpoint';
import {
  type AncestorRef,
  type ConfluenceClient,
  cqlString,
  type PageRef,
  type Principal,
  type TreeItemInSpace,
} from '../connectors/confluence/client';
import { filterByLabels, type LabelFilter } from '../connectors/confluence/labelFilter';
import type { RunReport } from '../pipeline/activities/report';
import { notIngestedReason } from '../pipeline/progress';
import type { Candidate, TitleTarget } from './explainTarget';

/** A page or an ancestor of it that only some may view. */
export interface ViewRestriction {
  id: string;
  title?: string;
  read: Principal[];
}

export interface SiteView {
  /** Who the site was asked as: a user name, never a secret. */
  who: string;
  /** The page or blog post, when the account can see one of that id. */
  page?: PageRef;
  /** Cloud: the folder, whiteboard, database or embed of that id, when no page has it. */
  item?: TreeItemInSpace;
  /** Root first, titled where the site gave a title. */
  ancestors: AncestorRef[];
  /** Those of its ancestors and itself (last) that restrict who may view them. */
  restricted: ViewRestriction[];
}

/** A page, its ancestors and their view restrictions: 3 requests and one per ancestor (none for an unseen id). */
export async function readSite(client: ConfluenceClient, id: string): Promise<Omit<SiteView, 'who'>> {
  const [page] = (await client.getPagesByIds([id])).found;
  if (!page) return { item: await client.getTreeItem?.(id), ancestors: [], restricted: [] };
  const ancestors = page.contentType === 'blogpost' ? [] : await titled(client, await client.getAncestors(id));
  const chain = [...ancestors, { id, title: page.title }];
  const read = await Promise.all(chain.map(async (a) => ({ ...a, read: (await client.getRestrictions(a.id)).read })));
  return { page, ancestors, restricted: read.filter((r) => r.read.length > 0) };
}

/** Cloud gives ancestors' ids alone: their titles come from one more read (a folder's stays unknown). */
async function titled(client: ConfluenceClient, ancestors: AncestorRef[]): Promise<AncestorRef[]> {
  const untitled = ancestors.filter((a) => a.title === undefined).map((a) => a.id);
  if (untitled.length === 0) return ancestors;
  const titles = new Map((await client.getPagesByIds(untitled)).found.map((p) => [p.id, p.title]));
  return ancestors.map((a) => ({ ...a, ...(titles.has(a.id) ? { title: titles.get(a.id) } : {}) }));
}

/** The pages and blog posts of that title (in that space, when given) the account can see. */
export async function siteTitleCandidates(client: ConfluenceClient, target: TitleTarget): Promise<Candidate[]> {
  const space = target.spaceKey ? ` and space = ${cqlString(target.spaceKey)}` : '';
  const { items } = await client.search(`title = ${cqlString(target.title)}${space}`, { limit: 25 });
  return items.map((p) => ({ id: p.id, spaceKey: p.spaceKey }));
}

export interface SiteContext {
  record?: CheckpointRecord;
  report?: RunReport;
  /** The label filter given to explain, as the ingest takes it (lower case). */
  filter: LabelFilter;
}

/** The site's answer in a few lines, then what it means for the output ("so: ..."). */
export function siteLines(id: string, view: SiteView, ctx: SiteContext): string[] {
  const now = `the site now, as ${view.who}:`;
  if (view.item) return [`${now} ${itemLine(view.item)}`, `so: ${itemVerdict(view.item, ctx)}`];
  if (!view.page)
    return [
      `${now} ${id} is not visible to this account: restricted from it, or deleted (Confluence answers both alike)`,
      `so: ${hiddenVerdict(ctx)}`,
    ];
  const { page } = view;
  const leftOut = labelVerdict(page, ctx.filter);
  const under = view.ancestors.length > 0 ? `, under ${view.ancestors.map(named).join(' > ')}` : '';
  const lines = [
    `${now} ${page.contentType ?? 'page'} ${named(page)} in space ${page.spaceKey}, version ${page.version}${under}`,
    restrictionLine(view.restricted, page.id),
    `labels: ${page.labels?.length ? page.labels.join(', ') : 'none'}${leftOut.line}`,
  ];
  const verdict = leftOut.reason ? 'a run with these label filters leaves it out' : pageVerdict(page, ctx);
  return verdict ? [...lines, `so: ${verdict}`] : lines;
}

function named(a: { id: string; title?: string }): string {
  return a.title === undefined ? a.id : `${a.id} "${a.title}"`;
}

function itemLine(item: TreeItemInSpace): string {
  const a = item.type === 'embed' ? 'an' : 'a';
  return `${item.id} is ${a} ${item.type} "${item.title}" in space ${item.spaceKey}, not a page`;
}

/**
 * A folder is never ingested; a whiteboard, database or embed is not while the last run's report counts its type as not
 * ingested in its space (--content-types left it out).
 */
function itemVerdict(item: TreeItemInSpace, { record, report }: SiteContext): string {
  const space = report?.spaces.find((s) => s.key === item.spaceKey);
  if (item.type === 'folder' || (space?.notIngested?.[item.type] ?? 0) > 0) return notIngestedReason(item.type);
  if (record) return `the output holds it, as a document of its metadata (${item.type} in --content-types)`;
  return (
    unwrittenVerdict(item, report) ??
    `the account sees it: a run that selects it with ${item.type} in --content-types ingests it`
  );
}

function restrictionLine(restricted: ViewRestriction[], pageId: string): string {
  if (restricted.length === 0) return "not view-restricted: its space's permissions decide who sees it";
  const who = (r: ViewRestriction) => {
    const users = r.read.filter((p) => p.type === 'user').length;
    const counts = [counted(users, 'user'), counted(r.read.length - users, 'group')];
    return counts.filter(Boolean).join(' and ');
  };
  const each = restricted.map((r) =>
    r.id === pageId ? `itself, to ${who(r)}` : `through ancestor ${named(r)}, to ${who(r)}`,
  );
  return `view-restricted ${each.join('; ')}: only who passes every restriction (and the space) sees it`;
}

function counted(n: number, what: string): string {
  return n === 0 ? '' : `${n} ${what}${n === 1 ? '' : 's'}`;
}

function labelVerdict(page: PageRef, filter: LabelFilter): { line: string; reason?: string } {
  if (filter.labels.length === 0 && filter.excludeLabels.length === 0)
    return { line: ' (give the run’s --labels/--exclude-labels to check them)' };
  const [out] = filterByLabels([page], filter).filteredOut;
  return out ? { line: `; ${out.reason}`, reason: out.reason } : { line: '; the label filters given keep it' };
}

function hiddenVerdict({ record }: SiteContext): string {
  return record
    ? 'the next run will not list it: its outputs are then kept granting no one (--delete-missing removes them)'
    : 'no run as this account can ingest it: grant the account view of the page, its ancestors and its space, ' +
        'or check the id';
}

function pageVerdict(page: PageRef, { record, report }: SiteContext): string | undefined {
  if (record && page.version > record.version)
    return (
      `the site has version ${page.version} and the output version ${record.version}: ` +
      'the next run ingests it again'
    );
  if (record) return page.version === record.version ? 'the output holds its current version' : undefined;
  if (page.contentType === 'blogpost' && report && !listedBlogPosts(report))
    return 'blog posts are ingested only with --include-blogposts';
  const unwritten = unwrittenVerdict(page, report);
  if (unwritten) return unwritten;
  if (report && page.createdAt && Date.parse(page.createdAt) > Date.parse(report.finishedAt))
    return 'it was made after the last run: the next run ingests it';
  return 'the account sees it: the next run that selects it ingests it';
}

/** Of content the output does not hold, of a type the run ingests: what the last run's report says of it. */
function unwrittenVerdict(
  { id, spaceKey }: { id: string; spaceKey: string },
  report: RunReport | undefined,
): string | undefined {
  if (report?.failures.some((f) => f.id === id)) return 'the next run tries it again';
  if (report && !report.spaces.some((s) => s.key === spaceKey))
    return `the last run did not list space ${spaceKey}: select it (--spaces, --cql or --page-ids) to ingest it`;
  return undefined;
}

function listedBlogPosts(report: RunReport): boolean {
  return report.spaces.some((s) => (s.byType?.blogpost?.listed ?? 0) > 0);
}
