// Real HTTP over 127.0.0.1. Three servers, three origins:
//   site      http://127.0.0.1:<p1>/wiki   the Confluence site: the only origin that may receive credentials
//   second    http://localhost:<p2>/img/   an allowed second host. Another origin twice over (other host name AND other
//                                          port), though it is the same machine: the origin rule compares scheme, host
//                                          and port as written, so it never gets the Authorization header
//   forbidden http://127.0.0.1:<p3>/       not on the allow-list; it counts requests and must see none
import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import { createUrlPolicy, type UrlPolicy } from '../../src/connectors/confluence/extract/allowList';
import {
  createGuardedAgent,
  DownloadError,
  downloadToFile,
  fetchBytes,
  type FetchOptions,
} from '../../src/connectors/confluence/extract/download';
import { inlineImages } from '../../src/connectors/confluence/extract/inlineImages';
import { MEDIA } from '../../src/connectors/confluence/extract/mediaType';
import { assignSafeNames } from '../../src/connectors/confluence/extract/safeName';
import { resolveInside } from '../../src/core/safePath';
import { GIF, JPEG, PNG, send, startHost, type TestHost } from '../support/hosts';
import { until } from '../support/until';

const WEBP = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');
const PDF = Buffer.from(
  '%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);
const AUTH = { authorization: 'Basic dXNlcjpzM2NyZXQ=' };
const MiB = 1024 * 1024;

function redirect(res: ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { location });
  res.end();
}

/** `total` zero bytes produced lazily, with backpressure: the server never holds the body. */
async function stream(res: ServerResponse, total: number, announce: boolean): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024);
  async function* body() {
    for (let sent = 0; sent < total; sent += chunk.length)
      yield chunk.subarray(0, Math.min(chunk.length, total - sent));
  }
  res.writeHead(200, announce ? { 'content-length': total } : {});
  await pipeline(Readable.from(body()), res);
}

let site: TestHost;
let second: TestHost;
let forbidden: TestHost;
let policy: UrlPolicy;
let agent: Agent;
let sandbox: string;
const attachmentBodies = new Map<string, Buffer>();

beforeAll(async () => {
  forbidden = await startHost('127.0.0.1', (_req, res) => send(res, PNG));
  second = await startHost('localhost', (_req, res, url) => {
    if (url.pathname === '/img/photo.jpg') return send(res, JPEG);
    if (url.pathname === '/img/anim.webp') return send(res, WEBP);
    res.writeHead(404).end();
  });
  site = await startHost('127.0.0.1', async (_req, res, url) => {
    const p = url.pathname;
    if (p === '/wiki/download/attachments/1/pic.png') return send(res, PNG);
    if (p === '/wiki/images/anim.gif') return send(res, GIF);
    if (p === '/wiki/doc.pdf') return send(res, PDF, 'application/octet-stream');
    if (p === '/wiki/login') return send(res, Buffer.from('<!DOCTYPE html><html><body>Log in</body></html>'));
    if (p === '/wiki/big.png') return send(res, Buffer.concat([PNG, Buffer.alloc(200 * 1024)]));
    if (p === '/wiki/to-forbidden') return redirect(res, `${forbidden.origin}/evil.png`);
    if (p === '/wiki/to-second') return redirect(res, `${second.origin}/img/photo.jpg`, 307);
    if (p === '/wiki/to-inside') return redirect(res, '/wiki/images/anim.gif', 301);
    if (p === '/wiki/to-file') return redirect(res, 'file:///etc/passwd');
    if (p === '/wiki/to-obfuscated')
      return redirect(res, `http://2130706433:${new URL(site.origin).port}/wiki/images/anim.gif`);
    if (p === '/wiki/loop') return redirect(res, '/wiki/loop');
    if (p === '/wiki/stream')
      return stream(res, Number(url.searchParams.get('bytes')), url.searchParams.has('announce'));
    if (p === '/wiki/slow') {
      res.writeHead(200, { 'content-length': 10 });
      res.write('x'); // then never finish
      return;
    }
    if (p === '/wiki/busy') return void res.writeHead(503, { 'retry-after': '7' }).end();
    if (p.startsWith('/wiki/attachments/')) {
      const body = attachmentBodies.get(decodeURIComponent(p.slice('/wiki/attachments/'.length)));
      return body ? send(res, body, 'application/octet-stream') : void res.writeHead(404).end();
    }
    res.writeHead(404).end();
  });
  policy = createUrlPolicy({
    siteUrl: `${site.origin}/wiki`,
    allowList: [`${site.origin}/wiki`, `${second.origin}/img/`],
  });
  agent = createGuardedAgent(policy);
  sandbox = await mkdtemp(path.join(tmpdir(), 'extract-http-'));
});

