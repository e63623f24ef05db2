// --include-comments for one page: its footer and inline comments, replies included, as one document of its own
// (`<space>/<page-id>/comments.json`) made of one part per comment. Each part's data_source names the page and the
// comment (its thread, its parent, footer or inline), the author and dates, and carries the page's permissions: a
// comment is readable by exactly who may read its page.
import type { DocumentPart, DocumentRecord } from '../../core/document';
import type { DataSourceMetadata, PermissionsData } from '../../core/elements';
import type { ConfluenceClient } from './client/client';
import { toActivityFailure } from './client/failures';
import type { PageComment, PageRef } from './client/types';
import { documentOfPage } from './documents';

export interface PageCommentsInput {
  ref: PageRef;
  /** Where in the worker's folder for this site a file of the given name goes. */
  workFile: (name: string) => string;
  permissionsData?: PermissionsData;
}

/** The comments document (its parts' JSON to be saved at document.content.path) and how many comments it holds. */
export interface DownloadedComments {
  document: DocumentRecord;
  json: string;
  count: number;
}

/** Beside the page's extracted files; the name the issue gives users, `comments.json`. */
export const COMMENTS_NAME = 'comments';

export async function downloadPageComments(
  client: ConfluenceClient,
  { ref, workFile, permissionsData }: PageCommentsInput,
): Promise<DownloadedComments> {
  let comments: PageComment[];
  try {
    comments = await client.listComments(ref.id, ref.contentType);
  } catch (err) {
    throw toActivityFailure(err);
  }
  const processedAt = new Date().toISOString();
  const threadOf = threads(comments);
  const parts = comments.map((c) => commentPart(ref, c, threadOf.get(c.id) ?? c.id, processedAt, permissionsData));
  const content = {
    filename: `${COMMENTS_NAME}.json`,
    relativePath: `${ref.spaceKey}/${ref.id}/${COMMENTS_NAME}`,
    localPath: workFile(`${ref.spaceKey}/${ref.id}.v${ref.version}.comments.json`),
    mediaType: 'application/json',
    url: ref.url,
  };
  const metadata: DataSourceMetadata = {
    url: ref.url,
    version: String(ref.version),
    record_locator: { space_id: ref.spaceKey, document_id: ref.id, comment_count: comments.length },
    date_processed: processedAt,
    ...(permissionsData ? { permissions_data: permissionsData } : {}),
  };
  const document = { ...documentOfPage(ref, `${ref.title} (comments)`, content, metadata), carriedName: COMMENTS_NAME };
  return { document, json: JSON.stringify(parts), count: comments.length };
}

/** Each comment's thread: the id of the top-level comment it answers, however deep. */
function threads(comments: PageComment[]): Map<string, string> {
  const parentOf = new Map(comments.map((c) => [c.id, c.parentId]));
  const rootOf = (id: string): string => {
    const seen = new Set<string>();
    let current = id;
    for (
      let parent = parentOf.get(current);
      parent && parentOf.has(parent) && !seen.has(parent);
      parent = parentOf.get(current)
    ) {
      seen.add(parent);
      current = parent;
    }
    return current;
  };
  return new Map(comments.map((c) => [c.id, rootOf(c.id)]));
}

function commentPart(
  ref: PageRef,
  c: PageComment,
  threadId: string,
  processedAt: string,
  permissionsData?: PermissionsData,
): DocumentPart {
  const recordLocator = {
    space_id: ref.spaceKey,
    document_id: ref.id,
    comment_id: c.id,
    thread_id: threadId,
    ...(c.parentId ? { parent_comment_id: c.parentId } : {}),
    comment_location: c.location,
    ...(c.authorId ? { author_id: c.authorId } : {}),
    ...(c.selection ? { highlighted_text: c.selection } : {}),
    ...(c.resolution ? { resolution: c.resolution } : {}),
  };
  return {
    filename: `comment-${c.id}.html`,
    html: `<body class='Document'>${c.html}</body>`,
    url: c.url,
    lastModified: c.modifiedAt,
    metadata: {
      url: c.url,
      version: String(c.version),
      record_locator: recordLocator,
      date_created: c.createdAt,
      date_modified: c.modifiedAt,
      date_processed: processedAt,
      ...(permissionsData ? { permissions_data: permissionsData } : {}),
    },
  };
}
