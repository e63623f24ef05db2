// The extract activities on real HTTP, in Temporal's activity context (heartbeats, cancellation signal):
//   site      the simulator (Cloud), the only origin that may receive credentials
//   second    http://localhost:<p2>, an allowed second host (another origin: other host name and port)
//   forbidden http://127.0.0.1:<p3>, not on the allow-list: it counts requests and must see none
// The simulator renders page bodies from its own content and serves PNG, PDF, CSV, JSON and text attachments only, so
// images and DOCX/XLSX files on other hosts are added to a real page's HTML here and served by the second host.
import { readFileSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { IngestInputSchema, type IngestInput, type Secrets } from '../../src/pipeline/config';
import { createConfluenceClient } from '../../src/connectors/confluence/client/client';
import type { PageRef } from '../../src/connectors/confluence/client/types';
import { documentHtml } from '../../src/connectors/confluence/download';
import type { DocumentRecord } from '../../src/core/document';
import type { Element, PermissionsData } from '../../src/core/elements';
import { workerDestinations } from '../../src/pipeline/activities/destinations';
import { PgDatabases } from '../../src/core/pgDatabases';
import { confluenceActivities } from '../../src/pipeline/activities/confluence';
import { clientCache, type ActivityDeps } from '../../src/pipeline/activities/deps';
import { Handoffs } from '../../src/pipeline/activities/handoff';
import { partitionActivities } from '../../src/pipeline/activities/partition';
import { uploadActivities } from '../../src/pipeline/activities/upload';
import { tempDir } from '../support/stack';
import { GIF, JPEG, PNG, send, startHost, type TestHost } from '../support/hosts';
import { startLocalServer } from '../fixtures/embedding/local-server';
import { PartitionApiConfigSchema } from '../../src/steps/partition/apiConfig';
import { readJson, walk } from '../support/outputs';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'partition', 'files');
const SLOW_BYTES = 3 * 1024 * 1024;
const PERMISSIONS: PermissionsData = [
  { read: { users: ['u-1'], groups: ['g-readers'] } },
  { update: { users: ['u-1'], groups: [] } },
  { delete: { users: [], groups: [] } },
];

async function serveSecond(_req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const p = url.pathname;
  if (p === '/img/photo.jpg') return send(res, JPEG);
  if (p === '/img/anim.gif') return send(res, GIF);
  // No Content-Length: the cap is enforced on the bytes as they arrive.
  if (p === '/img/chunked.jpg') return void res.writeHead(200, { 'content-type': 'image/png' }).end(JPEG);
  if (p === '/files/unavailable.txt') return void res.writeHead(503, { 'retry-after': '7' }).end();
  if (p === '/files/gone.txt') return void res.writeHead(404).end();
  if (p === '/files/slow.bin') {
    // 3 MiB over about two seconds: long enough for the activity to heartbeat more than once.
    res.writeHead(200, { 'content-length': SLOW_BYTES });
    for (let sent = 0; sent < SLOW_BYTES; sent += 64 * 1024) {
      res.write(Buffer.alloc(64 * 1024, 0x61));
      await sleep(40);
    }
    return void res.end();
  }
  const fixture = /^\/files\/(runbook\.docx|metrics\.xlsx)$/.exec(p)?.[1];
  if (fixture) return send(res, readFileSync(path.join(FIXTURES, fixture)));
  if (p.startsWith('/files/')) return send(res, Buffer.from(`text of ${decodeURIComponent(p)}\n`));
  res.writeHead(404).end();
}

const UNSTRUCTURED_KEY = 'unst-key-files-5e6f';
let sim: RunningSimulator;
let second: TestHost;
let forbidden: TestHost;
let acts: ReturnType<typeof extractSteps>;