afterAll(async () => {
  await agent?.close();
  await Promise.all([site?.close(), second?.close(), forbidden?.close()]);
  await rm(sandbox, { recursive: true, force: true });
});

beforeEach(() => {
  for (const s of [site, second, forbidden]) s.requests.length = 0;
});

function options(extra: Partial<FetchOptions> = {}): FetchOptions {
  return { policy, headers: AUTH, maxBytes: 10 * MiB, timeoutMs: 10_000, dispatcher: agent, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<DownloadError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DownloadError);
  return err as DownloadError;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : Promise.resolve([path.join(dir, e.name)]))),
  );
  return nested.flat();
}

describe('inlineImages over real HTTP', () => {
  it('inlines site and second-host images with sniffed types; the forbidden host gets zero requests', async () => {
    const html = [
      '<p>Diagram <img class="confluence-embedded-image" src="/wiki/download/attachments/1/pic.png?version=1&amp;api=v2" alt="d"></p>',
      `<p><img src="${site.origin}/wiki/images/anim.gif"><img src="${site.origin}/wiki/images/anim.gif"></p>`,
      `<p><img src="${second.origin}/img/photo.jpg"><img src="${second.origin}/img/anim.webp"></p>`,
      `<p><img src="${forbidden.origin}/evil.png?token=abc"></p>`,
      '<p><img src="data:image/png;base64,AAAA" alt="already inline"></p>',
      '<p><img src="/wiki/login"><img src="/wiki/big.png"><img src="file:///etc/passwd"></p>',
      '<p>Text with &lt;markup&gt; &amp; Ümlauts stays text.</p>',
    ].join('\n');
    const result = await inlineImages(html, {
      policy,
      baseUrl: `${site.origin}/wiki/spaces/DOC/pages/1`,
      maxImageBytes: 100 * 1024,
      fetch: (url, maxBytes) => fetchBytes(url, options({ maxBytes })),
    });

    const dataUri = (type: string, bytes: Buffer) => `src="data:${type};base64,${bytes.toString('base64')}"`;
    expect(result.html).toContain(dataUri(MEDIA.png, PNG));
    expect(result.html.split(dataUri(MEDIA.gif, GIF))).toHaveLength(3);
    expect(result.html).toContain(dataUri(MEDIA.jpeg, JPEG));
    expect(result.html).toContain(dataUri(MEDIA.webp, WEBP));
    expect(result.inlined).toBe(5);
    expect(result.html).toContain(`src="${forbidden.origin}/evil.png?token=abc"`);
    expect(result.html).toContain('src="data:image/png;base64,AAAA"');
    expect(result.html).toContain('src="/wiki/login"');
    expect(result.html).toContain('src="/wiki/big.png"');
    expect(result.html).toContain('Text with &lt;markup&gt; &amp; Ümlauts stays text.');

    expect(forbidden.requests).toEqual([]);
    expect(second.requests.map((r) => r.authorization)).toEqual([undefined, undefined]);
    expect(site.requests.every((r) => r.authorization === AUTH.authorization)).toBe(true);
    expect(site.requests.filter((r) => r.path.startsWith('/wiki/images/anim.gif'))).toHaveLength(1);

    const notes = Object.fromEntries(result.notes.map((n) => [n.src, n.reason]));
    expect(notes).toEqual({
      [`${forbidden.origin}/evil.png`]: 'refused',
      [`${site.origin}/wiki/login`]: 'not-an-image',
      [`${site.origin}/wiki/big.png`]: 'too-large',
      'file:...': 'refused',
    });
    expect(JSON.stringify(result.notes)).not.toContain('token=abc');
  });

  it('rethrows retryable failures so the activity retries instead of dropping the image', async () => {
    const err = await failure(
      inlineImages('<img src="/wiki/busy">', {
        policy,
        baseUrl: `${site.origin}/wiki/`,
        maxImageBytes: MiB,
        fetch: (url, maxBytes) => fetchBytes(url, options({ maxBytes })),
      }),
    );
    expect(err).toMatchObject({ code: 'http-status', status: 503, retryable: true, retryAfter: '7' });
  });
});

