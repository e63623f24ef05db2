// Stand-ins for every activity the workflows call, for workflow tests with no Confluence, no files and no checkpoint:
// a made-up site listed from memory, page steps that only count and wait, and a record of every call for the test.
// Every activity input and result shape the workflow tests rely on is in this one file (typed from the real
// activities, so `tsc` points here when a shape changes): adapt the small fixture functions below, not the tests.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../src/pipeline/activities';
import { IngestInputSchema } from '../../src/pipeline/config';
import { REPORT_FILE } from '../../src/pipeline/activities/report';
import { massDeletionFailure } from '../../src/pipeline/deletionGuard';

type Name = keyof Activities;
type In<K extends Name> = Parameters<Activities[K]>[0];
type Out<K extends Name> = Awaited<ReturnType<Activities[K]>>;

export type FakeSpace = Out<'listSpaces'>['items'][number];
export type FakePage = Out<'listContent'>['items'][number];
export type RunReport = In<'writeReport'>['report'];

export interface FakeSite {
  url: string;
  spaces: FakeSpace[];
  /** In listing order: each space's pages, ids '1001', '1002', ... for the first space, '2001', ... for the second. */
  pages: FakePage[];
}

/** A site with these spaces (in this order) and this many pages in each. */
export function fakeSite(pagesPerSpace: Record<string, number>, url = 'https://stub.atlassian.net/wiki'): FakeSite {
  const spaces = Object.keys(pagesPerSpace).map((key, i) => ({ id: String(i + 1), key, name: `Space ${key}` }));
  const pages = spaces.flatMap((space, i) =>
    Array.from({ length: pagesPerSpace[space.key] }, (_, n) => fakePage(url, space, String((i + 1) * 1000 + n + 1))),
  );
  return { url, spaces, pages };
}

function fakePage(siteUrl: string, space: FakeSpace, id: string): FakePage {
  return {
    id,
    title: `Page ${id}`,
    spaceId: space.id,
    spaceKey: space.key,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    modifiedAt: '2026-01-02T00:00:00.000Z',
    url: `${siteUrl}/spaces/${space.key}/pages/${id}`,
    contentType: 'page',
  };
}

/** A job for the fake site, defaults filled in as validateInput fills them. */
export function fakeJob(site: FakeSite, dir: string, overrides: Record<string, unknown> = {}) {
  return IngestInputSchema.parse({
    site: { url: site.url, cloud: true, auth: 'api-token', username: 'stub@example.com' },
    selection: { maxNumOfDocsFromEachSpace: 100_000 },
    outputDir: `${dir}/out`,
    ...overrides,
  });
}

/** One API page of a listing: the cursor is an offset, absent after the last item. */
function listingOf<T>(items: T[], cursor: string | undefined, limit: number): { items: T[]; next?: string } {
  const start = Number(cursor ?? 0);
  const end = start + limit;
  return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}

function downloaded(input: In<'downloadPage'>): Out<'downloadPage'> {
  const { ref } = input;
  const document = {
    identifier: ref.id,
    version: ref.version,
    displayName: ref.title,
    collection: ref.spaceKey,
    sourceIdentifiers: { filename: `${ref.id}.html`, relativePath: `${ref.spaceKey}/${ref.id}.html` },
    metadata: { url: ref.url, version: String(ref.version) },
    content: { path: `/stub/work/${ref.id}.html` },
    mediaType: 'text/html',
    url: ref.url,
  };
  return { document, ref, hostQueue: 'stub-worker-queue' };
}

function partitioned(input: In<'partitionPage'>): Out<'partitionPage'> {
  return { elements: { path: input.document.content.path.replace(/\.html$/, '.elements.json') }, elementCount: 3 };
}

function uploaded(input: In<'uploadPage'>): Out<'uploadPage'> {
  return { outputPath: `${input.outputDir}/${input.document.sourceIdentifiers.relativePath}.json` };
}

