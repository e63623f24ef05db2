// Opens the checkpoint's SQLite file so several worker processes on one host can share it, and creates or
// upgrades its schema. SQLite's own errors are turned into one line naming the file and the fix.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { DiskFullError } from '../core/diskFull';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../core/ownerOnly';
import { StoreError } from '../core/storeError';

// A writer holds the lock for one short transaction; other processes wait this long before giving up.
const BUSY_TIMEOUT_MS = 15_000;

const SCHEMA_V1 = `
  CREATE TABLE pages (
    site TEXT NOT NULL,
    page_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    space_key TEXT NOT NULL,
    title TEXT NOT NULL,
    output_paths TEXT NOT NULL,
    digest TEXT NOT NULL,
    committed_at TEXT NOT NULL,
    run_id TEXT NOT NULL,
    PRIMARY KEY (site, page_id)
  ) WITHOUT ROWID;
  CREATE INDEX pages_by_space ON pages (site, space_key, page_id);
  -- Kept apart from pages: a page is seen when listed, which may be before its first commit.
  CREATE TABLE seen (
    site TEXT NOT NULL,
    page_id TEXT NOT NULL,
    generation TEXT NOT NULL,
    PRIMARY KEY (site, page_id)
  ) WITHOUT ROWID;
`;

// v2: seen marks per generation (v1 kept one per page, so two runs overwrote each other's), and the generations
// themselves: when each started (missing() only judges pages recorded before that), when it was last active
// (idle ones are pruned) and whether it was pruned. v1's marks are carried over, so a run in flight across the
// upgrade keeps what it listed; their generations count as started now.
const SCHEMA_V2 = `
  ALTER TABLE seen RENAME TO seen_v1;
  CREATE TABLE seen (
    site TEXT NOT NULL,
    generation TEXT NOT NULL,
    page_id TEXT NOT NULL,
    PRIMARY KEY (site, generation, page_id)
  ) WITHOUT ROWID;
  CREATE INDEX seen_by_page ON seen (site, page_id);
  CREATE TABLE generations (
    site TEXT NOT NULL,
    generation TEXT NOT NULL,
    started_at TEXT NOT NULL,
    touched_at TEXT NOT NULL,
    pruned_at TEXT,
    PRIMARY KEY (site, generation)
  ) WITHOUT ROWID;
  INSERT INTO seen (site, generation, page_id) SELECT site, generation, page_id FROM seen_v1;
  INSERT INTO generations (site, generation, started_at, touched_at)
    SELECT DISTINCT site, generation, @now, @now FROM seen_v1;
  DROP TABLE seen_v1;
`;

// v3: what besides the version decides whether a page's outputs are current (a digest of its labels and comments);
// '' for pages recorded before, which had neither in their outputs.
const SCHEMA_V3 = `ALTER TABLE pages ADD COLUMN content_version TEXT NOT NULL DEFAULT ''`;

// v4: what the permissions written rest on (permissions are checked on every run: they change without a new version);
// '' for pages recorded before, whose permissions are then rewritten once.
const SCHEMA_V4 = `ALTER TABLE pages ADD COLUMN permissions_version TEXT NOT NULL DEFAULT ''`;

/** Migration n (1-based) brings user_version n-1 to n; each runs inside the opener's IMMEDIATE transaction. */
const MIGRATIONS: ReadonlyArray<(db: Database.Database, now: string) => void> = [
  (db) => db.exec(SCHEMA_V1),
  (db, now) => {
    // exec() takes no parameters, so the statements carrying @now are run one by one.
    for (const sql of SCHEMA_V2.split(';')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const statement = db.prepare(sql);
      if (sql.includes('@now')) statement.run({ now });
      else statement.run();
    }
  },
  (db) => db.exec(SCHEMA_V3),
  (db) => db.exec(SCHEMA_V4),
];

export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

/**
 * Rewrites a SQLite failure as a checkpoint StoreError (or, the disk full, a DiskFullError) that names the file; other errors
 * pass through.
 */
export function explainSqliteError(path: string, err: unknown): unknown {
  if (!(err instanceof Database.SqliteError)) return err;
  if (CORRUPT_CODES.has(err.code)) {
    return new StoreError(
      'checkpoint',
      `checkpoint file ${path} is not a valid SQLite database (${err.code}); move it aside or delete it (the next run then re-ingests every page)`,
    );
  }
  if (err.code === 'SQLITE_FULL') return new DiskFullError(path, err.code);
  if (err.code === 'SQLITE_BUSY') {
    return new StoreError(
      'checkpoint',
      `checkpoint file ${path} stayed locked for over ${BUSY_TIMEOUT_MS / 1000}s (${err.code}); ` +
        'another process holds it: stop the stuck process, or keep the file on a local disk (not a network share)',
    );
  }
  return new StoreError(
    'checkpoint',
    `cannot use checkpoint file ${path} (${err.code}: ${err.message}); check that its folder is on a local disk and writable by this user`,
  );
}

function migrate(db: Database.Database, path: string, now: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SQLITE_SCHEMA_VERSION) {
    throw new StoreError(
      'checkpoint',
      `checkpoint file ${path} has schema version ${version}, newer than this durable-ingest supports ` +
        `(${SQLITE_SCHEMA_VERSION}); upgrade durable-ingest or use another output dir`,
    );
  }
  for (let next = version + 1; next <= SQLITE_SCHEMA_VERSION; next++) MIGRATIONS[next - 1](db, now);
  if (version !== SQLITE_SCHEMA_VERSION) db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
}

function configure(db: Database.Database, path: string, now: string): void {
  // Set before anything else, so even switching to WAL waits for a concurrent opener.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  // With WAL, NORMAL survives process crashes; a power cut may lose the last commits, which only means re-ingesting
  // them.
  db.pragma('synchronous = NORMAL');
  // IMMEDIATE takes the write lock up front, so two processes creating the schema at once serialize instead of failing.
  db.transaction(() => migrate(db, path, now)).immediate();
}

/** The folder, and the file itself 0600 before SQLite opens it: its journal and WAL files take the file's mode. */
function ensurePrivateFile(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
    closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new StoreError(
      'checkpoint',
      `cannot create checkpoint file ${path} (${code}); check the output dir path and its permissions`,
    );
  }
}

/** Opens the file, creating it or upgrading its schema; `now` dates the generations a migration carries over. */
export function openDatabase(path: string, now: Date = new Date()): Database.Database {
  if (path.trim() === '')
    throw new StoreError(
      'checkpoint',
      'checkpoint path is empty; pass a file path such as <output-dir>/.checkpoint.sqlite',
    );
  ensurePrivateFile(path);
  for (let attempt = 1; ; attempt++) {
    let db: Database.Database | undefined;
    try {
      db = new Database(path);
      configure(db, path, now.toISOString());
      return db;
    } catch (err) {
      db?.close();
      if (!busyOnOpen(err) || attempt >= OPEN_ATTEMPTS) throw explainSqliteError(path, err);
      // Two processes switching a new file to WAL at once: SQLite answers one of them BUSY at once, without the busy
      // handler (it would deadlock); the other finishes in milliseconds.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50 * attempt);
    }
  }
}

const OPEN_ATTEMPTS = 10;

function busyOnOpen(err: unknown): boolean {
  return err instanceof Database.SqliteError && err.code.startsWith('SQLITE_BUSY');
}