describe('downloadToFile: redirects and credentials', () => {
  it('does not follow a redirect from the site to a forbidden host', async () => {
    const dest = path.join(sandbox, 'redirect', 'evil.png');
    const err = await failure(downloadToFile(`${site.origin}/wiki/to-forbidden`, dest, options()));
    expect(err.code).toBe('refused');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^redirect 1 refused: .* is not under an allowed prefix; add it to --allow-list/);
    expect(forbidden.requests).toEqual([]);
    expect(await readdir(path.dirname(dest))).toEqual([]);
  });

  it('follows a redirect to the allowed second host without the credentials', async () => {
    const dest = path.join(sandbox, 'second', 'photo.jpg');
    const got = await downloadToFile(`${site.origin}/wiki/to-second`, dest, options());
    expect(got).toMatchObject({ bytes: JPEG.length, mediaType: MEDIA.jpeg, url: `${second.origin}/img/photo.jpg` });
    expect(await readFile(dest)).toEqual(JPEG);
    expect(site.requests).toEqual([{ path: '/wiki/to-second', authorization: AUTH.authorization }]);
    expect(second.requests).toEqual([{ path: '/img/photo.jpg', authorization: undefined }]);
  });

  it('keeps the credentials on a redirect within the site origin', async () => {
    const got = await downloadToFile(`${site.origin}/wiki/to-inside`, path.join(sandbox, 'inside', 'a.gif'), options());
    expect(got.mediaType).toBe(MEDIA.gif);
    expect(site.requests.map((r) => r.authorization)).toEqual([AUTH.authorization, AUTH.authorization]);
  });

  it('refuses a redirect to file:, stops redirect loops, and refuses an unlisted start URL without a request', async () => {
    const dest = path.join(sandbox, 'misc', 'x');
    expect((await failure(downloadToFile(`${site.origin}/wiki/to-file`, dest, options()))).code).toBe('refused');
    const obfuscated = await failure(downloadToFile(`${site.origin}/wiki/to-obfuscated`, dest, options()));
    expect(obfuscated.message).toMatch(/^redirect 1 refused: .*non-canonical form/);
    expect(site.requests.map((r) => r.path)).toEqual(['/wiki/to-file', '/wiki/to-obfuscated']);
    const loop = await failure(downloadToFile(`${site.origin}/wiki/loop`, dest, options({ maxRedirects: 3 })));
    expect(loop.code).toBe('too-many-redirects');
    expect(site.requests.filter((r) => r.path === '/wiki/loop')).toHaveLength(4);
    const direct = await failure(downloadToFile(`${forbidden.origin}/x.png`, dest, options()));
    expect(direct.code).toBe('refused');
    expect(forbidden.requests).toEqual([]);
  });
});

describe('downloadToFile: DNS guard', async () => {
  // The machine's own name resolves to a loopback address here: an allowed DNS name pointing into the private
  // network, as a rebinding attack would arrange.
  const name = hostname();
  const addresses = await lookup(name, { all: true }).catch(() => []);
  const loopbackV4 = addresses.length > 0 && addresses.every((a) => a.address.startsWith('127.'));

  it.skipIf(!loopbackV4)('refuses a non-site DNS name resolving to a private address, unless allowed', async () => {
    const port = new URL(second.origin).port;
    const allowList = [`${site.origin}/wiki`, `http://${name}:${port}/img/`];
    const guarded = createUrlPolicy({ siteUrl: `${site.origin}/wiki`, allowList });
    const url = `http://${name}:${port}/img/photo.jpg`;
    const dest = path.join(sandbox, 'dns', 'photo.jpg');
    const err = await failure(downloadToFile(url, dest, options({ policy: guarded, dispatcher: undefined })));
    expect(err.code).toBe('refused');
    expect(err.message).toMatch(/resolves to the private address 127\./);
    expect(second.requests).toEqual([]);

    const open = createUrlPolicy({ siteUrl: `${site.origin}/wiki`, allowList, allowPrivateNetwork: true });
    const got = await downloadToFile(url, dest, options({ policy: open, dispatcher: undefined }));
    expect(got.mediaType).toBe(MEDIA.jpeg);
    expect(second.requests).toHaveLength(1);
  });
});

