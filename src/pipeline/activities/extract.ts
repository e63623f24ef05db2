// The extract step as activities: images inlined into the page HTML, and the files a page links or carries saved
// under the download dir, each then partitioned and written as a document of its own. Only paths, names and
// secret-free URLs cross into workflow history; bytes stay on disk.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Element as HtmlElement } from 'domhandler';
import { findAll } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { z } from 'zod';
import type { IngestInput, Site } from '../config';
import { authorizationHeader } from '../../connectors/confluence/client/auth';
import type { ConfluenceClient } from '../../connectors/confluence/client/client';
import { toActivityFailure } from '../../connectors/confluence/client/failures';
import { parseRetryAfter } from '../../core/retryAfter';
import type { AttachmentRef, PageRef } from '../../connectors/confluence/client/types';
import { writeFileAtomic } from '../../core/atomicWrite';
import { writeElements } from '../../destinations/local';
import { createUrlPolicy, describeUrl, type UrlPolicy } from '../../connectors/confluence/extract/allowList';
import { createGuardedAgent, DownloadError, downloadToFile, fetchBytes, type FetchOptions } from '../../connectors/confluence/extract/download';
import { inlineImages } from '../../connectors/confluence/extract/inlineImages';
import { assignSafeNames, resolveInside } from '../../connectors/confluence/extract/safeName';
import { shortHash } from '../../core/ids';
import type { DataSourceMetadata, PermissionsData } from '../../steps/partition/elements';
import { partitionFile } from '../../steps/partition/file';
import type { ActivityDeps } from './deps';
import { readElements } from './elementFiles';
import { partitionWithApi } from './partition';
import { writeDocumentElements } from '../../steps/partition/documentElements';

/** A downloaded file as the workflow sees it: where it is and what it is, never its bytes. */
export interface ExtractedFile {
  path: string;
  /** Safe file name, distinct within the page. */
  name: string;
  /** Origin and path of the source, without query (no tokens). */
  url: string;
  mediaType: string;
  attachmentId?: string;
  version?: number;
}

/** Why something was left out, for the run report. */
export interface ExtractNote {
  subject: string;
  reason: string;
}

export interface ExtractPageInput {
  job: IngestInput;
  ref: PageRef;
  htmlPath: string;
}

export interface ExtractFileInput {
  job: IngestInput;
  ref: PageRef;
  file: ExtractedFile;
  permissionsData?: PermissionsData;
}

/** Notes past this many are counted in one last note, so a page with thousands of refused images stays a small result. */
const MAX_NOTES = 50;
const ATTACHMENTS_PER_CALL = 100;
const HEARTBEAT_EVERY_MS = 1000;
/** Beside the files; safe names never start with a dot, so it cannot collide with one. */
const MANIFEST_NAME = '.extract-manifest.json';
/** Confluence links attachments here (Cloud under /wiki, Data Center under its context path). */
const ATTACHMENT_PATH = /\/download\/attachments\/\d+\//;

