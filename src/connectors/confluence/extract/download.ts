// Fetches one file under the URL policy: every redirect hop is re-checked, credentials go only to the site's
// origin, DNS answers are vetted at connect time, and bodies stream to disk with a size cap and a deadline.
import { createHash, randomBytes } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { LookupFunction } from 'node:net';
import * as path from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../../core/ownerOnly';
import { describeUrl, type UrlPolicy } from './allowList';
import { sniffFile } from './mediaType';

/** The suffix of a download in progress; what a crash leaves behind is swept at the end of a run. */
export const PART_SUFFIX = /\.part-[0-9a-f]{8}$/;

export type DownloadErrorCode =
  | 'refused' // the policy or the DNS guard said no: not retryable
  | 'too-large'
  | 'http-status'
  | 'too-many-redirects'
  | 'bad-redirect'
  | 'timeout'
  | 'aborted'
  | 'network';

/** One-line, secret-free failure; `retryable` tells the activity whether Temporal should try again. */
export class DownloadError extends Error {
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** Raw Retry-After of a 429/503, for the activity's nextRetryDelay. */
    readonly retryAfter?: string,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface FetchOptions {
  policy: UrlPolicy;
  /** Credential headers (Authorization, Cookie): sent only on hops the policy grants credentials to. */
  headers?: Record<string, string>;
  maxBytes: number;
  /** Deadline for the whole download, redirects and body included. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called as bytes arrive (the activity heartbeats from here). */
  onProgress?: (bytes: number, total: number | undefined) => void;
  /**
   * A shared agent from createGuardedAgent(policy) (same policy: it carries the DNS guard); without one a
   * private agent is made and closed.
   */
  dispatcher?: Dispatcher;
  maxRedirects?: number;
}

export interface Downloaded {
  path: string;
  bytes: number;
  mediaType: string;
  sha256: string;
  /** Final URL after redirects, without query (safe to report). */
  url: string;
}

const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const REFUSED = Symbol('refused by the DNS guard');

/**
 * An undici agent whose DNS lookups refuse private addresses for non-site hosts (see UrlPolicy.mayConnect).
 * Share one per policy across downloads to reuse connections; close it when the worker stops.
 */
export function createGuardedAgent(policy: UrlPolicy, options: Omit<Agent.Options, 'connect'> = {}): Agent {
  return new Agent({ ...options, connect: { lookup: guardedLookup(policy) } });
}

function guardedLookup(policy: UrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const bad = addresses.find((a) => !policy.mayConnect(hostname, a.address));
      if (bad) {
        const refusal = new Error(
          `${hostname} resolves to the private address ${bad.address}; list it as an IP in --allow-list or allow the private network`,
        );
        return callback(Object.assign(refusal, { [REFUSED]: true }), '', 0);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** Streams `url` to `dest` through a temp file in the same directory, renamed into place only when complete. */
export async function downloadToFile(url: string | URL, dest: string, opts: FetchOptions): Promise<Downloaded> {
  await mkdir(path.dirname(dest), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = `${dest}.part-${randomBytes(4).toString('hex')}`;
  try {
    const got = await withResponse(url, opts, () => createWriteStream(temp, { flags: 'wx', mode: PRIVATE_FILE_MODE }));
    const mediaType = await sniffFile(temp);
    await rename(temp, dest);
    return { path: dest, bytes: got.bytes, mediaType, sha256: got.sha256, url: describeUrl(got.finalUrl) };
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** The whole body in memory, for small things with a tight cap (inline images). */
export async function fetchBytes(url: string | URL, opts: FetchOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await withResponse(
    url,
    opts,
    () => new Writable({ write: (chunk: Buffer, _enc, done) => done(void chunks.push(chunk)) }),
  );
  return Buffer.concat(chunks);
}

/**
 * Resolves redirects, then pipes the capped, counted, hashed body into `sink()`; maps every failure to a DownloadError.
 */
async function withResponse(
  url: string | URL,
  opts: FetchOptions,
  sink: () => Writable,
): Promise<{ bytes: number; sha256: string; finalUrl: URL }> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const dispatcher = opts.dispatcher ?? createGuardedAgent(opts.policy);
  try {
    const { res, finalUrl } = await follow(url, opts, dispatcher, signal);
    const total = contentLength(res);
    if (total !== undefined && total > opts.maxBytes) {
      // Destroying a body that already arrived emits "aborted": with no listener that would crash the worker.
      res.body.on('error', () => undefined).destroy();
      throw tooLarge(finalUrl, opts.maxBytes, total);
    }
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > opts.maxBytes) return done(tooLarge(finalUrl, opts.maxBytes));
        hash.update(chunk);
        opts.onProgress?.(bytes, total);
        done(null, chunk);
      },
    });
    await pipeline(res.body, meter, sink(), { signal });
    return { bytes, sha256: hash.digest('hex'), finalUrl };
  } catch (err) {
    throw toDownloadError(err, url, opts.signal, timeout, opts.timeoutMs);
  } finally {
    if (!opts.dispatcher) await dispatcher.destroy();
  }
}

async function follow(
  start: string | URL,
  opts: FetchOptions,
  dispatcher: Dispatcher,
  signal: AbortSignal,
): Promise<{ res: Dispatcher.ResponseData; finalUrl: URL }> {
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  // Each Location is checked as written, against the URL that sent it, so its host form is judged too.
  let target: string | URL = start;
  let base: URL | undefined;
  for (let hop = 0; hop <= maxRedirects; hop++) {
    const verdict = opts.policy.check(target, base);
    if (!verdict.ok) {
      const what = hop === 0 ? 'refused' : `redirect ${hop} refused`;
      throw new DownloadError('refused', `${what}: ${verdict.reason}`, false);
    }
    const headers = {
      'accept-encoding': 'identity',
      ...(verdict.sendCredentials ? opts.headers : {}),
    };
    const res = await request(verdict.url, { method: 'GET', headers, dispatcher, signal });
    if (res.statusCode >= 200 && res.statusCode < 300) return { res, finalUrl: verdict.url };
    await res.body.dump();
    if (!REDIRECTS.has(res.statusCode)) throw statusError(verdict.url, res);
    const location = header(res, 'location');
    if (!location) {
      throw new DownloadError(
        'bad-redirect',
        `${describeUrl(verdict.url)} answered ${res.statusCode} without a Location`,
        false,
      );
    }
    target = location;
    base = verdict.url;
  }
  throw new DownloadError(
    'too-many-redirects',
    `${describeUrl(start)} redirected more than ${maxRedirects} times; check the URL`,
    false,
  );
}

function header(res: Dispatcher.ResponseData, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function contentLength(res: Dispatcher.ResponseData): number | undefined {
  const value = Number(header(res, 'content-length'));
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function statusError(url: URL, res: Dispatcher.ResponseData): DownloadError {
  const status = res.statusCode;
  const hint = status === 401 || status === 403 ? '; check the credentials and the page permissions' : '';
  return new DownloadError(
    'http-status',
    `${describeUrl(url)} answered HTTP ${status}${hint}`,
    RETRYABLE_STATUS.has(status),
    status,
    header(res, 'retry-after'),
  );
}

function tooLarge(url: URL, maxBytes: number, announced?: number): DownloadError {
  const size = announced === undefined ? `more than ${maxBytes}` : `${announced}`;
  return new DownloadError(
    'too-large',
    `${describeUrl(url)} is ${size} bytes, over the ${maxBytes}-byte cap; raise the cap to fetch it`,
    false,
  );
}

function toDownloadError(
  err: unknown,
  url: string | URL,
  callerSignal: AbortSignal | undefined,
  timeout: AbortSignal,
  timeoutMs: number,
): DownloadError {
  if (err instanceof DownloadError) return err;
  const where = describeUrl(url);
  if (callerSignal?.aborted) return new DownloadError('aborted', `download of ${where} was cancelled`, false);
  if (timeout.aborted) {
    return new DownloadError(
      'timeout',
      `download of ${where} took longer than ${timeoutMs} ms; raise the timeout`,
      true,
    );
  }
  const cause = findCause(err);
  if (cause && REFUSED in cause) return new DownloadError('refused', `refused: ${cause.message}`, false);
  const detail = cause && 'code' in cause ? String(cause.code) : err instanceof Error ? err.message : String(err);
  return new DownloadError('network', `download of ${where} failed: ${detail}`, true);
}

/** undici wraps connect errors; the refusal or the errno sits somewhere down the cause chain. */
function findCause(err: unknown): Error | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (REFUSED in e || 'code' in e) return e;
  }
  return undefined;
}
