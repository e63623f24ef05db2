// The checkpoint's semantics, one suite run against each store (SQLite file, PostgreSQL on a real server started by
// test/support/postgres.ts), then what only one store has: SQLite's files and schema upgrade, PostgreSQL's URLs,
// errors and migrations.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  defaultCheckpointPath,
  openCheckpoint,
  type CheckpointOptions,
  type CheckpointStore,
  type CommitInput,
} from '../../src/checkpoint';
import type { SqliteCheckpointStore } from '../../src/checkpoint/sqlite';
import { SQLITE_SCHEMA_VERSION } from '../../src/checkpoint/database';
import { CHECKPOINT_MIGRATIONS, migrate, type Migration } from '../../src/checkpoint/pgMigrations';
import { COMMIT_DIGEST as DIGEST, pageCommit } from '../support/checkpointRecords';
import { startPostgres, type TestPostgres } from '../support/postgres';

const SITE = 'https://example.atlassian.net/wiki';
const DAY = 24 * 3600 * 1000;

const page = (id: string, version: number, extra: Partial<CommitInput> = {}): CommitInput =>
  pageCommit(SITE, id, version, extra);

/** Runs `fn` expecting a CheckpointError and returns its message, checked to be a single line. */
async function errorOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CheckpointError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a CheckpointError, got none');
}

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2026-03-01T00:00:00.000Z')) {
  let now = start;
  return { clock: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

let dir: string;
let server: TestPostgres;
let serverStartMs: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'checkpoint-'));
  const started = Date.now();
  server = await startPostgres();
  serverStartMs = Date.now() - started;
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('starts PostgreSQL in reasonable time', () => {
  // initdb and start take about a second on 2 cores; this bounds a badly slow machine, not a benchmark.
  expect(serverStartMs).toBeLessThan(30_000);
});

// Each test gets an empty checkpoint: a new SQLite file, or a new scope in the shared PostgreSQL database.
let fresh = 0;
const BACKENDS = [
  {
    name: 'sqlite',
    fresh: () => {
      const path = defaultCheckpointPath(join(dir, `sqlite-${++fresh}`, 'output'));
      return (options: CheckpointOptions = {}) => openCheckpoint(path, options);
    },
  },
  {
    name: 'postgres',
    fresh: () => {
      const scope = `/data/out-${++fresh}`;
      return (options: CheckpointOptions = {}) => openCheckpoint(server.url, { scope, ...options });
    },
  },
];