export function extractActivities(client: (site: Site) => ConfluenceClient, deps: ActivityDeps) {
  return {
    async inlinePageImages({ job, ref, htmlPath }: ExtractPageInput): Promise<{ htmlPath: string; notes: ExtractNote[] }> {
      if (!job.extract.images) return { htmlPath, notes: [] };
      return withSession(job, deps, async (session) => {
        const result = await inlineImages(await readFile(htmlPath, 'utf8'), {
          policy: session.policy,
          baseUrl: ref.url,
          maxImageBytes: job.extract.maxImageBytes,
          fetch: (url, maxBytes) => {
            session.heartbeat({ image: describeUrl(url) });
            return fetchBytes(url, { ...session.fetch, maxBytes });
          },
        });
        const inlinedPath = `${htmlPath.replace(/\.html$/, '')}.images.html`;
        await writeFileAtomic(inlinedPath, result.html);
        return { htmlPath: inlinedPath, notes: capNotes(result.notes.map((n) => ({ subject: n.src, reason: `${n.reason}: ${n.detail}` }))) };
      });
    },

    async downloadPageFiles({ job, ref, htmlPath }: ExtractPageInput): Promise<{ files: ExtractedFile[]; notes: ExtractNote[] }> {
      if (!job.extract.files) return { files: [], notes: [] };
      return withSession(job, deps, async (session) => {
        const linked = linkedFiles(await readFile(htmlPath, 'utf8'), ref.url);
        const attached = job.extract.includeAttachments ? await pageAttachments(client(job.site), ref, session) : [];
        const candidates = mergeCandidates(linked.candidates, attached);
        const names = assignSafeNames(candidates.map(({ key, name }) => ({ key, name })));
        const dir = configured(() => resolveInside(job.extract.downloadDir, ref.spaceKey, ref.id));
        const store = await Manifest.open(dir);
        const files: ExtractedFile[] = [];
        const notes = [...linked.notes];
        for (const candidate of candidates) {
          const name = names.get(candidate.key)!;
          const got = await fetchCandidate(candidate, name, { job, ref, dir, store, session });
          if ('reason' in got) notes.push(got);
          else files.push(got);
        }
        return { files, notes: capNotes(notes) };
      });
    },

    async partitionExtractedFile({ job, ref, file, permissionsData }: ExtractFileInput): Promise<{ elementsPath?: string; skipped?: string }> {
      // With --partition-by-api, files go to Unstructured too (it reads more types than the local readers).
      const result = job.partitionByApi
        ? { status: 'partitioned' as const, elements: await partitionWithApi(deps, job, { path: file.path, filename: file.name, contentType: file.mediaType }) }
        : await partitionFile(file.path, { filename: file.name, url: file.url });
      if (result.status === 'skipped') return { skipped: result.reason };
      const { size } = await stat(file.path);
      const dataSource = fileDataSource(ref, file, { sizeBytes: size, processedAt: new Date(), permissionsData });
      const elementsPath = resolveInside(job.workDir, shortHash(job.site.url), ref.spaceKey, ref.id, `${file.name}.elements.json`);
      await writeDocumentElements(elementsPath, result.elements, dataSource, job.chunking);
      return { elementsPath };
    },

    async uploadExtractedFile({ job, ref, file, elementsPath }: ExtractFileInput & { elementsPath: string }): Promise<{ outputPath: string }> {
      const elements = await readElements(elementsPath);
      const outputPath = resolveInside(job.outputDir, ref.spaceKey, ref.id, `${file.name}.json`);
      await writeElements(outputPath, elements);
      return { outputPath };
    },
  };
}

/** A file's elements point at the file, and through record_locator at the page that carries it. */
export function fileDataSource(
  ref: PageRef,
  file: ExtractedFile,
  opts: { sizeBytes: number; processedAt: Date; permissionsData?: PermissionsData },
): DataSourceMetadata {
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
    date_processed: opts.processedAt.toISOString(),
    filesize_bytes: opts.sizeBytes,
    ...(opts.permissionsData ? { permissions_data: opts.permissionsData } : {}),
  };
}

// -- session: policy, credentials, connections and heartbeats of one activity attempt ---------------------------

interface Session {
  policy: UrlPolicy;
  fetch: Omit<FetchOptions, 'maxBytes'>;
  /** Throttled: callable on every chunk. */
  heartbeat(details: unknown): void;
}

async function withSession<T>(job: IngestInput, deps: ActivityDeps, work: (session: Session) => Promise<T>): Promise<T> {
  let agent: ReturnType<typeof createGuardedAgent> | undefined;
  try {
    const policy = configured(() => createUrlPolicy({ siteUrl: job.site.url, allowList: job.extract.allowList }));
    agent = createGuardedAgent(policy);
    const ctx = Context.current();
    let last = 0;
    const heartbeat = (details: unknown) => {
      if (Date.now() - last < HEARTBEAT_EVERY_MS) return;
      last = Date.now();
      ctx.heartbeat(details);
    };
    const fetch = {
      policy,
      dispatcher: agent,
      // The policy hands these only to hops on the site's own origin.
      headers: { authorization: authorizationHeader(job.site, deps.secretsFor(job.site)) },
      timeoutMs: job.activityTimeoutSeconds * 1000,
      signal: ctx.cancellationSignal,
    };
    return await work({ policy, fetch, heartbeat });
  } catch (err) {
    throw toExtractFailure(err);
  } finally {
    await agent?.destroy();
  }
}