beforeAll(async () => {
  [sim, second, forbidden] = await Promise.all([
    startSimulator({ seed: 2, spaces: 1, pagesPerSpace: 6 }),
    startHost('localhost', serveSecond),
    startHost('127.0.0.1', (_req, res) => send(res, PNG)),
  ]);
  acts = extractSteps({ apiToken: sim.credentials.apiToken, unstructuredApiKey: UNSTRUCTURED_KEY });
});
afterAll(async () => {
  await Promise.all([sim?.close(), second?.close(), forbidden?.close()]);
});
beforeEach(() => {
  second.requests.length = 0;
  forbidden.requests.length = 0;
  sim.stats.reset();
});

function jobIn(dir: string, extract: Partial<IngestInput['extract']>): IngestInput {
  return IngestInputSchema.parse({
    site: { url: sim.url, cloud: true, auth: 'api-token', username: sim.credentials.username },
    outputDir: path.join(dir, 'out'),
    extract: { allowList: [sim.url, `${second.origin}/`], downloadDir: path.join(dir, 'downloads'), ...extract },
  });
}

/** A real page of the simulator with `extra` HTML appended to its body, written where downloadPage writes it. */
async function pageWith(pageId: string, dir: string, extra: string): Promise<{ ref: PageRef; htmlPath: string }> {
  const job = jobIn(dir, {});
  const { ref, html } = await createConfluenceClient(job.site, { apiToken: sim.credentials.apiToken }).getPage(pageId);
  const htmlPath = path.join(dir, `${pageId}.v${ref.version}.html`);
  await writeFile(htmlPath, documentHtml(ref.title, html + extra));
  return { ref, htmlPath };
}

const link = (href: string, attrs = '') =>
  `<p><a class="confluence-embedded-file" href="${href}" ${attrs}>file</a></p>`;
const pageOf = (title: string) => sim.site.pages.find((p) => p.attachments.some((a) => a.title === title))!;

/** The activities of the extract path, as the worker registers them. */
function extractSteps(secrets: Secrets) {
  const deps: ActivityDeps = {
    secretsFor: () => secrets,
    apiKeyFor: () => secrets.unstructuredApiKey,
    host: { id: 'test-worker', queue: 'test-worker-queue', workDir: tempDir('extract-act-worker') },
  };
  const handoffs = new Handoffs(deps.host);
  return {
    ...confluenceActivities(clientCache(deps), deps, handoffs),
    ...partitionActivities(deps, handoffs),
    ...uploadActivities(workerDestinations({}, new PgDatabases()), handoffs),
  };
}

/** The page as the download step describes it, its content at htmlPath. */
function documentOf(ref: PageRef, htmlPath: string): DocumentRecord {
  return {
    identifier: ref.id,
    version: ref.version,
    displayName: ref.title,
    collection: ref.spaceKey,
    sourceIdentifiers: { filename: `${ref.id}.html`, relativePath: `${ref.spaceKey}/${ref.id}.html` },
    metadata: { url: ref.url, permissions_data: PERMISSIONS },
    content: { path: htmlPath },
    mediaType: 'text/html',
    url: ref.url,
  };
}

function inlineImages(
  steps: typeof acts,
  { job, ref, htmlPath }: { job: IngestInput; ref: PageRef; htmlPath: string },
) {
  const images = { allowList: job.extract.allowList, maxImageBytes: job.extract.maxImageBytes };
  return inActivity(steps.inlinePageImages, {
    site: job.site,
    document: documentOf(ref, htmlPath),
    images,
    timeoutSeconds: job.activityTimeoutSeconds,
    inline: false,
  });
}

function downloadFiles(
  steps: typeof acts,
  { job, ref, htmlPath }: { job: IngestInput; ref: PageRef; htmlPath: string },
  heartbeats: unknown[] = [],
) {
  const { allowList, includeAttachments, forceDownload, maxFileBytes, downloadDir } = job.extract;
  const files = { allowList, includeAttachments, forceDownload, maxFileBytes, downloadDir };
  const html = { path: htmlPath };
  return inActivity(
    steps.downloadPageFiles,
    {
      site: job.site,
      ref,
      html,
      files,
      permissions: job.permissions,
      timeoutSeconds: job.activityTimeoutSeconds,
      inline: false,
    },
    heartbeats,
  );
}