describe('downloadToFile: results, caps, deadlines', () => {
  it('returns size, sniffed type and sha256; the header type is ignored', async () => {
    const dest = path.join(sandbox, 'pdf', 'doc.pdf');
    const got = await downloadToFile(`${site.origin}/wiki/doc.pdf`, dest, options());
    expect(got).toEqual({
      path: dest,
      bytes: PDF.length,
      mediaType: MEDIA.pdf,
      sha256: createHash('sha256').update(PDF).digest('hex'),
      url: `${site.origin}/wiki/doc.pdf`,
    });
  });

  it('refuses an announced oversize body before reading it, and a chunked one as soon as it passes the cap', async () => {
    const dir = path.join(sandbox, 'cap');
    const announced = await failure(
      downloadToFile(
        `${site.origin}/wiki/stream?bytes=${8 * MiB}&announce`,
        path.join(dir, 'a.bin'),
        options({ maxBytes: MiB }),
      ),
    );
    expect(announced.code).toBe('too-large');
    expect(announced.message).toContain(`is ${8 * MiB} bytes, over the ${MiB}-byte cap; raise the cap`);

    let seen = 0;
    const chunked = await failure(
      downloadToFile(
        `${site.origin}/wiki/stream?bytes=${8 * MiB}`,
        path.join(dir, 'b.bin'),
        options({
          maxBytes: MiB,
          onProgress: (bytes) => {
            seen = bytes;
          },
        }),
      ),
    );
    expect(chunked.code).toBe('too-large');
    expect(chunked.message).toContain(`more than ${MiB} bytes`);
    expect(seen).toBeLessThanOrEqual(MiB);
    expect(await readdir(dir)).toEqual([]); // temp files cleaned up, nothing renamed into place
  });

  it('gives up at the deadline and on cancellation, leaving no file', async () => {
    const dir = path.join(sandbox, 'slow');
    const started = Date.now();
    const timeout = await failure(
      downloadToFile(`${site.origin}/wiki/slow`, path.join(dir, 't'), options({ timeoutMs: 300 })),
    );
    expect(timeout).toMatchObject({ code: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(5_000);

    const controller = new AbortController();
    const slowAsked = () => site.requests.filter((r) => r.path === '/wiki/slow').length;
    const before = slowAsked();
    const aborting = failure(
      downloadToFile(`${site.origin}/wiki/slow`, path.join(dir, 'c'), options({ signal: controller.signal })),
    );
    // Cancelled mid-body, with a temp file begun.
    await until(() => slowAsked() > before, 'the slow download to begin');
    controller.abort();
    const aborted = await aborting;
    expect(aborted).toMatchObject({ code: 'aborted', retryable: false });
    expect(await readdir(dir)).toEqual([]);
  });

  it('maps HTTP failures to retryable or not', async () => {
    const dest = path.join(sandbox, 'status', 'x');
    expect(await failure(downloadToFile(`${site.origin}/wiki/nothing-here`, dest, options()))).toMatchObject({
      code: 'http-status',
      status: 404,
      retryable: false,
    });
    expect(await failure(downloadToFile(`${site.origin}/wiki/busy`, dest, options()))).toMatchObject({
      code: 'http-status',
      status: 503,
      retryable: true,
      retryAfter: '7',
    });
  });

  it('streams 50 MB to disk: the file grows while the body arrives and live memory stays flat', async () => {
    const total = 50 * MiB;
    const dir = path.join(sandbox, 'stream');
    const dest = path.join(dir, 'big.bin');
    // Live buffer memory after a full GC, sampled at quarters: buffering the body would grow it by the body's size
    // (measured: about 50 MiB when chunks are kept, under 13 MiB when streaming, socket and disk queues included).
    const gc = fullGc();
    gc();
    const liveBefore = process.memoryUsage().arrayBuffers;
    const rssBefore = process.memoryUsage.rss();
    let liveGrowth = 0;
    let onDiskAtHalf = -1;
    let progressCalls = 0;
    let nextSample = total / 4;
    const got = await downloadToFile(
      `${site.origin}/wiki/stream?bytes=${total}&announce`,
      dest,
      options({
        maxBytes: 64 * MiB,
        timeoutMs: 60_000,
        onProgress: (bytes) => {
          progressCalls++;
          if (onDiskAtHalf < 0 && bytes >= total / 2) {
            const temp = readdirSync(dir).find((f) => f.startsWith('big.bin.part-'))!;
            onDiskAtHalf = statSync(path.join(dir, temp)).size;
          }
          if (bytes >= nextSample) {
            nextSample += total / 4;
            gc();
            liveGrowth = Math.max(liveGrowth, process.memoryUsage().arrayBuffers - liveBefore);
          }
        },
      }),
    );
    const rssGrowth = process.memoryUsage.rss() - rssBefore;
    const zeros = createHash('sha256');
    for (let i = 0; i < total / MiB; i++) zeros.update(Buffer.alloc(MiB));
    expect(got).toMatchObject({ bytes: total, sha256: zeros.digest('hex'), mediaType: MEDIA.binary });
    expect(statSync(dest).size).toBe(total);
    // Half-way through, all but the write stream's small buffer is already on disk.
    expect(onDiskAtHalf).toBeGreaterThan(total / 2 - 2 * MiB);
    expect(progressCalls).toBeGreaterThan(100);
    console.log(
      JSON.stringify({
        streamedMiB: total / MiB,
        liveBufferGrowthMiB: round(liveGrowth / MiB),
        rssGrowthMiB: round(rssGrowth / MiB),
      }),
    );
    expect(liveGrowth).toBeLessThan(total / 2);
    await rm(dest);
  });
});

function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

describe('hostile attachment names over real downloads', () => {
  it('lands every file inside the download dir with a distinct safe name', async () => {
    const names = [
      '../../evil.txt',
      '/etc/passwd',
      'a\u0000b.pdf',
      `${'n'.repeat(296)}.pdf`,
      'report.pdf',
      'report.pdf',
    ];
    const items = names.map((name, i) => ({ key: `att${i + 1}`, name }));
    for (const item of items) attachmentBodies.set(item.key, Buffer.from(`content of ${item.key}`));
    const jail = path.join(sandbox, 'jail');
    const downloadDir = path.join(jail, 'downloads');

    const safe = assignSafeNames(items);
    for (const item of items) {
      const dest = resolveInside(downloadDir, 'SPACE', '4242', safe.get(item.key)!);
      await downloadToFile(`${site.origin}/wiki/attachments/${item.key}`, dest, options());
    }

    const files = await walk(jail);
    const pageDir = path.join(downloadDir, 'SPACE', '4242');
    expect(files).toHaveLength(items.length);
    for (const file of files) expect(path.dirname(file)).toBe(pageDir);
    const written = files.map((f) => path.basename(f));
    expect(new Set(written.map((n) => n.toLowerCase())).size).toBe(items.length);
    for (const n of written) {
      expect(n).not.toMatch(/[\u0000-\u001f/\\]/);
      expect(Buffer.byteLength(n)).toBeLessThanOrEqual(200);
    }
    expect(written).toEqual(expect.arrayContaining(['evil.txt', 'passwd', 'a_b.pdf', 'report.pdf']));
    for (const item of items) {
      expect(await readFile(path.join(pageDir, safe.get(item.key)!), 'utf8')).toBe(`content of ${item.key}`);
    }
    const everywhere = await walk(sandbox);
    for (const file of everywhere.filter((f) => ['evil.txt', 'passwd'].includes(path.basename(f)))) {
      expect(path.dirname(file)).toBe(pageDir);
    }
  });
});