function toExtractFailure(err: unknown): unknown {
  if (err instanceof DownloadError) {
    const wait = parseRetryAfter(err.retryAfter);
    return ApplicationFailure.create({
      message: err.message,
      type: 'ExtractDownload',
      nonRetryable: !err.retryable,
      nextRetryDelay: wait?.kind === 'wait' ? wait.ms : undefined,
    });
  }
  return toActivityFailure(err);
}

/** A bad allow-list entry or a download dir a path escapes is the user's to fix: retrying would not change it. */
function configured<T>(make: () => T): T {
  try {
    return make();
  } catch (err) {
    throw ApplicationFailure.create({ message: err instanceof Error ? err.message : String(err), type: 'ExtractConfig', nonRetryable: true });
  }
}

function capNotes(notes: ExtractNote[]): ExtractNote[] {
  if (notes.length <= MAX_NOTES) return notes;
  const more = notes.length - (MAX_NOTES - 1);
  return [...notes.slice(0, MAX_NOTES - 1), { subject: `${more} more`, reason: 'left out of this report' }];
}

// -- candidates: what the page links and carries ----------------------------------------------------------------

interface Candidate {
  /** Attachment id when known, else the URL without query: one file, one key. */
  key: string;
  name: string;
  url: URL;
  attachmentId?: string;
  version?: number;
}

/** a.confluence-embedded-file and plain links into /download/attachments/, resolved against the page URL. */
function linkedFiles(html: string, pageUrl: string): { candidates: Candidate[]; notes: ExtractNote[] } {
  const anchors = findAll((el) => el.name === 'a' && typeof el.attribs.href === 'string', parseDocument(html).children);
  const candidates: Candidate[] = [];
  const notes: ExtractNote[] = [];
  for (const a of anchors) {
    let url: URL;
    try {
      url = new URL(a.attribs.href, pageUrl);
    } catch {
      // Not echoed: an unparseable link may still carry a token.
      if (isEmbeddedFile(a)) notes.push({ subject: '<unparseable URL>', reason: 'refused: the file link is not a valid URL' });
      continue;
    }
    if (!isEmbeddedFile(a) && !ATTACHMENT_PATH.test(url.pathname)) continue;
    const id = a.attribs['data-linked-resource-id'];
    const version = Number(a.attribs['data-linked-resource-version'] ?? url.searchParams.get('version'));
    candidates.push({
      key: id ? attachmentKey(id) : urlKey(url),
      name: a.attribs['data-linked-resource-default-alias'] || lastSegment(url) || 'file',
      url,
      ...(id ? { attachmentId: normalizeId(id) } : {}),
      ...(Number.isSafeInteger(version) && version > 0 ? { version } : {}),
    });
  }
  return { candidates, notes };
}

function isEmbeddedFile(a: HtmlElement): boolean {
  return (a.attribs.class ?? '').split(/\s+/).includes('confluence-embedded-file') || a.attribs['data-linked-resource-type'] === 'attachment';
}

/** Every attachment of the page, page after page of the API (no cap). */
async function pageAttachments(client: ConfluenceClient, ref: PageRef, session: Session): Promise<Candidate[]> {
  const out: Candidate[] = [];
  let cursor: string | undefined;
  do {
    const listing = await client.listAttachments(ref.id, { cursor, limit: ATTACHMENTS_PER_CALL, type: ref.contentType });
    out.push(...listing.items.map(attachmentCandidate));
    session.heartbeat({ attachmentsListed: out.length });
    cursor = listing.next;
  } while (cursor);
  return out;
}

function attachmentCandidate(att: AttachmentRef): Candidate {
  return {
    key: attachmentKey(att.id),
    name: att.title,
    url: new URL(att.downloadUrl),
    attachmentId: normalizeId(att.id),
    ...(att.version !== undefined ? { version: att.version } : {}),
  };
}

/**
 * One candidate per file. The API's entry wins over a body link to the same attachment (it knows the version and
 * the real name); a body link without an id that points where an attachment is served is that attachment.
 */