export interface StubOptions {
  site: FakeSite;
  /** How long each page's download takes, in ms (cancellable): long enough for the window to fill. */
  pageMs?: number;
  /** Downloads wait until release() (or their cancellation) instead: the test decides when pages may go on. */
  hold?: boolean;
  /** Page id -> the message its partition step fails with (non-retryable, so the page fails at once). */
  failPages?: Record<string, string>;
  /** Page ids the checkpoint holds at their version already. */
  unchanged?: string[];
  /**
   * Page id -> what changed in its permissions since it was written (checked for written pages only), and whether its
   * outputs carry other pages' permissions too (then it is ingested again rather than rewritten).
   */
  drift?: Record<string, { reasons: string[]; again?: boolean }>;
  /** Space key -> the message its listing fails with (non-retryable, as a 403 does). */
  unlistable?: Record<string, string>;
  /** Page ids each listing returns twice (a listing that shifted while it was read). */
  listedTwice?: string[];
  /** Page ids whose download never ends (until the activity is cancelled). */
  stuck?: string[];
  /** Page ids whose first partition finds the page's files on another worker (HostChanged). */
  movedOnce?: string[];
  /** Page id -> how many of its first downloads fail at once, retryably (as a 503 does); later ones take pageMs. */
  flaky?: Record<string, number>;
  /** After this many downloads the site refuses the account: later downloads and listings fail as `refusedAs`. */
  refusedAfterDownloads?: number;
  /** How: a 401 (the token revoked, the default) or a 403 (the account lost the site). */
  refusedAs?: 'ConfluenceAuth' | 'ConfluenceForbidden';
  /** Space keys the checkpoint holds pages of (default: none), whether the site still lists them or not. */
  recordedSpaces?: string[];
  /** Space keys where --delete-missing would remove more than --max-delete allows. */
  tooManyMissing?: string[];
}

/** What the stubs saw, for the test to assert on. */
export interface StubRecord {
  /** Every call, in order: the activity's name and its input. */
  calls: Array<{ name: Name; input: unknown }>;
  /** Page ids whose download started, in order. */
  downloads: string[];
  /** Page ids written, in order. */
  uploads: string[];
  /** Page ids whose download was cancelled under way (by the workflow, or by a timeout the SDK declared). */
  cancelledDownloads: string[];
  /** Downloads under way now, and the most there ever were at once. */
  inFlight: number;
  maxInFlight: number;
  /** Spaces findMissing was asked about. */
  missingAsked: string[];
  reports: RunReport[];
  inputsOf<K extends Name>(name: K): In<K>[];
}

function notStubbed(name: string) {
  return async (): Promise<never> => {
    throw ApplicationFailure.nonRetryable(
      `${name} is not stubbed: give the job no --extract-* / --embedding-provider`,
      'NotStubbed',
    );
  };
}

export interface Stubs {
  /** To register on a test worker. */
  activities: Activities;
  record: StubRecord;
  /** Lets held downloads (and any later ones) go on. */
  release(): void;
}

