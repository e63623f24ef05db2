// --extract-files for one page: each file it links (or carries) saved under the download dir, reused while current,
// and described as a document of its own whose elements point at the file and, through record_locator, the page.
import { stat } from 'node:fs/promises';
import type { DocumentRecord } from '../../../core/document';
import type { DataSourceMetadata } from '../../../core/elements';
import { capLeftOut, type LeftOut } from '../../../core/leftOut';
import { resolveInside } from '../../../core/safePath';
import type { ConfluenceClient } from '../client/client';
import type { PageRef } from '../client/types';
import type { Extract } from '../config';
import { describeUrl } from '../extract/allowList';
import { DownloadError, downloadToFile } from '../extract/download';
import { assignSafeNames } from '../extract/safeName';
import { COMMENTS_NAME } from '../comments';
import { documentOfPage } from '../documents';
import { configured, type FetchSession } from '../fetchSession';
import { linkedFiles, mergeCandidates, pageAttachments, type Candidate } from './candidates';
import { Manifest } from './manifest';

export type FileSettings = Pick<Extract, 'includeAttachments' | 'forceDownload' | 'maxFileBytes' | 'downloadDir'>;

export interface PageFiles {
  /** Their data_source has no permissions_data: a file is readable by exactly who may read its page. */
  files: DocumentRecord[];
  /** Files not downloaded (refused, too large, gone), and why. */
  leftOut: LeftOut[];
}

interface SavedFile {
  path: string;
  name: string;
  /** Origin and path of the source, without query (no tokens). */
  url: string;
  mediaType: string;
  attachmentId?: string;
  version?: number;
}

interface FetchContext {
  ref: PageRef;
  dir: string;
  store: Manifest;
  session: FetchSession;
  settings: FileSettings;
}

export async function downloadPageFiles(
  client: ConfluenceClient,
  session: FetchSession,
  { ref, html, settings }: { ref: PageRef; html: string; settings: FileSettings },
): Promise<PageFiles> {
  const linked = linkedFiles(html, ref.url);
  const attached = settings.includeAttachments ? await pageAttachments(client, ref, session.heartbeat) : [];
  const candidates = mergeCandidates(linked.candidates, attached);
  // A file named "comments" would land where the page's comments document does (<page-id>/comments.json).
  const names = assignSafeNames(
    candidates.map(({ key, name }) => ({ key, name })),
    [COMMENTS_NAME],
  );
  const dir = configured(() => resolveInside(settings.downloadDir, ref.spaceKey, ref.id));
  const context = { ref, dir, store: await Manifest.open(dir), session, settings };
  const files: DocumentRecord[] = [];
  const leftOut = [...linked.leftOut];
  for (const candidate of candidates) {
    const got = await fetchCandidate(candidate, names.get(candidate.key)!, context);
    if ('reason' in got) leftOut.push(got);
    else files.push(fileDocument(ref, got, (await stat(got.path)).size));
  }
  return { files, leftOut: capLeftOut(leftOut) };
}

/** The file on disk (reused or downloaded), or why it is left out: refused, too large or gone. */
async function fetchCandidate(
  c: Candidate,
  name: string,
  { ref, dir, store, session, settings }: FetchContext,
): Promise<SavedFile | LeftOut> {
  const dest = resolveInside(dir, name);
  const ids = {
    ...(c.attachmentId ? { attachmentId: c.attachmentId } : {}),
    ...(c.version !== undefined ? { version: c.version } : {}),
  };
  const reused = settings.forceDownload ? undefined : await store.fresh(name, c, ref.version, dest);
  if (reused) return { path: dest, name, url: reused.url, mediaType: reused.mediaType, ...ids };
  try {
    const got = await downloadToFile(c.url, dest, {
      ...session.fetch,
      maxBytes: settings.maxFileBytes,
      onProgress: (bytes, total) => session.heartbeat({ file: name, bytes, total }),
    });
    const url = describeUrl(c.url);
    await store.record(name, {
      key: c.key,
      version: c.version,
      pageVersion: ref.version,
      sha256: got.sha256,
      bytes: got.bytes,
      mediaType: got.mediaType,
      url,
    });
    return { path: dest, name, url, mediaType: got.mediaType, ...ids };
  } catch (err) {
    // Transient failures retry the activity; a refusal, an oversized file or a 404 is reported and the rest go on.
    if (err instanceof DownloadError && !err.retryable && err.code !== 'aborted') return { name, reason: err.message };
    throw err;
  }
}

function fileDocument(ref: PageRef, file: SavedFile, sizeBytes: number): DocumentRecord {
  const content = {
    filename: file.name,
    relativePath: `${ref.spaceKey}/${ref.id}/${file.name}`,
    localPath: file.path,
    mediaType: file.mediaType,
    url: file.url,
  };
  return { ...documentOfPage(ref, file.name, content, fileDataSource(ref, file, sizeBytes)), carriedName: file.name };
}

/** A file's elements point at the file, and through record_locator at the page that carries it. */
function fileDataSource(ref: PageRef, file: SavedFile, sizeBytes: number): DataSourceMetadata {
  return {
    url: file.url,
    ...(file.version !== undefined ? { version: String(file.version) } : {}),
    record_locator: {
      space_id: ref.spaceKey,
      document_id: ref.id,
      parent_url: ref.url,
      file_name: file.name,
      ...(file.attachmentId ? { attachment_id: file.attachmentId } : {}),
    },
    date_processed: new Date().toISOString(),
    filesize_bytes: sizeBytes,
  };
}
