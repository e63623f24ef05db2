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
function errorOf(fn: () => unknown): string {
  try {
    fn();
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

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('opening', () => {
  it('creates the output dir and a WAL-mode file at <output-dir>/.checkpoint.sqlite', () => {
    const path = join(dir, 'output', '.checkpoint.sqlite');
    expect(store.path).toBe(path);
    const other = new Database(path, { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    other.close();
  });

  it('keeps records across close and reopen', () => {
    store.commit(page('1', 3));
    store.close();
    store = openCheckpoint(defaultCheckpointPath(join(dir, 'output')));
    expect(store.get(SITE, '1')?.version).toBe(3);
  });
});

describe('commit and classify', () => {
  it('classifies unknown pages as new, other versions as changed, the same version as unchanged', () => {
    store.commit(page('10', 1));
    store.commit(page('11', 4));
    const result = store.classify(SITE, [
      { id: '10', version: 2 }, // changed
      { id: '11', version: 4 }, // unchanged
      { id: '12', version: 1 }, // new
      { id: '11', version: 4 }, // a repeat is reported once
    ]);
    expect(result).toEqual({ newOrChanged: ['10', '12'], unchanged: ['11'] });
  });

  it('keeps sites apart', () => {
    store.commit(page('10', 1));
    expect(store.classify('https://other.example.com', [{ id: '10', version: 1 }]).newOrChanged).toEqual(['10']);
    expect(store.count('https://other.example.com')).toBe(0);
  });

  it('classifies a batch larger than SQLite\'s bound-parameter limit in one call', () => {
    store.commit(page('5', 1));
    const refs = Array.from({ length: 40_000 }, (_, i) => ({ id: String(i), version: 1 }));
    const result = store.classify(SITE, refs);
    expect(result.unchanged).toEqual(['5']);
    expect(result.newOrChanged).toHaveLength(39_999);
  });

  it('is idempotent: the same commit twice leaves one identical row', () => {
    const record = page('20', 2, { committedAt: '2026-01-02T03:04:05.000Z' });
    expect(store.commit(record)).toBe(true);
    const first = store.get(SITE, '20');
    expect(store.commit(record)).toBe(true);
    expect(store.count(SITE)).toBe(1);
    expect(store.get(SITE, '20')).toEqual(first);
    expect(first).toEqual({ ...record, committedAt: '2026-01-02T03:04:05.000Z' });
  });

  it('replaces a page on a newer version and ignores a stale older commit', () => {
    store.commit(page('30', 1));
    expect(store.commit(page('30', 2, { title: 'Renamed', outputPaths: ['a.json', 'b/c.json'] }))).toBe(true);
    expect(store.commit(page('30', 1, { title: 'Stale' }))).toBe(false);
    const record = store.get(SITE, '30');
    expect(record).toMatchObject({ version: 2, title: 'Renamed', outputPaths: ['a.json', 'b/c.json'] });
    expect(Date.parse(record!.committedAt)).not.toBeNaN();
  });

  it('rejects a bad record with one line naming the field', () => {
    const message = errorOf(() => store.commit(page('40', 1, { digest: 'not-a-digest' })));
    expect(message).toMatch(/^invalid checkpoint record: digest: must be a lowercase hex sha256 digest/);
    expect(errorOf(() => store.classify(SITE, [{ id: '1', version: -1 }]))).toMatch(/invalid page refs: 0\.version/);
    expect(errorOf(() => store.count(''))).toMatch(/invalid site/);
    expect(store.count(SITE)).toBe(0);
  });
});

describe('missing pages', () => {
  // Four pages in ENG, one in OPS; generation "g1" then "g2" each list ENG fully.
  beforeEach(() => {
    for (const id of ['1', '2', '3', '4']) store.commit(page(id, 1, { outputPaths: [`ENG/${id}.html.json`, `ENG/${id}/img.json`] }));
    store.commit(page('9', 1, { spaceKey: 'OPS' }));
  });

  it('reports pages of the space not seen in the latest generation, across reopen (continue-as-new)', () => {
    store.markSeen(SITE, 'g1', ['1', '2']);
    store.markSeen(SITE, 'g1', ['3', '4']);
    expect(store.missing(SITE, 'ENG', 'g1')).toEqual([]);

    // The second enumeration spans two runs, each with its own connection.
    store.markSeen(SITE, 'g2', ['1', '5']); // 5 is new: listed before its first commit
    store.close();
    store = openCheckpoint(defaultCheckpointPath(join(dir, 'output')));
    store.markSeen(SITE, 'g2', ['3']);
    store.commit(page('5', 1));

    expect(store.missing(SITE, 'ENG', 'g2')).toEqual([
      { id: '2', title: 'Page 2', version: 1, outputPaths: ['ENG/2.html.json', 'ENG/2/img.json'] },
      { id: '4', title: 'Page 4', version: 1, outputPaths: ['ENG/4.html.json', 'ENG/4/img.json'] },
    ]);
    expect(store.missing(SITE, 'ENG', 'g2', 1).map((p) => p.id)).toEqual(['2']);
    expect(store.missing(SITE, 'OPS', 'g2').map((p) => p.id)).toEqual(['9']);
  });

  it('remove forgets pages and returns their output paths', () => {
    store.markSeen(SITE, 'g2', ['1', '3']);
    const gone = store.missing(SITE, 'ENG', 'g2').map((p) => p.id);
    expect(store.remove(SITE, gone)).toEqual(['ENG/2.html.json', 'ENG/2/img.json', 'ENG/4.html.json', 'ENG/4/img.json']);
    expect(store.missing(SITE, 'ENG', 'g2')).toEqual([]);
    expect(store.count(SITE)).toBe(3); // 1, 3 and 9 remain
    expect(store.get(SITE, '2')).toBeUndefined();
    expect(store.remove(SITE, gone)).toEqual([]);
  });
});

describe('bad files', () => {
  it('names the path and the fix when the file is not SQLite', () => {
    const path = join(dir, 'garbage.sqlite');
    writeFileSync(path, 'this is not a database\n'.repeat(200));
    const message = errorOf(() => openCheckpoint(path));
    expect(message).toBe(
      `checkpoint file ${path} is not a valid SQLite database (SQLITE_NOTADB); ` +
        'move it aside or delete it (the next run then re-ingests every page)',
    );
    expect(readFileSync(path, 'utf8')).toContain('this is not a database'); // left untouched for the user
  });

  it('names the path when a valid file is damaged inside', () => {
    const path = join(dir, 'damaged.sqlite');
    const damaged = openCheckpoint(path);
    for (let i = 0; i < 200; i++) damaged.commit(page(String(i), 1, { title: 'x'.repeat(200) }));
    damaged.close();
    const bytes = readFileSync(path);
    bytes.fill(0xff, 4096, bytes.length); // keep page 1 (header and schema), wreck the rest
    writeFileSync(path, bytes);
    const message = errorOf(() => openCheckpoint(path).count(SITE));
    expect(message).toContain(`checkpoint file ${path} is not a valid SQLite database (SQLITE_CORRUPT`);
  });

  it('refuses a file written by a newer schema', () => {
    const path = join(dir, 'newer.sqlite');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(errorOf(() => openCheckpoint(path))).toMatch(/has schema version 99, newer than .* supports \(1\); upgrade/);
  });

  it('explains a path that cannot be opened', () => {
    const path = join(dir, 'a-folder');
    mkdirSync(path);
    expect(errorOf(() => openCheckpoint(path))).toMatch(/^cannot use checkpoint file .*a-folder \(SQLITE_CANTOPEN/);
  });
});
