// Which page `explain` is asked about: an id, a page URL (Cloud or Data Center), or a title, looked up among the pages
// the output knows (checkpoint, last report) and, with --ask-site, on the site (explainSite.ts).
import type { CheckpointRecord } from '../checkpoint';
import { ConfigError } from '../core/configError';
import type { RunReport } from '../pipeline/activities/report';

export interface TitleTarget {
  title: string;
  /** The space a Data Center URL (/display/KEY/Title) names. */
  spaceKey?: string;
}

export type PageTarget = { id: string } | TitleTarget;

/** A page that has the title asked for. */
export interface Candidate {
  id: string;
  spaceKey?: string;
}

/**
 * Cloud: /wiki/spaces/KEY/pages/ID/Title, blog posts .../blog/yyyy/mm/dd/ID/..., whiteboards, databases, embeds and
 * folders .../whiteboard/ID (.../database/ID, ...).
 */
const CLOUD_ID =
  /\/spaces\/[^/]+\/(?:pages(?:\/edit-v2)?|blog\/\d{4}\/\d{2}\/\d{2}|whiteboard|database|embed|folder)\/(\d+)(?:\/|$)/;
/** Data Center: /display/KEY/Title ('+' for spaces), blog posts /display/KEY/yyyy/mm/dd/Title. */
const DC_TITLE = /\/display\/([^/]+)\/(?:\d{4}\/\d{2}\/\d{2}\/)?([^/]+)\/?$/;

/** What the argument names; a title of digits alone is taken as an id. */
export function pageTargetOf(query: string): PageTarget {
  const text = query.trim();
  if (/^\d+$/.test(text)) return { id: text };
  if (!/^https?:\/\//i.test(text) || !URL.canParse(text)) return { title: text };
  const url = new URL(text);
  const id = url.searchParams.get('pageId') ?? CLOUD_ID.exec(url.pathname)?.[1];
  if (id && /^\d+$/.test(id)) return { id };
  const titled = DC_TITLE.exec(url.pathname);
  if (titled) return { spaceKey: decoded(titled[1], text), title: decoded(titled[2].replace(/\+/g, ' '), text) };
  throw new ConfigError(
    `${text} is not the URL of a page: give a page's URL (.../pages/ID/..., ...?pageId=ID or .../display/KEY/Title), ` +
      'its id or its title',
  );
}

function decoded(part: string, url: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ConfigError(`${url} has a malformed %-escape: copy the page's URL again, or give its id`);
  }
}

/**
 * The pages of that title (in that space, when given) the checkpoint's records and the last report name, each once;
 * the report's tree items not ingested (whiteboards, databases, embeds, folders) among them.
 */
export function titleCandidates(target: TitleTarget, records: CheckpointRecord[], report?: RunReport): Candidate[] {
  const named = [
    ...(report?.failures ?? []),
    ...(report?.missing ?? []),
    ...(report?.permissionsChanged ?? []),
    ...(report?.notIngestedItems ?? []),
  ];
  const all: Candidate[] = [
    ...records.map((r) => ({ id: r.id, spaceKey: r.spaceKey })),
    ...named.filter((p) => p.title === target.title).map((p) => ({ id: p.id, spaceKey: p.spaceKey })),
    ...(report?.skippedItems ?? []).filter((s) => s.name === target.title).map((s) => ({ id: s.pageId })),
  ];
  return uniqueById(all.filter((c) => !target.spaceKey || !c.spaceKey || c.spaceKey === target.spaceKey));
}

/** Each id once, with a space when any mention of it has one. */
function uniqueById(candidates: Candidate[]): Candidate[] {
  const byId = new Map<string, Candidate>();
  for (const c of candidates) if (!byId.get(c.id)?.spaceKey) byId.set(c.id, c);
  return [...byId.values()];
}

/** The one page of that title, or one line naming none (`where` it was looked for, and the fix) or the several. */
export function onlyCandidate(target: TitleTarget, candidates: Candidate[], where: string, fix: string): string {
  const titled = `"${target.title}"${target.spaceKey ? ` in space ${target.spaceKey}` : ''}`;
  if (candidates.length === 1) return candidates[0].id;
  if (candidates.length === 0) throw new ConfigError(`no page titled ${titled} ${where}: ${fix}`);
  const pages = candidates.map((c) => (c.spaceKey ? `${c.id} (space ${c.spaceKey})` : c.id)).join(', ');
  throw new ConfigError(`the title ${titled} is ambiguous: pages ${pages} have it; give the page id or its URL`);
}