describe.each(BACKENDS)('$name store', (backend) => {
  let open: (options?: CheckpointOptions) => CheckpointStore;
  let store: CheckpointStore;
  let reopened: CheckpointStore[];

  /** Closes the current store and opens the same checkpoint again (a new worker, or continue-as-new). */
  async function reopen(options: CheckpointOptions = {}): Promise<CheckpointStore> {
    await store.close();
    store = open(options);
    reopened.push(store);
    return store;
  }

  beforeEach(async () => {
    open = backend.fresh();
    store = open();
    reopened = [];
    await store.ready();
  });

  afterEach(async () => {
    await store.close();
  });

  describe('opening', () => {
    it('keeps records across close and reopen', async () => {
      await store.commit(page('1', 3));
      await reopen();
      expect((await store.get(SITE, '1'))?.version).toBe(3);
    });

    it('is ready at once when opened again', async () => {
      await reopen();
      await store.ready();
      expect(await store.count(SITE)).toBe(0);
    });
  });

  describe('commit and classify', () => {
    it('classifies unknown pages as new, other versions as changed, the same version as unchanged', async () => {
      await store.commit(page('10', 1));
      await store.commit(page('11', 4));
      const result = await store.classify(SITE, [
        { id: '10', version: 2 }, // changed
        { id: '11', version: 4 }, // unchanged
        { id: '12', version: 1 }, // new
        { id: '11', version: 4 }, // a repeat is reported once
      ]);
      expect(result).toEqual({ newOrChanged: ['10', '12'], unchanged: ['11'] });
    });

    it('calls a page changed when its content version (labels, comments) differs though its version does not', async () => {
      await store.commit(page('20', 3, { contentVersion: 'labels-a' }));
      await store.commit(page('21', 3));
      const result = await store.classify(SITE, [
        { id: '20', version: 3, contentVersion: 'labels-b' }, // a comment or label changed
        { id: '20', version: 3, contentVersion: 'labels-a' },
        { id: '21', version: 3 }, // recorded and listed without one
        { id: '21', version: 3, contentVersion: 'labels-a' }, // now has labels
      ]);
      expect(result).toEqual({ newOrChanged: ['20', '21'], unchanged: ['20', '21'] });
      expect((await store.get(SITE, '20'))?.contentVersion).toBe('labels-a');
      expect((await store.get(SITE, '21'))?.contentVersion).toBeUndefined();
      await store.commit(page('20', 3, { contentVersion: 'labels-b' }));
      expect((await store.classify(SITE, [{ id: '20', version: 3, contentVersion: 'labels-b' }])).unchanged).toEqual([
        '20',
      ]);
    });

    it('keeps sites apart', async () => {
      await store.commit(page('10', 1));
      expect((await store.classify('https://other.example.com', [{ id: '10', version: 1 }])).newOrChanged).toEqual([
        '10',
      ]);
      expect(await store.count('https://other.example.com')).toBe(0);
    });

    it('takes 40,000 refs in one call: classify, markSeen, missing and remove', async () => {
      await store.commit(page('5', 1));
      const refs = Array.from({ length: 40_000 }, (_, i) => ({ id: String(i), version: 1 }));
      const result = await store.classify(SITE, refs);
      expect(result.unchanged).toEqual(['5']);
      expect(result.newOrChanged).toHaveLength(39_999);

      await store.markSeen(
        SITE,
        'g-big',
        refs.map((r) => r.id),
      );
      expect(await store.missing(SITE, 'ENG', 'g-big')).toEqual([]);
      expect(
        await store.remove(
          SITE,
          refs.map((r) => r.id),
        ),
      ).toEqual(['out/ENG/5.html.json']);
      expect(await store.count(SITE)).toBe(0);
    });

    it('is idempotent: the same commit twice leaves one identical row', async () => {
      const record = page('20', 2, { committedAt: '2026-01-02T03:04:05.000Z' });
      expect(await store.commit(record)).toBe(true);
      const first = await store.get(SITE, '20');
      expect(await store.commit(record)).toBe(true);
      expect(await store.count(SITE)).toBe(1);
      expect(await store.get(SITE, '20')).toEqual(first);
      expect(first).toEqual({ ...record, committedAt: '2026-01-02T03:04:05.000Z' });
    });

    it('replaces a page on a newer version and ignores a stale older commit', async () => {
      await store.commit(page('30', 1));
      expect(await store.commit(page('30', 2, { title: 'Renamed', outputPaths: ['a.json', 'b/c.json'] }))).toBe(true);
      expect(await store.commit(page('30', 1, { title: 'Stale' }))).toBe(false);
      const record = await store.get(SITE, '30');
      expect(record).toMatchObject({ version: 2, title: 'Renamed', outputPaths: ['a.json', 'b/c.json'] });
      expect(Date.parse(record!.committedAt)).not.toBeNaN();
    });

    it('finds the pages of one exact title, in id order, on one site (what explain looks a title up by)', async () => {
      await store.commit(page('31', 1, { title: 'Runbook', spaceKey: 'OPS' }));
      await store.commit(page('30', 1, { title: 'Runbook' }));
      await store.commit(page('32', 1, { title: 'runbook' }));
      await store.commit(pageCommit('https://other.example.com', '33', 1, { title: 'Runbook' }));
      expect((await store.titled(SITE, 'Runbook')).map((r) => [r.id, r.spaceKey])).toEqual([
        ['30', 'ENG'],
        ['31', 'OPS'],
      ]);
      expect(await store.titled(SITE, 'Nothing')).toEqual([]);
    });

    it('returns what was stored, byte for byte: quotes, commas, braces, backslashes, unicode, no outputs', async () => {
      const odd = page('x"{1},\\ é', 7, {
        spaceKey: '~user:ü',
        title: 'Quote " comma , brace {} backslash \\ emoji 😀 NULL',
        outputPaths: [
          'ENG/a,b.json',
          'ENG/"q".json',
          'ENG/{x}.json',
          'ENG/back\\slash.json',
          'ENG/NULL',
          'ENG/ü 😀.json',
        ],
        committedAt: '2026-01-02T03:04:05Z',
        runId: 'run "x"',
      });
      await store.commit(odd);
      expect(await store.get(SITE, odd.id)).toEqual(odd);
      await store.commit(page('empty', 1, { outputPaths: [] }));
      expect((await store.get(SITE, 'empty'))?.outputPaths).toEqual([]);
    });

    it('keeps versions beyond 32 bits', async () => {
      await store.commit(page('big', 2 ** 40));
      expect((await store.get(SITE, 'big'))?.version).toBe(2 ** 40);
      expect((await store.classify(SITE, [{ id: 'big', version: 2 ** 40 }])).unchanged).toEqual(['big']);
    });

    it('rejects a bad record with one line naming the field', async () => {
      const message = await errorOf(() => store.commit(page('40', 1, { digest: 'not-a-digest' })));
      expect(message).toMatch(/^invalid checkpoint record: digest: must be a lowercase hex sha256 digest/);
      expect(await errorOf(() => store.classify(SITE, [{ id: '1', version: -1 }]))).toMatch(
        /invalid page refs: 0\.version/,
      );
      expect(await errorOf(() => store.count(''))).toMatch(/invalid site/);
      expect(await errorOf(() => store.markSeen(SITE, '', ['1']))).toMatch(/invalid generation/);
      expect(await errorOf(() => store.missing(SITE, 'ENG', 'g', 0))).toMatch(/invalid limit/);
      expect(await store.count(SITE)).toBe(0);
    });
  });

  describe('permissions versions', () => {
    it("keeps what a page's permissions rest on, and rewrites it only at the version recorded", async () => {
      await store.commit(page('2', 1, { permissionsVersion: 'p1.a' }));
      await store.commit(page('1', 4));
      expect((await store.records(SITE, ['9', '2', '1'])).map((r) => [r.id, r.permissionsVersion])).toEqual([
        ['1', undefined],
        ['2', 'p1.a'],
      ]);
      expect(await store.recordPermissions({ site: SITE, id: '2', version: 1, permissionsVersion: 'p1.b' })).toBe(true);
      // Ingested again meanwhile (version 4): a check made against version 3 must not overwrite it.
      expect(await store.recordPermissions({ site: SITE, id: '1', version: 3, permissionsVersion: 'p1.c' })).toBe(
        false,
      );
      expect(await store.recordPermissions({ site: SITE, id: '7', version: 1, permissionsVersion: 'p1.c' })).toBe(
        false,
      );
      expect((await store.get(SITE, '2'))?.permissionsVersion).toBe('p1.b');
      expect((await store.get(SITE, '1'))?.permissionsVersion).toBeUndefined();
      await reopen();
      expect((await store.get(SITE, '2'))?.permissionsVersion).toBe('p1.b');
    });
  });

  describe('missing pages', () => {
    // Four pages in ENG, one in OPS; generation "g1" then "g2" each list ENG fully.
    beforeEach(async () => {
      for (const id of ['1', '2', '3', '4'])
        await store.commit(page(id, 1, { outputPaths: [`ENG/${id}.html.json`, `ENG/${id}/img.json`] }));
      await store.commit(page('9', 1, { spaceKey: 'OPS' }));
    });

    it('counts the recorded pages of each space (what --max-delete and a vanished space are measured by)', async () => {
      expect(await store.spaces(SITE)).toEqual([
        { spaceKey: 'ENG', pages: 4 },
        { spaceKey: 'OPS', pages: 1 },
      ]);
      expect(await store.spaces('https://other.example.com')).toEqual([]);
    });

    it('reports pages of the space not seen in the latest generation, across reopen (continue-as-new)', async () => {
      await store.markSeen(SITE, 'g1', ['1', '2']);
      await store.markSeen(SITE, 'g1', ['3', '4']);
      expect(await store.missing(SITE, 'ENG', 'g1')).toEqual([]);

      // The second enumeration spans two runs, each with its own connection.
      await store.markSeen(SITE, 'g2', ['1', '5']); // 5 is new: listed before its first commit
      await reopen();
      await store.markSeen(SITE, 'g2', ['3']);
      await store.commit(page('5', 1));

      expect(await store.missing(SITE, 'ENG', 'g2')).toEqual([
        { id: '2', title: 'Page 2', spaceKey: 'ENG', version: 1, outputPaths: ['ENG/2.html.json', 'ENG/2/img.json'] },
        { id: '4', title: 'Page 4', spaceKey: 'ENG', version: 1, outputPaths: ['ENG/4.html.json', 'ENG/4/img.json'] },
      ]);
      expect((await store.missing(SITE, 'ENG', 'g2', 1)).map((p) => p.id)).toEqual(['2']);
      expect((await store.missing(SITE, 'OPS', 'g2')).map((p) => p.id)).toEqual(['9']);
    });

    it('orders missing pages by id, as bytes', async () => {
      for (const id of ['10', 'B', 'a', 'é']) await store.commit(page(id, 1));
      await store.markSeen(SITE, 'g', ['1', '2', '3', '4']);
      expect((await store.missing(SITE, 'ENG', 'g')).map((p) => p.id)).toEqual(['10', 'B', 'a', 'é']);
    });

    it('calls every page of the space missing for a generation that marked nothing', async () => {
      expect((await store.missing(SITE, 'ENG', 'never-listed')).map((p) => p.id)).toEqual(['1', '2', '3', '4']);
    });

    it('remove forgets pages and returns their output paths', async () => {
      await store.markSeen(SITE, 'g2', ['1', '3']);
      const gone = (await store.missing(SITE, 'ENG', 'g2')).map((p) => p.id);
      expect(await store.remove(SITE, [...gone].reverse())).toEqual([
        'ENG/2.html.json',
        'ENG/2/img.json',
        'ENG/4.html.json',
        'ENG/4/img.json',
      ]);
      expect(await store.missing(SITE, 'ENG', 'g2')).toEqual([]);
      expect(await store.count(SITE)).toBe(3); // 1, 3 and 9 remain
      expect(await store.get(SITE, '2')).toBeUndefined();
      expect(await store.remove(SITE, gone)).toEqual([]);
    });

    it('remove forgets the seen marks of every generation', async () => {
      await store.markSeen(SITE, 'ga', ['1', '2', '3', '4']);
      await store.markSeen(SITE, 'gb', ['1', '2', '3', '4']);
      await store.remove(SITE, ['2']);
      // Back again (dated early, so both generations judge it): neither has seen it since.
      await store.commit(page('2', 5, { committedAt: '2020-01-01T00:00:00.000Z' }));
      expect((await store.missing(SITE, 'ENG', 'ga')).map((p) => p.id)).toEqual(['2']);
      expect((await store.missing(SITE, 'ENG', 'gb')).map((p) => p.id)).toEqual(['2']);
    });
  });

  describe('seen marks per run', () => {
    beforeEach(async () => {
      for (const id of ['1', '2', '3', '4']) await store.commit(page(id, 1));
    });

    it("keeps two interleaved generations apart: neither disturbs the other's missing()", async () => {
      // Run A lists 1, 2, 3 (4 is gone by then); run B, started meanwhile, lists all four.
      await store.markSeen(SITE, 'A', ['1', '2']);
      await store.markSeen(SITE, 'B', ['1', '3']);
      await store.markSeen(SITE, 'A', ['3']);
      await store.markSeen(SITE, 'B', ['2', '4']);
      expect((await store.missing(SITE, 'ENG', 'A')).map((p) => p.id)).toEqual(['4']);
      expect(await store.missing(SITE, 'ENG', 'B')).toEqual([]);

      // B is finished; A, still listing, marks more, then removes what it found missing: B's answer is unchanged.
      await store.markSeen(SITE, 'A', ['1']);
      await store.remove(SITE, ['4']);
      expect(await store.missing(SITE, 'ENG', 'B')).toEqual([]);
      expect(await store.missing(SITE, 'ENG', 'A')).toEqual([]);
    });

    it('does not call missing a page that another run recorded after this one began', async () => {
      const { clock, advance } = manualClock(Date.now());
      await reopen({ clock });
      await store.markSeen(SITE, 'A', ['1', '2', '3', '4']); // A starts
      advance(1000);
      await store.markSeen(SITE, 'B', ['1', '2', '3', '4', '5']); // B sees 5, created after A listed past it
      advance(1000);
      await store.commit(page('5', 1, { runId: 'B' }));
      expect(await store.missing(SITE, 'ENG', 'A')).toEqual([]);
      expect(await store.missing(SITE, 'ENG', 'B')).toEqual([]);
      // The next run judges 5 like any other page.
      advance(1000);
      await store.markSeen(SITE, 'C', ['1', '2', '3', '4']);
      expect((await store.missing(SITE, 'ENG', 'C')).map((p) => p.id)).toEqual(['5']);
    });

    it('prunes the marks of generations idle past the retention when a new generation starts', async () => {
      const { clock, advance } = manualClock(Date.now());
      await reopen({ clock, seenRetentionMs: 7 * DAY });
      await store.markSeen(SITE, 'old', ['1', '2', '3', '4']);
      advance(3 * DAY);
      await store.markSeen(SITE, 'slow', ['1', '2']); // a long run, still active
      advance(3 * DAY);
      expect(await store.missing(SITE, 'ENG', 'slow')).toHaveLength(2); // asking counts as activity
      advance(2 * DAY);
      await store.markSeen(SITE, 'new', ['1', '2', '3', '4']); // 8 days after old's last activity

      const message = await errorOf(() => store.missing(SITE, 'ENG', 'old'));
      expect(message).toMatch(
        /^the seen marks of generation old were pruned after 7 days without activity, .*; start a new ingest run/,
      );
      await store.markSeen(SITE, 'old', ['1']); // a straggler of the pruned run: no error, and no mark kept
      await expect(store.missing(SITE, 'ENG', 'old')).rejects.toThrow(/were pruned/);

      expect((await store.missing(SITE, 'ENG', 'slow')).map((p) => p.id)).toEqual(['3', '4']);
      expect(await store.missing(SITE, 'ENG', 'new')).toEqual([]);
    });
  });
});

