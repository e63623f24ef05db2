// The index step: one API page of lightweight refs per call, so enumeration is resumable from its cursor.
import type { Selection, Site } from '../config';
import type { Listing, PageRef, SpaceRef } from '../confluence/types';
import { toActivityFailure } from '../confluence/failures';
import type { ConfluenceClient } from '../confluence/client';

export interface ListSpacesInput {
  site: Site;
  selection: Selection;
  cursor?: string;
  limit: number;
}

export interface ListPagesInput {
  site: Site;
  space: SpaceRef;
  cursor?: string;
  limit: number;
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
    async listPages({ site, space, cursor, limit }: ListPagesInput): Promise<Listing<PageRef>> {
      try {
        return await client(site).listPages(space, { cursor, limit });
      } catch (err) {
        throw toActivityFailure(err);
      }
    },
  };
}
