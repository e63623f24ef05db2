// The index step: one API page of lightweight refs per call, so enumeration is resumable from its cursor.
import type { Selection, Site } from '../config';
import type { Listing, PageRef, SpaceRef } from '../../connectors/confluence/client/types';
import { toActivityFailure } from '../../connectors/confluence/client/failures';
import type { ConfluenceClient } from '../../connectors/confluence/client/client';
import type { ContentSource } from '../workflows/sources';

export interface ListSpacesInput {
  site: Site;
  selection: Selection;
  cursor?: string;
  limit: number;
}

export interface ListContentInput {
  site: Site;
  source: ContentSource;
  includeArchived: boolean;
  cursor?: string;
  limit: number;
}

/** A listing, plus the requested page ids that do not exist or are not visible (for a page-id source). */
export type ContentListing = Listing<PageRef> & { missing?: string[] };

async function listContent(client: ConfluenceClient, { source, includeArchived, cursor, limit }: ListContentInput): Promise<ContentListing> {
  switch (source.kind) {
    case 'space':
      return client.listPages(source.space, { cursor, limit, type: source.type, includeArchived });
    case 'cql':
      return client.search(source.cql, { cursor, limit });
    case 'ids': {
      // The cursor is an offset into the id list: one call per `limit` ids keeps each result small.
      const start = Number(cursor ?? 0);
      const { found, missing } = await client.getPagesByIds(source.ids.slice(start, start + limit));
      const next = start + limit < source.ids.length ? String(start + limit) : undefined;
      return { items: found, next, missing };
    }
  }
}

export function indexActivities(client: (site: Site) => ConfluenceClient) {
  return {
    async listSpaces({ site, selection, cursor, limit }: ListSpacesInput): Promise<Listing<SpaceRef>> {
      try {
        const keys = selection.spaces.length > 0 ? selection.spaces : undefined;
        return await client(site).listSpaces({ keys, cursor, limit });
      } catch (err) {
        throw toActivityFailure(err);
      }
    },
    async listContent(input: ListContentInput): Promise<ContentListing> {
      try {
        return await listContent(client(input.site), input);
      } catch (err) {
        throw toActivityFailure(err);
      }
    },
  };
}