const nameOf = (file: DocumentRecord) => file.sourceIdentifiers.filename;

function inActivity<A, R>(fn: (arg: A) => Promise<R>, arg: A, heartbeats: unknown[] = []): Promise<R> {
  const env = new MockActivityEnvironment();
  env.on('heartbeat', (details: unknown) => heartbeats.push(details));
  return env.run(fn, arg);
}

describe('inlinePageImages', () => {
  it('inlines images of the site and of an allowed second host with their real media types; a forbidden host sees no request', async () => {
    const dir = tempDir('extract-act-images');
    const page = pageOf('architecture.png');
    const forbiddenSrc = `${forbidden.origin}/img/secret.png`;
    const { ref, htmlPath } = await pageWith(
      page.id,
      dir,
      [
        `<p><img src="${second.origin}/img/photo.jpg" alt="photo"></p>`,
        `<p><img src="${second.origin}/img/anim.gif" alt="anim"></p>`,
        `<p><img src="${forbiddenSrc}" alt="forbidden"></p>`,
        `<p><img src="data:image/png;base64,${PNG.toString('base64')}" alt="inline"></p>`,
      ].join(''),
    );
    const job = jobIn(dir, { images: true });

    const result = await inlineImages(acts, { job, ref, htmlPath });

    const html = await readFile(result.document.content.path, 'utf8');
    expect(result.document.content.path).not.toBe(htmlPath);
    const srcs = [...html.matchAll(/<img\b[^>]*?\ssrc="([^"]*)"/g)].map((m) => m[1]!);
    const siteImages = page.attachments.filter((a) => a.mediaType === 'image/png').length;
    expect(srcs).toHaveLength(siteImages + 4);
    expect(srcs.slice(0, siteImages).every((s) => s.startsWith('data:image/png;base64,'))).toBe(true);
    expect(srcs.slice(siteImages)).toEqual([
      `data:image/jpeg;base64,${JPEG.toString('base64')}`,
      `data:image/gif;base64,${GIF.toString('base64')}`,
      forbiddenSrc,
      `data:image/png;base64,${PNG.toString('base64')}`,
    ]);
    expect(forbidden.requests).toHaveLength(0);
    expect(second.requests.map((r) => r.authorization)).toEqual([undefined, undefined]);
    expect(sim.stats.routeCount('/download/attachments/')).toBe(siteImages);
    expect(result.leftOut).toEqual([
      { name: forbiddenSrc, reason: expect.stringMatching(/^refused: .*not under an allowed prefix/) },
    ]);
  });

  it('keeps an image over --max-image-bytes as a URL, with a note', async () => {
    const dir = tempDir('extract-act-image-cap');
    const src = `${second.origin}/img/chunked.jpg`;
    const { ref, htmlPath } = await pageWith(
      sim.site.pages.find((p) => p.attachments.length === 0)!.id,
      dir,
      `<p><img src="${src}"></p>`,
    );
    const result = await inlineImages(acts, {
      job: jobIn(dir, { images: true, maxImageBytes: JPEG.length - 1 }),
      ref,
      htmlPath,
    });
    expect(await readFile(result.document.content.path, 'utf8')).toContain(`src="${src}"`);
    expect(result.leftOut).toEqual([
      { name: src, reason: expect.stringMatching(/^too-large: .*over the \d+-byte cap/) },
    ]);
  });
});

