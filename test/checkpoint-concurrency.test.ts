// Two worker processes sharing one checkpoint file: both create it at once, then commit interleaved.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, expect, it } from 'vitest';
import { openCheckpoint } from '../src/checkpoint';

const SITE = 'https://example.atlassian.net/wiki';
const OWN_PAGES = 1500;
const SHARED_PAGES = 200;

// Each child commits its own pages and the shared ones (with its own version), one transaction per page, as
// activities do (the SQLite store's work is synchronous inside each call); it waits for "go" on stdin so both write at the same time, and reports its busy window.
const CHILD = `
const { openCheckpoint } = require(process.env.CHECKPOINT_MODULE);
const [path, name, version] = process.argv.slice(1);
const store = openCheckpoint(path);
const commit = (id) => store.commit({ site: ${JSON.stringify(SITE)}, id, version: Number(version), spaceKey: 'ENG',
  title: id, outputPaths: ['ENG/' + id + '.html.json'], digest: 'b'.repeat(64), runId: name });
console.log('ready');
process.stdin.once('data', () => {
  const start = Date.now();
  for (let i = 0; i < ${OWN_PAGES}; i++) {
    commit(name + '-' + i);
    if (i < ${SHARED_PAGES}) commit('shared-' + i);
    if (i % 100 === 0) store.markSeen(${JSON.stringify(SITE)}, 'g-' + name, [name + '-' + i]);
  }
  console.log(JSON.stringify({ start, end: Date.now() }));
  store.close();
  process.exit(0);
});
`;

async function startChild(path: string, name: string, version: number) {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', '-e', CHILD, path, name, String(version)], {
    cwd: resolve(__dirname, '..'),
    env: { ...process.env, CHECKPOINT_MODULE: resolve(__dirname, '../src/checkpoint/index.ts') },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = once(child, 'exit') as Promise<[number | null]>;
  expect((await lines.next()).value).toBe('ready');
  return {
    go: () => child.stdin.write('go\n'),
    window: async () => {
      const line: unknown = (await lines.next()).value;
      if (typeof line !== 'string') throw new Error(`child ${name} exited before reporting; its stderr is above`);
      return JSON.parse(line) as { start: number; end: number };
    },
    exited,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'checkpoint-mp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('loses no rows when two processes create and write the same file concurrently', async () => {
  const path = join(dir, '.checkpoint.sqlite');
  const children = await Promise.all([startChild(path, 'a', 1), startChild(path, 'b', 2)]);
  children.forEach((c) => c.go());
  const [a, b] = await Promise.all(children.map((c) => c.window()));
  const codes = await Promise.all(children.map((c) => c.exited));
  expect(codes.map(([code]) => code)).toEqual([0, 0]);
  // The windows must overlap, or this test would not have exercised concurrent writers.
  expect(Math.max(a.start, b.start)).toBeLessThan(Math.min(a.end, b.end));

  const store = openCheckpoint(path);
  try {
    expect(await store.count(SITE)).toBe(2 * OWN_PAGES + SHARED_PAGES);
    const shared = Array.from({ length: SHARED_PAGES }, (_, i) => ({ id: `shared-${i}`, version: 2 }));
    // Whichever process committed last, the newer version (b's) is what stays recorded.
    expect((await store.classify(SITE, shared)).unchanged).toHaveLength(SHARED_PAGES);
    expect((await store.get(SITE, 'a-1499'))?.runId).toBe('a');
    expect((await store.get(SITE, 'b-0'))?.runId).toBe('b');
  } finally {
    await store.close();
  }
});
