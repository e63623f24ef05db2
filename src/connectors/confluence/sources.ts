// What an ingest enumerates, in order: page ids, or a CQL query, or each selected space's pages (and blog posts).
// Pure and free of side effects: the ingest workflow imports it.
import type { Selection } from './config';
import type { ContentType, SpaceRef } from './client/types';

export type ContentSource =
  | { kind: 'space'; space: SpaceRef; type: ContentType }
  | { kind: 'cql'; cql: string }
  | { kind: 'ids'; ids: string[] };

export function needsSpaces(selection: Selection): boolean {
  return selection.pageIds.length === 0 && !selection.cql;
}

export function contentSources(selection: Selection, spaces: SpaceRef[]): ContentSource[] {
  if (selection.pageIds.length > 0) return [{ kind: 'ids', ids: selection.pageIds }];
  if (selection.cql) return [{ kind: 'cql', cql: selection.cql }];
  const types: ContentType[] = selection.includeBlogposts ? ['page', 'blogpost'] : ['page'];
  return spaces.flatMap((space) => types.map((type) => ({ kind: 'space' as const, space, type })));
}

/** The space whose pages a source lists completely, so pages absent from it are known to be gone. */
export function spaceOf(source: ContentSource | undefined): string | undefined {
  return source?.kind === 'space' ? source.space.key : undefined;
}
