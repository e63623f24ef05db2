// The codec server: lets the Temporal UI and CLI show encrypted payloads in clear, without the key leaving this
// process.
// Protocol (Temporal's remote codec): POST /encode and POST /decode with {"payloads":[{"metadata":{k: base64}, "data":
// base64}]},
// answered in the same shape. The UI calls it from the browser, hence CORS for the UI's origin.
import { createHash, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { ConfigError } from '../core/configError';

/** The Temporal UI's port under `temporal server start-dev` and in our docker-compose. */
export const DEFAULT_CORS_ORIGINS = ['http://localhost:8233', 'http://localhost:8080'];
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface CodecServerOptions {
  codec: PayloadCodec;
  port?: number;
  host?: string;
  /** Browser origins allowed to call the server (exact match). */
  corsOrigins?: string[];
  /**
   * When set, every request must carry exactly this Authorization header value (e.g. "Bearer s3cret"); required unless
   * bound to loopback.
   */
  authorization?: string;
  /** Host names (besides loopback's and the bound one) the server answers to, e.g. its service name in a container. */
  allowedHosts?: string[];
}

export interface RunningCodecServer {
  url: string;
  close(): Promise<void>;
}

const base64 = z.string().refine((s) => /^[A-Za-z0-9+/_-]*={0,2}$/.test(s), 'must be base64');
const BodySchema = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })),
});
type JsonPayload = z.infer<typeof BodySchema>['payloads'][number];

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function fromJson(p: JsonPayload): Payload {
  const metadata = Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
  return { metadata, data: Buffer.from(p.data ?? '', 'base64') };
}

function toJson(p: Payload): JsonPayload {
  const metadata = Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  );
  return { metadata, data: Buffer.from(p.data ?? []).toString('base64') };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares digests, so neither the length nor the content of the expected value leaks through timing. */
function authorized(req: IncomingMessage, expected: string | undefined): boolean {
  if (expected === undefined) return true;
  return timingSafeEqual(digest(req.headers.authorization ?? ''), digest(expected));
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.includes(host) || (isIP(host) === 4 && host.startsWith('127.'));
}

/** The names a request may address the server by; a page whose DNS name rebinds to us names its own, and is refused. */
function hostNames(options: CodecServerOptions): Set<string> {
  const bound = options.host ?? '127.0.0.1';
  const wildcard = bound === '0.0.0.0' || bound === '::';
  return new Set([...LOOPBACK_NAMES, ...(wildcard ? [] : [bound]), ...(options.allowedHosts ?? [])]);
}

/** The Host header's name, without the port or an IPv6 literal's brackets. */
function hostOf(req: IncomingMessage): string {
  const header = req.headers.host ?? '';
  return URL.canParse(`http://${header}`) ? new URL(`http://${header}`).hostname.replace(/^\[|\]$/g, '') : header;
}

function corsHeaders(req: IncomingMessage, origins: string[]): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin || !origins.includes(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization',
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes: send fewer payloads at once`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'request body is not JSON: send {"payloads":[{"metadata":{...},"data":"<base64>"}]}');
  }
}

async function transform(req: IncomingMessage, codec: PayloadCodec, direction: 'encode' | 'decode'): Promise<unknown> {
  const parsed = BodySchema.safeParse(await readBody(req));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new HttpError(400, `invalid request: ${problems}`);
  }
  const payloads = parsed.data.payloads.map(fromJson);
  let out: Payload[];
  try {
    out = await (direction === 'encode' ? codec.encode(payloads) : codec.decode(payloads));
  } catch (err) {
    // The codec's messages name key ids and what to fix, never key material.
    throw new HttpError(422, (err as Error).message);
  }
  return { payloads: out.map(toJson) };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...headers, ...(text ? { 'Content-Type': 'application/json' } : {}) }).end(text);
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: CodecServerOptions,
  names: Set<string>,
): Promise<void> {
  const cors = corsHeaders(req, options.corsOrigins ?? DEFAULT_CORS_ORIGINS);
  const direction = new URL(req.url ?? '/', 'http://codec').pathname.replace(/\/+$/, '').split('/').pop();
  try {
    const host = hostOf(req);
    if (!names.has(host))
      throw new HttpError(421, `Host "${host}" is not this server's name: call it by ${[...names].join(', ')}`);
    if (direction !== 'encode' && direction !== 'decode')
      throw new HttpError(404, 'not found: POST /encode or /decode');
    // Browsers send preflights without credentials, so they are answered before the auth check.
    if (req.method === 'OPTIONS') return send(res, 204, cors);
    if (req.method !== 'POST') throw new HttpError(405, `${req.method} not allowed: use POST`);
    if (!authorized(req, options.authorization)) throw new HttpError(401, 'missing or wrong Authorization header');
    // A form or text/plain body is a "simple" cross-origin request no preflight guards: only JSON is taken.
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? ''))
      throw new HttpError(415, 'send the payloads as Content-Type: application/json');
    send(res, 200, cors, await transform(req, options.codec, direction));
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 500;
    send(res, status, cors, { error: err instanceof HttpError ? err.message : 'internal error' });
  }
}

export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && options.authorization === undefined) {
    throw new ConfigError(
      `a codec server on ${host} would decrypt for anyone who reaches it: give --auth-header-file, or --host 127.0.0.1`,
    );
  }
  const names = hostNames(options);
  const server = createServer((req, res) => void handle(req, res, options, names));
  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const { address, port } = server.address() as AddressInfo;
  const shown = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${shown}:${port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