function mergeCandidates(linked: Candidate[], attached: Candidate[]): Candidate[] {
  const byKey = new Map<string, Candidate>();
  for (const c of [...linked, ...attached]) byKey.set(c.key, c);
  const served = new Set([...byKey.values()].filter((c) => c.attachmentId).map((c) => urlKey(c.url)));
  return [...byKey.values()].filter((c) => c.attachmentId || !served.has(urlKey(c.url)));
}

/** Cloud bodies write attachment ids without the "att" of the API's ids. */
function normalizeId(id: string): string {
  return id.replace(/^att/, '');
}

function attachmentKey(id: string): string {
  return `att:${normalizeId(id)}`;
}

function urlKey(url: URL): string {
  return `url:${url.origin}${url.pathname}`;
}

function lastSegment(url: URL): string {
  const segment = url.pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// -- download with reuse ------------------------------------------------------------------------------------------

const ManifestEntrySchema = z.object({
  key: z.string(),
  version: z.number().int().optional(),
  /** Decides staleness for files without an attachment version. */
  pageVersion: z.number().int(),
  sha256: z.string(),
  bytes: z.number().int().nonnegative(),
  mediaType: z.string(),
  url: z.string(),
});
type ManifestEntry = z.infer<typeof ManifestEntrySchema>;
const ManifestSchema = z.record(z.string(), ManifestEntrySchema);

/** What was downloaded into one page's folder, by safe name: the evidence for reusing a file. */
class Manifest {
  private constructor(
    private readonly file: string,
    private readonly entries: Record<string, ManifestEntry>,
  ) {}

  static async open(dir: string): Promise<Manifest> {
    const file = path.join(dir, MANIFEST_NAME);
    let entries: Record<string, ManifestEntry> = {};
    try {
      entries = ManifestSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch {
      // Missing or unreadable: nothing is known to be fresh, so everything is downloaded again.
    }
    return new Manifest(file, entries);
  }

  /** The entry when the file on disk is the same attachment version (or, without one, from the same page version). */
  async fresh(name: string, candidate: Candidate, pageVersion: number, filePath: string): Promise<ManifestEntry | undefined> {
    const entry = this.entries[name];
    if (!entry || entry.key !== candidate.key) return undefined;
    const current = candidate.version !== undefined ? entry.version === candidate.version : entry.pageVersion === pageVersion;
    const size = await stat(filePath).then((s) => s.size, () => undefined);
    return current && size === entry.bytes ? entry : undefined;
  }

  /** Written after every file, so a retried attempt reuses what the failed one finished. */
  async record(name: string, entry: ManifestEntry): Promise<void> {
    this.entries[name] = entry;
    await writeFileAtomic(this.file, JSON.stringify(this.entries, null, 2));
  }
}

interface FetchContext {
  job: IngestInput;
  ref: PageRef;
  dir: string;
  store: Manifest;
  session: Session;
}

/** The file on disk (reused or downloaded), or a note when it is refused, too large or gone. */
async function fetchCandidate(c: Candidate, name: string, { job, ref, dir, store, session }: FetchContext): Promise<ExtractedFile | ExtractNote> {
  const dest = resolveInside(dir, name);
  const ids = { ...(c.attachmentId ? { attachmentId: c.attachmentId } : {}), ...(c.version !== undefined ? { version: c.version } : {}) };
  const reused = job.extract.forceDownload ? undefined : await store.fresh(name, c, ref.version, dest);
  if (reused) return { path: dest, name, url: reused.url, mediaType: reused.mediaType, ...ids };
  try {
    const got = await downloadToFile(c.url, dest, {
      ...session.fetch,
      maxBytes: job.extract.maxFileBytes,
      onProgress: (bytes, total) => session.heartbeat({ file: name, bytes, total }),
    });
    const url = describeUrl(c.url);
    await store.record(name, { key: c.key, version: c.version, pageVersion: ref.version, sha256: got.sha256, bytes: got.bytes, mediaType: got.mediaType, url });
    return { path: dest, name, url, mediaType: got.mediaType, ...ids };
  } catch (err) {
    // Transient failures retry the activity; a refusal, an oversized file or a 404 is reported and the rest go on.
    if (err instanceof DownloadError && !err.retryable && err.code !== 'aborted') return { subject: name, reason: err.message };
    throw err;
  }
}
