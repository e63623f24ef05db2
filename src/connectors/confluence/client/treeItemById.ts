// One item of a Cloud space's tree that is no page (a folder, whiteboard, database or embed), found by its id: v2 has
// an endpoint per type and none for "any content", so each is asked in turn; a 404 means "not of this type".
import { z } from 'zod';
import { ConfluenceError } from './errors';
import type { Transport } from './http';
import { checkContentId, uiUrl } from './refs';
import { Id } from './schemas';
import { TREE_ITEM_TYPES, type TreeItemType } from './treeItems';
import { joinUrl } from './url';

export interface TreeItemRef {
  id: string;
  type: TreeItemType;
  title: string;
  spaceId: string;
  /** Absolute URL in the Confluence UI, when the API gives one. */
  url?: string;
}

const V2TreeItem = z.object({
  id: Id,
  title: z.string(),
  spaceId: Id,
  _links: z.object({ webui: z.string() }).optional(),
});

/** The item of that id the account can see, or undefined when none of the types has one. */
export async function treeItemById(
  http: Transport,
  v2: string,
  uiBase: string,
  id: string,
): Promise<TreeItemRef | undefined> {
  for (const type of TREE_ITEM_TYPES) {
    const url = joinUrl(v2, `/${type}s/${checkContentId(id)}`);
    const found = await http.getJson(url, V2TreeItem).catch((err: unknown) => {
      if (err instanceof ConfluenceError && err.kind === 'not-found') return undefined;
      throw err;
    });
    if (!found) continue;
    const { title, spaceId, _links } = found.data;
    return { id, type, title, spaceId, ...(_links ? { url: uiUrl(uiBase, _links.webui) } : {}) };
  }
  return undefined;
}