describe('downloadPageFiles -> partitionExtractedFile -> uploadExtractedFile', () => {
  async function ingestFiles(job: IngestInput, ref: PageRef, files: DocumentRecord[]) {
    const outputs = new Map<string, Element[]>();
    for (const file of files) {
      const document = { ...file, metadata: { ...file.metadata, permissions_data: PERMISSIONS } };
      const { site, outputDir, partitionByApi: byApi } = job;
      const partitioned = await inActivity(acts.partitionExtractedFile, { site, document, byApi, inline: false });
      if ('skipped' in partitioned) throw new Error(`${nameOf(file)} skipped: ${partitioned.skipped}`);
      const { location } = await inActivity(acts.uploadExtractedFile, {
        document,
        elements: partitioned.elements,
        outputDir,
      });
      expect(location).toBe(path.join(job.outputDir, ref.spaceKey, ref.id, `${nameOf(file)}.json`));
      outputs.set(nameOf(file), readJson<Element[]>(location));
    }
    return outputs;
  }

  it('makes a PDF, a DOCX, an XLSX and a text file each a document with the page permissions', async () => {
    const dir = tempDir('extract-act-files');
    const page = pageOf('résumé.pdf');
    const { ref, htmlPath } = await pageWith(
      page.id,
      dir,
      link(`${second.origin}/files/runbook.docx`) + link(`${second.origin}/files/metrics.xlsx`),
    );
    const job = jobIn(dir, { files: true });

    const { files, leftOut } = await downloadFiles(acts, { job, ref, htmlPath });
    expect(leftOut).toEqual([]);
    // The body links the page's non-image attachments; images are the other flag's business.
    expect(files.map(nameOf).sort()).toEqual(['meeting notes.txt', 'metrics.xlsx', 'runbook.docx', 'résumé.pdf']);
    const outputs = await ingestFiles(job, ref, files);

    const filetype = (name: string) => outputs.get(name)![0]!.metadata.filetype;
    expect(filetype('résumé.pdf')).toBe('application/pdf');
    expect(filetype('runbook.docx')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(filetype('metrics.xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(filetype('meeting notes.txt')).toBe('text/plain');
    expect(outputs.get('metrics.xlsx')!.map((e) => e.metadata.page_name)).toEqual(['Latency', 'Owners']);
    for (const elements of outputs.values()) {
      for (const el of elements) expect(el.metadata.data_source!.permissions_data).toEqual(PERMISSIONS);
    }
    const docx = outputs.get('runbook.docx')![0]!.metadata.data_source!;
    expect(docx.url).toBe(`${second.origin}/files/runbook.docx`);
    expect(docx.record_locator).toEqual({
      space_id: ref.spaceKey,
      document_id: ref.id,
      parent_url: ref.url,
      file_name: 'runbook.docx',
    });
    expect(docx.filesize_bytes).toBe(statSync(path.join(FIXTURES, 'runbook.docx')).size);
    const pdf = outputs.get('résumé.pdf')![0]!.metadata.data_source!;
    expect(pdf.version).toBe('1');
    expect(pdf.record_locator).toMatchObject({
      attachment_id: page.attachments.find((a) => a.title === 'résumé.pdf')!.id.replace(/^att/, ''),
    });
    // The site got the credentials (its downloads need them); the second host never did.
    expect(sim.stats.routeCount('/download/attachments/')).toBe(2);
    expect(second.requests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('sends each file to the Unstructured API with --partition-by-api, and gives its elements the file data_source', async () => {
    const dir = tempDir('extract-act-api');
    const page = pageOf('résumé.pdf');
    const { ref, htmlPath } = await pageWith(page.id, dir, '');
    const api = await startLocalServer(() => ({
      status: 200,
      body: [
        {
          type: 'NarrativeText',
          element_id: 'c'.repeat(32),
          text: 'From the API.',
          metadata: { filename: 'résumé.pdf' },
        },
      ],
    }));
    try {
      const job = {
        ...jobIn(dir, { files: true }),
        partitionByApi: PartitionApiConfigSchema.parse({ endpoint: `${api.url}/general/v0/general` }),
      };
      const { files } = await downloadFiles(acts, { job, ref, htmlPath });
      const pdf = files.find((f) => nameOf(f) === 'résumé.pdf')!;

      const outputs = await ingestFiles(job, ref, [pdf]);

      expect(api.requests).toHaveLength(1);
      expect(api.requests[0].headers['unstructured-api-key']).toBe(UNSTRUCTURED_KEY);
      expect(api.requests[0].body.includes(Buffer.from('filename="résumé.pdf"'))).toBe(true);
      const [element] = outputs.get('résumé.pdf')!;
      expect(element.text).toBe('From the API.');
      expect(element.metadata.data_source).toMatchObject({
        url: pdf.url,
        record_locator: { file_name: 'résumé.pdf' },
        permissions_data: PERMISSIONS,
      });
    } finally {
      await api.close();
    }
  });

  it('decides reuse by attachment version, or by page version for files without one', async () => {
    const dir = tempDir('extract-act-versions');
    const page = pageOf('architecture.png');
    const versioned = (v: number) =>
      link(
        `${second.origin}/files/notes.txt?version=${v}`,
        `data-linked-resource-id="900" data-linked-resource-version="${v}"`,
      );
    const plain = link(`${second.origin}/files/plain.txt`);
    const run = async (html: string, opts: { pageVersionBump?: number; forceDownload?: boolean } = {}) => {
      second.requests.length = 0;
      const { ref, htmlPath } = await pageWith(page.id, dir, html);
      const job = jobIn(dir, { files: true, forceDownload: opts.forceDownload });
      const result = await downloadFiles(acts, {
        job,
        ref: { ...ref, version: ref.version + (opts.pageVersionBump ?? 0) },
        htmlPath,
      });
      return { fetched: second.requests.map((r) => new URL(r.path, 'http://x').pathname).sort(), files: result.files };
    };

    expect((await run(versioned(1) + plain)).fetched).toEqual(['/files/notes.txt', '/files/plain.txt']);
    const reused = await run(versioned(1) + plain);
    expect(reused.fetched).toEqual([]);
    expect(reused.files.find((f) => nameOf(f) === 'notes.txt')).toMatchObject({
      metadata: { version: '1', record_locator: { attachment_id: '900' } },
      mediaType: 'text/plain',
    });
    expect((await run(versioned(2) + plain)).fetched).toEqual(['/files/notes.txt']);
    expect((await run(versioned(2) + plain, { pageVersionBump: 1 })).fetched).toEqual(['/files/plain.txt']);
    expect((await run(versioned(2) + plain, { pageVersionBump: 1, forceDownload: true })).fetched).toEqual([
      '/files/notes.txt',
      '/files/plain.txt',
    ]);
  });

  it('saves hostile file names inside the download dir under distinct safe names', async () => {
    const dir = tempDir('extract-act-names');
    const names = [
      '../../evil.txt',
      '/etc/passwd',
      'a\u0000b.pdf',
      `${'x'.repeat(300)}.txt`,
      'report.pdf',
      'report.pdf',
      '..\\..\\win.txt',
    ];
    const html = names
      .map((name, i) =>
        link(`${second.origin}/files/f${i}`, `data-linked-resource-default-alias="${name.replace(/"/g, '&quot;')}"`),
      )
      .join('');
    const { ref, htmlPath } = await pageWith(pageOf('architecture.png').id, dir, html);
    const { files } = await downloadFiles(acts, { job: jobIn(dir, { files: true }), ref, htmlPath });

    expect(files).toHaveLength(names.length);
    expect(new Set(files.map(nameOf)).size).toBe(names.length);
    const root = path.join(dir, 'downloads');
    const pageDir = path.join(root, ref.spaceKey, ref.id);
    const onDisk = walk(root).filter((f) => !f.endsWith('.extract-manifest.json'));
    expect(onDisk.sort()).toEqual(files.map((f) => path.relative(root, f.content.path)).sort());
    for (const file of files) {
      expect(path.dirname(file.content.path)).toBe(pageDir);
      expect(Buffer.byteLength(nameOf(file))).toBeLessThanOrEqual(200);
      expect(nameOf(file)).not.toMatch(/[/\\\u0000]|^\./);
    }
  });

  it('heartbeats during a long download, and notes a file over --max-file-bytes without leaving it on disk', async () => {
    const dir = tempDir('extract-act-large');
    const { ref, htmlPath } = await pageWith(
      pageOf('architecture.png').id,
      dir,
      link(`${second.origin}/files/slow.bin`),
    );
    const heartbeats: unknown[] = [];
    const { files } = await downloadFiles(acts, { job: jobIn(dir, { files: true }), ref, htmlPath }, heartbeats);
    expect(statSync(files[0]!.content.path).size).toBe(SLOW_BYTES);
    const progress = heartbeats.filter(
      (h): h is { file: string; bytes: number } => typeof h === 'object' && h !== null && 'bytes' in h,
    );
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((h) => h.file === 'slow.bin')).toBe(true);
    expect(progress.map((h) => h.bytes)).toEqual([...progress.map((h) => h.bytes)].sort((a, b) => a - b));

    const capDir = tempDir('extract-act-cap');
    const capped = await downloadFiles(acts, {
      job: jobIn(capDir, { files: true, maxFileBytes: 1024 * 1024 }),
      ref,
      htmlPath,
    });
    expect(capped.files).toEqual([]);
    expect(walk(path.join(capDir, 'downloads'))).toEqual([]);
    expect(capped.leftOut).toEqual([
      { name: 'slow.bin', reason: expect.stringContaining(`is ${SLOW_BYTES} bytes, over the 1048576-byte cap`) },
    ]);
  });

  it("notes a file that is gone, and fails retryably with the server's delay when one is unavailable", async () => {
    const dir = tempDir('extract-act-errors');
    const page = pageOf('architecture.png');
    const gone = await pageWith(page.id, dir, link(`${second.origin}/files/gone.txt`));
    const result = await downloadFiles(acts, { job: jobIn(dir, { files: true }), ...gone });
    expect(result).toEqual({
      files: [],
      leftOut: [{ name: 'gone.txt', reason: expect.stringContaining('answered HTTP 404') }],
    });

    const unavailable = await pageWith(page.id, dir, link(`${second.origin}/files/unavailable.txt`));
    const failure = await downloadFiles(acts, { job: jobIn(dir, { files: true }), ...unavailable }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ExtractDownload', nonRetryable: false, nextRetryDelay: 7000 });
  });
});

describe('on Data Center', () => {
  it('resolves relative image srcs and attachment links against the page, signed in with a personal access token', async () => {
    const dc = await startSimulator({ seed: 2, spaces: 1, pagesPerSpace: 6, mode: 'dc' });
    try {
      const dir = tempDir('extract-act-dc');
      const secrets = { token: dc.credentials.pat };
      const dcActs = extractSteps(secrets);
      const job = IngestInputSchema.parse({
        site: { url: dc.url, cloud: false, auth: 'pat' },
        outputDir: path.join(dir, 'out'),
        extract: { images: true, files: true, includeAttachments: true, downloadDir: path.join(dir, 'downloads') },
      });
      const page = dc.site.pages.find((p) => p.attachments.some((a) => a.title === 'résumé.pdf'))!;
      const { ref, html } = await createConfluenceClient(job.site, secrets).getPage(page.id);
      expect(html).toContain(`src="${new URL(dc.url).pathname}/download/attachments/${page.id}/`);
      const htmlPath = path.join(dir, `${page.id}.html`);
      await writeFile(htmlPath, documentHtml(ref.title, html));

      const inlined = await inlineImages(dcActs, { job, ref, htmlPath });
      const srcs = [
        ...(await readFile(inlined.document.content.path, 'utf8')).matchAll(/<img\b[^>]*?\ssrc="([^"]*)"/g),
      ].map((m) => m[1]!);
      expect(srcs.length).toBeGreaterThan(0);
      expect(srcs.every((s) => s.startsWith('data:image/png;base64,'))).toBe(true);
      expect(inlined.leftOut).toEqual([]);

      const { files, leftOut } = await downloadFiles(dcActs, { job, ref, htmlPath });
      expect(leftOut).toEqual([]);
      expect(files.map(nameOf).sort()).toEqual(page.attachments.map((a) => a.title).sort());
      expect(
        files.every((f) => f.metadata.version === '1' && f.metadata.record_locator?.attachment_id !== undefined),
      ).toBe(true);
    } finally {
      await dc.close();
    }
  });
});
