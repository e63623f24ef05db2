// --extract-files for one page: each file it links (or carries) saved under the download dir, reused while current,
// and described as a document of its own whose elements point at the file and, through record_locator, the page.
import { stat } from 'node:fs/promises';
import type { DocumentRecord } from '../../../core/document';
import type { DataSourceMetadata } from '../../../core/elements';
import { capLeftOut, type LeftOut } from '../../../core/leftOut';
import { resolveInside } from '../../../core/safePath';
import type { ConfluenceClient } from '../client/client';
import type { PageRef } from '../client/types';
import type { Extract, Permissions } from '../config';
import { describeUrl } from '../extract/allowList';
import { DownloadError, downloadToFile } from '../extract/download';
import { assignSafeNames } from '../extract/safeName';
import { COMMENTS_NAME } from '../comments';
import { documentOfPage } from '../documents';
import { configured, type FetchSession } from '../fetchSession';
import { linkedFiles, mergeCandidates, pageAttachments, type Candidate } from './candidates';
import { type ContainerAccess, containerAccess } from './containers';
import { encodePermissionsVersion } from '../../../core/permissionsVersion';
import { dependencyPage } from '../permissionDrift';
import { Manifest } from './manifest';
import type { Site } from '../site';

export type FileSettings = Pick<Extract, 'includeAttachments' | 'forceDownload' | 'maxFileBytes' | 'downloadDir'>;

export interface PageFiles {
  /**
   * A file of the page itself has no permissions_data in its data_source (the page's are added); a file of another
   * page has that page's.
   */
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

export interface PageFilesInput {
  site: Site;
  ref: PageRef;
  html: string;
  settings: FileSettings;
  permissions: Permissions;
}

export async function downloadPageFiles(
  client: ConfluenceClient,
  session: FetchSession,
  { site, ref, html, settings, permissions }: PageFilesInput,
): Promise<PageFiles> {
  const linked = linkedFiles(html, ref, session.policy.siteOrigin);
  const attached = settings.includeAttachments ? await pageAttachments(client, ref, session.heartbeat) : [];
  const candidates = mergeCandidates(linked.candidates, attached);
  const others = [...new Set(candidates.map((c) => c.containerId).filter((id) => id !== ref.id))];
  const containers = others.length > 0 ? await containerAccess(client, { site, permissions }, others) : new Map();
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
    const container = containers.get(candidate.containerId);
    if (container && 'reason' in container) {
      leftOut.push({ name: candidate.name, reason: `not fetched: ${container.reason}` });
      continue;
    }
    const got = await fetchCandidate(candidate, names.get(candidate.key)!, context);
    if ('reason' in got) leftOut.push(got);
    else files.push(fileDocument(ref, got, (await stat(got.path)).size, container));
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

/** `container`: the page the file is attached to when that is not `ref`, the page that links it. */
function fileDocument(
  ref: PageRef,
  file: SavedFile,
  sizeBytes: number,
  container?: Exclude<ContainerAccess, { reason: string }>,
): DocumentRecord {
  const content = {
    filename: file.name,
    relativePath: `${ref.spaceKey}/${ref.id}/${file.name}`,
    localPath: file.path,
    mediaType: file.mediaType,
    url: file.url,
  };
  const metadata = fileDataSource(ref, file, sizeBytes);
  const document = { ...documentOfPage(ref, file.name, content, metadata), carriedName: file.name };
  if (!container) return document;
  const recordLocator = {
    ...metadata.record_locator,
    attachment_page_id: container.ref.id,
    ...(container.capped ? { permissions_capped: true } : {}),
  };
  const permissions = container.permissionsData ? { permissions_data: container.permissionsData } : {};
  // The page that links the file records the container's permissions as its own dependency (permissionDrift.ts).
  const dependency = container.fingerprint
    ? {
        permissionsVersion: encodePermissionsVersion({
          own: '',
          dependencies: [{ page: dependencyPage(container.ref), fingerprint: container.fingerprint }],
        }),
      }
    : {};
  return { ...document, ...dependency, metadata: { ...metadata, record_locator: recordLocator, ...permissions } };
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
