// A page's comments as PageComments. Cloud v2 lists a page's top-level footer and inline comments, and each comment's
// replies under `{location}-comments/{id}/children`; Data Center's `child/comment?depth=all` gives every comment at
// once, each reply naming its parents in `ancestors`.
import type { z } from 'zod';
import { checkContentId, uiUrl, v2Collection } from './refs';
import type { V1Comment, V2Comment } from './schemas';
import type { CommentLocation, ContentType, Listing, PageComment } from './types';
import { joinUrl } from './url';

const LOCATIONS: CommentLocation[] = ['footer', 'inline'];
const PER_CALL = 100;

type V2CommentItem = z.output<typeof V2Comment>;
type ListPage = (url: URL) => Promise<Listing<V2CommentItem>>;

/** Cloud: the top-level comments of each location, then, breadth first, every comment's replies. */
export async function cloudComments(
  list: ListPage,
  v2: string,
  uiBase: string,
  pageId: string,
  type: ContentType = 'page',
): Promise<PageComment[]> {
  const id = checkContentId(pageId);
  const out: PageComment[] = [];
  for (const location of LOCATIONS) {
    let level = await everyItem(
      list,
      joinUrl(v2, `/${v2Collection(type)}/${id}/${location}-comments`, { 'body-format': 'storage', limit: PER_CALL }),
    );
    while (level.length > 0) {
      out.push(...level.map((c) => cloudComment(c, id, location, uiBase)));
      const replies = await Promise.all(
        level.map((c) =>
          everyItem(
            list,
            joinUrl(v2, `/${location}-comments/${checkContentId(c.id, 'comment id')}/children`, {
              'body-format': 'storage',
              limit: PER_CALL,
            }),
          ),
        ),
      );
      level = replies.flat();
    }
  }
  return out;
}

async function everyItem(list: ListPage, first: URL): Promise<V2CommentItem[]> {
  const out: V2CommentItem[] = [];
  let cursor: string | undefined;
  do {
    const url = new URL(first);
    if (cursor) url.searchParams.set('cursor', cursor);
    const page = await list(url);
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return out;
}

function cloudComment(c: V2CommentItem, pageId: string, location: CommentLocation, uiBase: string): PageComment {
  return {
    id: c.id,
    pageId,
    location,
    ...(c.parentCommentId ? { parentId: c.parentCommentId } : {}),
    version: c.version.number,
    ...(c.version.authorId ? { authorId: c.version.authorId } : {}),
    // v2 gives only the latest version's time: that is when the comment was written while it has one version.
    ...(c.version.number === 1 && c.version.createdAt ? { createdAt: c.version.createdAt } : {}),
    ...(c.version.createdAt ? { modifiedAt: c.version.createdAt } : {}),
    ...(c.properties?.inlineOriginalSelection ? { selection: c.properties.inlineOriginalSelection } : {}),
    ...(c.resolutionStatus ? { resolution: c.resolutionStatus } : {}),
    url: uiUrl(uiBase, c._links.webui),
    html: c.body?.storage?.value ?? '',
  };
}

export const DC_COMMENT_EXPAND =
  'body.view,version,history,ancestors,extensions.inlineProperties,extensions.resolution';

/** Data Center: one item of `child/comment?depth=all`. */
export function dataCenterComment(c: z.output<typeof V1Comment>, pageId: string, uiBase: string): PageComment {
  const parent = c.ancestors?.at(-1);
  const author = c.history?.createdBy ?? c.version.by;
  const authorId = author?.userKey ?? author?.accountId;
  return {
    id: c.id,
    pageId,
    location: c.extensions?.location ?? 'footer',
    ...(parent ? { parentId: parent.id } : {}),
    version: c.version.number,
    ...(authorId ? { authorId } : {}),
    ...(c.history?.createdDate ? { createdAt: c.history.createdDate } : {}),
    ...(c.version.when ? { modifiedAt: c.version.when } : {}),
    ...(c.extensions?.inlineProperties?.originalSelection
      ? { selection: c.extensions.inlineProperties.originalSelection }
      : {}),
    ...(c.extensions?.resolution?.status ? { resolution: c.extensions.resolution.status } : {}),
    url: uiUrl(uiBase, c._links.webui),
    html: c.body.view.value,
  };
}