describe('sqlite files', () => {
  let store: CheckpointStore;

  beforeEach(() => {
    store = openCheckpoint(defaultCheckpointPath(join(dir, 'files', 'output')));
  });

  afterEach(async () => {
    await store.close();
    rmSync(join(dir, 'files'), { recursive: true, force: true });
  });

  it('creates the output dir and a WAL-mode file at <output-dir>/.checkpoint.sqlite', async () => {
    const path = join(dir, 'files', 'output', '.checkpoint.sqlite');
    expect((store as SqliteCheckpointStore).path).toBe(path);
    const other = new Database(path, { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(other.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    other.close();
  });

  it('names the path and the fix when the file is not SQLite', async () => {
    const path = join(dir, 'garbage.sqlite');
    writeFileSync(path, 'this is not a database\n'.repeat(200));
    const message = await errorOf(() => openCheckpoint(path));
    expect(message).toBe(
      `checkpoint file ${path} is not a valid SQLite database (SQLITE_NOTADB); move it aside or delete it (the next run then re-ingests every page)`,
    );
    expect(readFileSync(path, 'utf8')).toContain('this is not a database'); // left untouched for the user
  });

  it('names the path when a valid file is damaged inside', async () => {
    const path = join(dir, 'damaged.sqlite');
    const damaged = openCheckpoint(path);
    for (let i = 0; i < 200; i++) await damaged.commit(page(String(i), 1, { title: 'x'.repeat(200) }));
    await damaged.close();
    const bytes = readFileSync(path);
    bytes.fill(0xff, 4096, bytes.length); // keep page 1 (header and schema), wreck the rest
    writeFileSync(path, bytes);
    const message = await errorOf(() => openCheckpoint(path).count(SITE));
    expect(message).toContain(`checkpoint file ${path} is not a valid SQLite database (SQLITE_CORRUPT`);
  });

  it('refuses a file written by a newer schema', async () => {
    const path = join(dir, 'newer.sqlite');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(await errorOf(() => openCheckpoint(path))).toMatch(
      new RegExp(`has schema version 99, newer than .* supports \\(${SQLITE_SCHEMA_VERSION}\\); upgrade`),
    );
  });

  it('explains a path that cannot be opened', async () => {
    const path = join(dir, 'a-folder');
    mkdirSync(path);
    // The file is made private (0600) before SQLite opens it, so a folder in its place is found there.
    expect(await errorOf(() => openCheckpoint(path))).toMatch(
      /^cannot create checkpoint file .*a-folder \(EISDIR\); check the output dir path and its permissions$/,
    );
  });
});

describe('sqlite schema upgrade', () => {
  // The schema that durable-ingest wrote before seen marks were kept per generation (user_version 1), verbatim.
  const V1 = `
    CREATE TABLE pages (site TEXT NOT NULL, page_id TEXT NOT NULL, version INTEGER NOT NULL, space_key TEXT NOT NULL,
      title TEXT NOT NULL, output_paths TEXT NOT NULL, digest TEXT NOT NULL, committed_at TEXT NOT NULL,
      run_id TEXT NOT NULL, PRIMARY KEY (site, page_id)) WITHOUT ROWID;
    CREATE INDEX pages_by_space ON pages (site, space_key, page_id);
    CREATE TABLE seen (site TEXT NOT NULL, page_id TEXT NOT NULL, generation TEXT NOT NULL,
      PRIMARY KEY (site, page_id)) WITHOUT ROWID;
    PRAGMA user_version = 1;
  `;

  function writeV1(path: string): void {
    mkdirSync(join(path, '..'), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec(V1);
    const insert = db.prepare(
      `INSERT INTO pages VALUES (?, ?, 1, 'ENG', ?, ?, ?, '2026-01-01T00:00:00.000Z', 'run-0')`,
    );
    for (const id of ['1', '2', '3', '4'])
      insert.run(SITE, id, `Page ${id}`, JSON.stringify([`ENG/${id}.html.json`]), DIGEST);
    // A run in flight during the upgrade ("live") had listed 1 and 2; an older one ("done") had seen 3 last.
    const seen = db.prepare('INSERT INTO seen VALUES (?, ?, ?)');
    seen.run(SITE, '1', 'live');
    seen.run(SITE, '2', 'live');
    seen.run(SITE, '3', 'done');
    db.close();
  }

  it('opens a v1 file: records kept (with no content version), marks carried over to their generation, at the current schema version', async () => {
    const path = join(dir, 'v1', '.checkpoint.sqlite');
    writeV1(path);
    const { clock, advance } = manualClock(Date.parse('2026-02-01T00:00:00.000Z'));
    const store = openCheckpoint(path, { clock });
    try {
      expect(await store.count(SITE)).toBe(4);
      expect(await store.get(SITE, '2')).toMatchObject({
        version: 1,
        outputPaths: ['ENG/2.html.json'],
        runId: 'run-0',
      });
      expect((await store.classify(SITE, [{ id: '2', version: 1 }])).unchanged).toEqual(['2']);
      // The run in flight keeps what it listed before the upgrade and goes on listing.
      await store.markSeen(SITE, 'live', ['3']);
      expect((await store.missing(SITE, 'ENG', 'live')).map((p) => p.id)).toEqual(['4']);
      expect((await store.missing(SITE, 'ENG', 'done')).map((p) => p.id)).toEqual(['1', '2', '4']);
      // New generations work as on a new file, and carried-over generations age out like any other.
      advance(8 * 24 * 3600 * 1000);
      await store.markSeen(SITE, 'next', ['1']);
      await expect(store.missing(SITE, 'ENG', 'done')).rejects.toThrow(/were pruned/);
    } finally {
      await store.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
      expect(tables).toEqual(['generations', 'pages', 'seen']);
    } finally {
      db.close();
    }
  });

  it('a second opener finds the file upgraded and shares it', async () => {
    const path = join(dir, 'v1-twice', '.checkpoint.sqlite');
    writeV1(path);
    const stores = [openCheckpoint(path), openCheckpoint(path)];
    try {
      await stores[0].markSeen(SITE, 'x', ['1']);
      expect((await stores[1].missing(SITE, 'ENG', 'live')).map((p) => p.id)).toEqual(['3', '4']);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});

describe('postgres', () => {
  it('opens for postgres:// and postgresql:// URLs, and a scope keeps destinations apart', async () => {
    const a = openCheckpoint(server.url.replace(/^postgresql:/, 'postgres:'), { scope: 'scope-a' });
    const b = openCheckpoint(server.url, { scope: 'scope-b' });
    try {
      await a.commit(page('1', 1));
      expect(await a.count(SITE)).toBe(1);
      expect(await b.count(SITE)).toBe(0);
      expect((await b.classify(SITE, [{ id: '1', version: 1 }])).newOrChanged).toEqual(['1']);
      await b.markSeen(SITE, 'g', []);
      expect(await b.missing(SITE, 'ENG', 'g')).toEqual([]);
      expect(await b.remove(SITE, ['1'])).toEqual([]);
      expect(await a.get(SITE, '1')).toBeDefined();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('finds missing pages by index whatever the table statistics (a first big run, before any ANALYZE)', async () => {
    const scope = 'plan-check';
    const store = openCheckpoint(server.url, { scope });
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await store.ready();
      // 12,000 pages recorded a moment ago, so autovacuum has not analyzed them; a run saw 10,000.
      await client.query(
        `INSERT INTO checkpoint_pages SELECT $1, $2, g::text, 1, 'ENG', 'Page ' || g, ARRAY['ENG/' || g || '.html.json'],
           repeat('a', 64), '2020-01-01T00:00:00.000Z', 'run' FROM generate_series(0, 11999) AS g`,
        [scope, SITE],
      );
      await store.markSeen(
        SITE,
        'big',
        Array.from({ length: 10_000 }, (_, i) => String(i)),
      );
      await store.markSeen(
        SITE,
        'other',
        Array.from({ length: 12_000 }, (_, i) => String(i)),
      );
      const started = Date.now();
      expect(await store.missing(SITE, 'ENG', 'big')).toHaveLength(2000);
      // One index probe per page takes well under a second; a NOT EXISTS planned as a nested loop over every mark took
      // 34 s.
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await client.end();
      await store.close();
    }
  });

  describe('errors: one line, the problem and the fix, never the password', () => {
    const secret = 'S3cr:t/@#pw';

    async function openError(url: string): Promise<string> {
      const store = openCheckpoint(url);
      try {
        const message = await errorOf(() => store.ready());
        expect(message).not.toContain(secret);
        expect(message).not.toContain(encodeURIComponent(secret));
        return message;
      } finally {
        await store.close();
      }
    }

    it('wrong password', async () => {
      const message = await openError(server.urlOf('postgres', { password: secret }));
      expect(message).toBe(
        `PostgreSQL at 127.0.0.1:${server.port} rejected the password of user "postgres" (28P01); fix the password in ` +
          'the checkpoint URL (percent-encode special characters such as @ : / # ?)',
      );
    });

    it('wrong password given in the query string', async () => {
      const url = `postgresql://postgres@127.0.0.1:${server.port}/postgres?password=${encodeURIComponent(secret)}`;
      expect(await openError(url)).toMatch(/rejected the password of user "postgres" \(28P01\)/);
    });

    it('unreachable host', async () => {
      const closedPort = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as AddressInfo;
          probe.close(() => resolve(port));
        });
      });
      const message = await openError(
        `postgresql://postgres:${encodeURIComponent(secret)}@127.0.0.1:${closedPort}/postgres`,
      );
      expect(message).toMatch(
        new RegExp(
          `^cannot reach the checkpoint database at 127\\.0\\.0\\.1:${closedPort}: connection refused; check the host and port`,
        ),
      );
    });

    it('unknown host name', async () => {
      const message = await openError(
        `postgresql://postgres:${encodeURIComponent(secret)}@no-such-host.invalid:5432/postgres`,
      );
      expect(message).toMatch(/host no-such-host\.invalid does not resolve \(ENOTFOUND\); fix the host name/);
    });

    it('database missing, then created: the next call succeeds', async () => {
      const url = server.urlOf('late_db');
      const store = openCheckpoint(url);
      try {
        const message = await errorOf(() => store.ready());
        expect(message).toBe(
          `database "late_db" does not exist on PostgreSQL at 127.0.0.1:${server.port} (3D000); ` +
            'create it (CREATE DATABASE "late_db") or fix the database name in the checkpoint URL',
        );
        await server.createDatabase('late_db');
        expect(await store.count(SITE)).toBe(0);
      } finally {
        await store.close();
      }
    });

    it('not a URL', async () => {
      const message = await errorOf(() => openCheckpoint(`postgresql://postgres:${secret}@[bad/db`));
      expect(message).not.toContain(secret);
      expect(message).toMatch(
        /^the checkpoint URL is not a valid URL; write it as postgresql:\/\/user:password@host:5432\/database/,
      );
    });

    it('flags unreachable servers as transient, mistakes as not', async () => {
      const refused = openCheckpoint(`postgresql://postgres:x@127.0.0.1:1/postgres`);
      const wrong = openCheckpoint(server.urlOf('postgres', { password: 'wrong' }));
      try {
        await expect(refused.ready()).rejects.toMatchObject({ transient: true });
        await expect(wrong.ready()).rejects.toMatchObject({ transient: false });
      } finally {
        await Promise.all([refused.close(), wrong.close()]);
      }
    });
  });

  describe('migrations', () => {
    it('creates the schema once when many workers open a new database at the same moment', async () => {
      const url = await server.createDatabase('fresh_concurrent');
      const stores = Array.from({ length: 8 }, () => openCheckpoint(url));
      try {
        await Promise.all(stores.map((s) => s.ready()));
        await Promise.all(stores.map((s, i) => s.commit(page(String(i), 1))));
        expect(await stores[0].count(SITE)).toBe(8);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT version, name FROM checkpoint_migrations ORDER BY version');
        expect(rows).toEqual(CHECKPOINT_MIGRATIONS.map(({ version, name }) => ({ version, name })));
      } finally {
        await client.end();
      }
    });

    it('applies each pending migration once, in order, each in its own transaction', async () => {
      const url = await server.createDatabase('migrate_steps');
      const setup = new pg.Client({ connectionString: url });
      await setup.connect();
      await setup.query('CREATE TABLE applied (version int, at timestamptz DEFAULT clock_timestamp())');
      const step = (version: number): Migration => ({
        version,
        name: `step ${version}`,
        sql: `INSERT INTO applied (version) VALUES (${version})`,
      });
      const clients = Array.from({ length: 6 }, () => new pg.Client({ connectionString: url }));
      await Promise.all(clients.map((c) => c.connect()));
      try {
        // Six workers at once bring the database to version 2, then six more to version 3.
        const first = await Promise.all(
          clients.map((c) => migrate(c, [step(1), step(2)], { table: 'test_migrations' })),
        );
        expect(first.reduce((a, b) => a + b, 0)).toBe(2);
        const second = await Promise.all(
          clients.map((c) => migrate(c, [step(1), step(2), step(3)], { table: 'test_migrations' })),
        );
        expect(second.reduce((a, b) => a + b, 0)).toBe(1);
        const { rows } = await setup.query('SELECT version FROM applied ORDER BY at');
        expect(rows.map((r) => r.version)).toEqual([1, 2, 3]);

        // A failing migration leaves no trace, and the versions before it stay applied.
        const broken: Migration = {
          version: 4,
          name: 'broken',
          sql: 'INSERT INTO applied (version) VALUES (4); SELECT 1/0',
        };
        await expect(
          migrate(clients[0], [step(1), step(2), step(3), broken], { table: 'test_migrations' }),
        ).rejects.toThrow(/division by zero/);
        expect((await setup.query('SELECT count(*)::int AS n FROM applied WHERE version = 4')).rows[0].n).toBe(0);
        expect((await setup.query('SELECT max(version) AS v FROM test_migrations')).rows[0].v).toBe(3);
      } finally {
        await Promise.all(clients.map((c) => c.end()));
        await setup.end();
      }
    });

    it('refuses a database migrated by a newer durable-ingest', async () => {
      const url = await server.createDatabase('from_the_future');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(
        'CREATE TABLE checkpoint_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      await client.query(`INSERT INTO checkpoint_migrations (version, name) VALUES (99, 'future')`);
      await client.end();
      const store = openCheckpoint(url);
      try {
        expect(await errorOf(() => store.ready())).toBe(
          `the checkpoint database has schema version 99, newer than this durable-ingest supports (${CHECKPOINT_MIGRATIONS.length}); ` +
            'upgrade durable-ingest on this worker, or point it at another database',
        );
      } finally {
        await store.close();
      }
    });
  });
});