/** The activities to register on a test worker, and the record of their calls. */
export function stubActivities({
  site,
  pageMs = 0,
  hold = false,
  failPages = {},
  unchanged = [],
  drift = {},
  unlistable = {},
  listedTwice = [],
  stuck = [],
  movedOnce = [],
  refusedAfterDownloads = Number.POSITIVE_INFINITY,
  refusedAs = 'ConfluenceAuth',
  flaky = {},
  recordedSpaces = [],
  tooManyMissing = [],
}: StubOptions): Stubs {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const record: StubRecord = {
    calls: [],
    downloads: [],
    uploads: [],
    cancelledDownloads: [],
    inFlight: 0,
    maxInFlight: 0,
    missingAsked: [],
    reports: [],
    inputsOf: <K extends Name>(name: K) => record.calls.filter((c) => c.name === name).map((c) => c.input as In<K>),
  };
  const seen = <K extends Name>(name: K, input: In<K>) => record.calls.push({ name, input });
  const refusals = {
    ConfluenceAuth:
      'https://stub.atlassian.net rejected the credentials of user stub@example.com (401); check --api-token',
    ConfluenceForbidden:
      'user stub@example.com is not permitted to GET /wiki/api/v2/pages (403); ask a Confluence admin for access',
  };
  const refuseIfRefused = () => {
    if (record.downloads.length >= refusedAfterDownloads)
      throw ApplicationFailure.nonRetryable(refusals[refusedAs], refusedAs);
  };
  const pagesOf = (source: In<'listContent'>['source']): FakePage[] => {
    if (source.kind === 'space') return site.pages.filter((p) => p.spaceKey === source.space.key);
    if (source.kind === 'ids') return site.pages.filter((p) => source.ids.includes(p.id));
    throw ApplicationFailure.nonRetryable('CQL is not stubbed', 'NotStubbed');
  };

  const activities = {
    async validateInput(raw: In<'validateInput'>): Promise<Out<'validateInput'>> {
      seen('validateInput', raw);
      return IngestInputSchema.parse(raw);
    },
    async listSpaces(input: In<'listSpaces'>): Promise<Out<'listSpaces'>> {
      seen('listSpaces', input);
      const wanted = input.selection.spaces;
      return listingOf(
        wanted.length > 0 ? site.spaces.filter((s) => wanted.includes(s.key)) : site.spaces,
        input.cursor,
        input.limit,
      );
    },
    async listContent(input: In<'listContent'>): Promise<Out<'listContent'>> {
      seen('listContent', input);
      refuseIfRefused();
      const refusal = input.source.kind === 'space' ? unlistable[input.source.space.key] : undefined;
      if (refusal) throw ApplicationFailure.nonRetryable(refusal, 'StubListingRefused');
      const listing = listingOf(pagesOf(input.source), input.cursor, input.limit);
      return { ...listing, items: listing.items.flatMap((p) => (listedTwice.includes(p.id) ? [p, p] : [p])) };
    },
    async classifyPages(input: In<'classifyPages'>): Promise<Out<'classifyPages'>> {
      seen('classifyPages', input);
      return { newOrChanged: input.refs.map((r) => r.id).filter((id) => !unchanged.includes(id)) };
    },
    async syncPermissions(input: In<'syncPermissions'>): Promise<Out<'syncPermissions'>> {
      seen('syncPermissions', input);
      const changed = input.pages.flatMap(({ id }) => (drift[id] ? [{ id, reasons: drift[id].reasons }] : []));
      const ingestAgain = changed.filter(({ id }) => drift[id].again).map(({ id }) => id);
      return { changed, ingestAgain, unproven: [] };
    },
    async findMissing(input: In<'findMissing'>): Promise<Out<'findMissing'>> {
      seen('findMissing', input);
      record.missingAsked.push(input.spaceKey);
      if (input.deleteMissing && tooManyMissing.includes(input.spaceKey))
        throw massDeletionFailure({
          spaceKey: input.spaceKey,
          missing: 9,
          recorded: 10,
          maxDeletePercent: 20,
          revoked: 9,
        });
      return { count: 0, pages: [], deleted: input.deleteMissing };
    },
    async recordedSpaces(input: In<'recordedSpaces'>): Promise<Out<'recordedSpaces'>> {
      seen('recordedSpaces', input);
      return recordedSpaces.map((spaceKey) => ({ spaceKey, pages: 10 }));
    },
    async sweepTempFiles(input: In<'sweepTempFiles'>): Promise<Out<'sweepTempFiles'>> {
      seen('sweepTempFiles', input);
      return { removed: 0 };
    },
    async writeReport(input: In<'writeReport'>): Promise<Out<'writeReport'>> {
      seen('writeReport', input);
      record.reports.push(input.report);
      return { reportPath: `${input.outputDir}/${REPORT_FILE}` };
    },
    async downloadPage(input: In<'downloadPage'>): Promise<Out<'downloadPage'>> {
      seen('downloadPage', input);
      refuseIfRefused();
      const { id } = input.ref;
      record.downloads.push(id);
      if (record.downloads.filter((d) => d === id).length <= (flaky[id] ?? 0)) {
        throw ApplicationFailure.retryable(
          `https://stub.atlassian.net answered 503 on GET /wiki/api/v2/pages/${id}`,
          'ConfluenceServer',
        );
      }
      record.inFlight++;
      record.maxInFlight = Math.max(record.maxInFlight, record.inFlight);
      try {
        if (hold) await Promise.race([released, Context.current().cancelled]);
        if (stuck.includes(id)) await Context.current().cancelled;
        if (pageMs > 0) await Context.current().sleep(pageMs);
      } catch (err) {
        if (Context.current().cancellationSignal.aborted) record.cancelledDownloads.push(id);
        throw err;
      } finally {
        record.inFlight--;
      }
      return downloaded(input);
    },
    async partitionPage(input: In<'partitionPage'>): Promise<Out<'partitionPage'>> {
      seen('partitionPage', input);
      const id = input.document.identifier;
      if (
        movedOnce.includes(id) &&
        record.calls.filter(
          (c) => c.name === 'partitionPage' && (c.input as In<'partitionPage'>).document.identifier === id,
        ).length === 1
      ) {
        throw ApplicationFailure.create({
          type: 'HostChanged',
          nonRetryable: true,
          message: `${id}.html is on another worker`,
        });
      }
      const failure = failPages[input.document.identifier];
      if (failure) throw ApplicationFailure.nonRetryable(failure, 'StubFailure');
      return partitioned(input);
    },
    async uploadPage(input: In<'uploadPage'>): Promise<Out<'uploadPage'>> {
      seen('uploadPage', input);
      record.uploads.push(input.document.identifier);
      return uploaded(input);
    },
    inlinePageImages: notStubbed('inlinePageImages'),
    embedPage: notStubbed('embedPage'),
    downloadPageFiles: notStubbed('downloadPageFiles'),
    partitionExtractedFile: notStubbed('partitionExtractedFile'),
    downloadPageComments: notStubbed('downloadPageComments'),
    partitionParts: notStubbed('partitionParts'),
    uploadExtractedFile: notStubbed('uploadExtractedFile'),
  } satisfies Activities;
  return { activities, record, release };
}
