import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  defaultCheckpointPath,
  openCheckpoint,
  type CheckpointStore,
  type CommitInput,
} from '../src/checkpoint';
import type { SqliteCheckpointStore } from '../src/checkpoint/sqlite';

const SITE = 'https://example.atlassian.net/wiki';
const DIGEST = 'a'.repeat(64);

function page(id: string, version: number, extra: Partial<CommitInput> = {}): CommitInput {
  return {
    site: SITE,
    id,
    version,
    spaceKey: 'ENG',
    title: `Page ${id}`,
    outputPaths: [`out/ENG/${id}.html.json`],
    digest: DIGEST,
    runId: 'run-1',
    ...extra,
  };
}

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

let dir: string;
let store: CheckpointStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'checkpoint-'));
  store = openCheckpoint(defaultCheckpointPath(join(dir, 'output')));
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('opening', () => {
  it('creates the output dir and a WAL-mode file at <output-dir>/.checkpoint.sqlite', async () => {
    const path = join(dir, 'output', '.checkpoint.sqlite');
    expect((store as SqliteCheckpointStore).path).toBe(path);
    const other = new Database(path, { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    other.close();
  });

  it('keeps records across close and reopen', async () => {
    await store.commit(page('1', 3));
    await store.close();
    store = openCheckpoint(defaultCheckpointPath(join(dir, 'output')));
    expect((await store.get(SITE, '1'))?.version).toBe(3);
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

  it('keeps sites apart', async () => {
    await store.commit(page('10', 1));
    expect((await store.classify('https://other.example.com', [{ id: '10', version: 1 }])).newOrChanged).toEqual(['10']);
    expect(await store.count('https://other.example.com')).toBe(0);
  });

  it('classifies a batch larger than SQLite\'s bound-parameter limit in one call', async () => {
    await store.commit(page('5', 1));
    const refs = Array.from({ length: 40_000 }, (_, i) => ({ id: String(i), version: 1 }));
    const result = await store.classify(SITE, refs);
    expect(result.unchanged).toEqual(['5']);
    expect(result.newOrChanged).toHaveLength(39_999);
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

  it('rejects a bad record with one line naming the field', async () => {
    const message = await errorOf(() => store.commit(page('40', 1, { digest: 'not-a-digest' })));
    expect(message).toMatch(/^invalid checkpoint record: digest: must be a lowercase hex sha256 digest/);
    expect(await errorOf(() => store.classify(SITE, [{ id: '1', version: -1 }]))).toMatch(/invalid page refs: 0\.version/);
    expect(await errorOf(() => store.count(''))).toMatch(/invalid site/);
    expect(await store.count(SITE)).toBe(0);
  });
});

describe('missing pages', () => {
  // Four pages in ENG, one in OPS; generation "g1" then "g2" each list ENG fully.
  beforeEach(async () => {
    for (const id of ['1', '2', '3', '4']) await store.commit(page(id, 1, { outputPaths: [`ENG/${id}.html.json`, `ENG/${id}/img.json`] }));
    await store.commit(page('9', 1, { spaceKey: 'OPS' }));
  });

  it('reports pages of the space not seen in the latest generation, across reopen (continue-as-new)', async () => {
    await store.markSeen(SITE, 'g1', ['1', '2']);
    await store.markSeen(SITE, 'g1', ['3', '4']);
    expect(await store.missing(SITE, 'ENG', 'g1')).toEqual([]);

    // The second enumeration spans two runs, each with its own connection.
    await store.markSeen(SITE, 'g2', ['1', '5']); // 5 is new: listed before its first commit
    await store.close();
    store = openCheckpoint(defaultCheckpointPath(join(dir, 'output')));
    await store.markSeen(SITE, 'g2', ['3']);
    await store.commit(page('5', 1));

    expect(await store.missing(SITE, 'ENG', 'g2')).toEqual([
      { id: '2', title: 'Page 2', spaceKey: 'ENG', version: 1, outputPaths: ['ENG/2.html.json', 'ENG/2/img.json'] },
      { id: '4', title: 'Page 4', spaceKey: 'ENG', version: 1, outputPaths: ['ENG/4.html.json', 'ENG/4/img.json'] },
    ]);
    expect((await store.missing(SITE, 'ENG', 'g2', 1)).map((p) => p.id)).toEqual(['2']);
    expect((await store.missing(SITE, 'OPS', 'g2')).map((p) => p.id)).toEqual(['9']);
  });

  it('remove forgets pages and returns their output paths', async () => {
    await store.markSeen(SITE, 'g2', ['1', '3']);
    const gone = (await store.missing(SITE, 'ENG', 'g2')).map((p) => p.id);
    expect(await store.remove(SITE, gone)).toEqual(['ENG/2.html.json', 'ENG/2/img.json', 'ENG/4.html.json', 'ENG/4/img.json']);
    expect(await store.missing(SITE, 'ENG', 'g2')).toEqual([]);
    expect(await store.count(SITE)).toBe(3); // 1, 3 and 9 remain
    expect(await store.get(SITE, '2')).toBeUndefined();
    expect(await store.remove(SITE, gone)).toEqual([]);
  });
});

describe('bad files', () => {
  it('names the path and the fix when the file is not SQLite', async () => {
    const path = join(dir, 'garbage.sqlite');
    writeFileSync(path, 'this is not a database\n'.repeat(200));
    const message = await errorOf(() => openCheckpoint(path));
    expect(message).toBe(
      `checkpoint file ${path} is not a valid SQLite database (SQLITE_NOTADB); ` +
        'move it aside or delete it (the next run then re-ingests every page)',
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
    expect(await errorOf(() => openCheckpoint(path))).toMatch(/has schema version 99, newer than .* supports \(1\); upgrade/);
  });

  it('explains a path that cannot be opened', async () => {
    const path = join(dir, 'a-folder');
    mkdirSync(path);
    expect(await errorOf(() => openCheckpoint(path))).toMatch(/^cannot use checkpoint file .*a-folder \(SQLITE_CANTOPEN/);
  });
});
