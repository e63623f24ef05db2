// --include-comments: the comment versions of a listing page's pages, from one CQL search for them all. A site that
// refuses that search (a Data Center version or a proxy that does not know `container`, answering 400) gets them read
// page by page instead, and the listing says why: slower, but no space stays unlisted for it.
import type { ConfluenceClient } from './client/client';
import { ConfluenceError } from './client/errors';
import type { CommentVersion, PageRef } from './client/types';

export interface CommentVersions {
  byPage: Map<string, CommentVersion[]>;
  /** Why the search was refused, when the versions were read page by page. */
  searchRefused?: string;
}

export async function commentVersions(client: ConfluenceClient, refs: PageRef[]): Promise<CommentVersions> {
  try {
    return { byPage: await client.commentVersionsOf(refs.map((r) => r.id)) };
  } catch (err) {
    if (!(err instanceof ConfluenceError) || err.kind !== 'bad-request') throw err;
    const read = await Promise.all(
      refs.map(async (ref) => {
        const comments = await client.listComments(ref.id, ref.contentType);
        return [ref.id, comments.map(({ id, version }) => ({ id, version }))] as const;
      }),
    );
    return { byPage: new Map(read), searchRefused: err.message };
  }
}
