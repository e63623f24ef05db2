// What an ingest enumerates, in order: page ids, or a CQL query, or each selected space's pages (and blog posts).
// Pure and free of side effects: the ingest workflow imports it.
import type { Selection } from './config';
import {
  type ContentType,
  type ContentTypeChoice,
  DEFAULT_CONTENT_TYPES,
  type SpaceRef,
  TREE_DOC_TYPES,
  TREE_ITEM_TYPES,
  type TreeItemType,
} from './client/types';

export type ContentSource =
  | { kind: 'space'; space: SpaceRef; type: ContentType }
  | { kind: 'cql'; cql: string }
  | { kind: 'ids'; ids: string[] };

export function needsSpaces(selection: Selection): boolean {
  return selection.pageIds.length === 0 && !selection.cql;
}

export function contentSources(selection: Selection, spaces: SpaceRef[], cloud: boolean): ContentSource[] {
  if (selection.pageIds.length > 0) return [{ kind: 'ids', ids: selection.pageIds }];
  if (selection.cql) return [{ kind: 'cql', cql: selection.cql }];
  const types = listedTypes(selection, cloud);
  return spaces.flatMap((space) => types.map((type) => ({ kind: 'space' as const, space, type })));
}

/** Jobs validated before --content-types carry none: they ingest pages, as they did. */
function chosenTypes(selection: Selection): readonly ContentTypeChoice[] {
  return selection.contentTypes ?? DEFAULT_CONTENT_TYPES;
}

/** Each space's sources, in order; Data Center has no whiteboards, databases or embeds. */
function listedTypes(selection: Selection, cloud: boolean): ContentType[] {
  const chosen = chosenTypes(selection);
  return [
    ...(chosen.includes('page') ? (['page'] as const) : []),
    ...(selection.includeBlogposts ? (['blogpost'] as const) : []),
    ...(cloud ? TREE_DOC_TYPES.filter((t) => chosen.includes(t)) : []),
  ];
}

/** The types of a Cloud space's tree a run does not ingest: folders always, and what --content-types leaves out. */
export function treeTypesNotIngested(selection: Selection): TreeItemType[] {
  const chosen = chosenTypes(selection);
  return TREE_ITEM_TYPES.filter((t) => !chosen.some((c) => c === t));
}

/** The space whose pages a source lists completely, so pages absent from it are known to be gone. */
export function spaceOf(source: ContentSource | undefined): string | undefined {
  return source?.kind === 'space' ? source.space.key : undefined;
}
