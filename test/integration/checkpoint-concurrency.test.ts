// Two worker processes sharing one checkpoint: both create it at once (a new SQLite file; a new PostgreSQL database,
// so both run the migrations together), then commit interleaved.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../src/checkpoint';
import { startPostgres, type TestPostgres } from '../support/postgres';

const SITE = 'https://example.atlassian.net/wiki';
const OWN_PAGES = 1500;
const SHARED_PAGES = 200;

// Each child commits its own pages and the shared ones (with its own version), one transaction per page, as
// activities do; it waits for "go" on stdin so both write at the same time, and reports its busy window.
const CHILD = `
const { openCheckpoint } = require(process.env.CHECKPOINT_MODULE);
const [location, name, version] = process.argv.slice(1);
const site = ${JSON.stringify(SITE)};
const store = openCheckpoint(location, { scope: 'shared-output' });
const commit = (id) => store.commit({ site, id, version: Number(version), spaceKey: 'ENG',
  title: id, outputPaths: ['ENG/' + id + '.html.json'], digest: 'b'.repeat(64), runId: name });
console.log('ready');
process.stdin.once('data', async () => {
  const start = Date.now();
  for (let i = 0; i < ${OWN_PAGES}; i++) {
    await commit(name + '-' + i);
    if (i < ${SHARED_PAGES}) await commit('shared-' + i);
    if (i % 100 === 0) await store.markSeen(site, 'g-' + name, [name + '-' + i, 'shared-' + (i % ${SHARED_PAGES})]);
  }
  console.log(JSON.stringify({ start, end: Date.now() }));
  await store.close();
  process.exit(0);
});
`;

async function startChild(location: string, name: string, version: number) {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', '-e', CHILD, location, name, String(version)], {
    cwd: resolve(__dirname, '../..'),
    env: { ...process.env, CHECKPOINT_MODULE: resolve(__dirname, '../../src/checkpoint/index.ts') },
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
let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  { name: 'sqlite', location: async () => join(dir, '.checkpoint.sqlite') },
  { name: 'postgres', location: () => server.createDatabase('concurrent') },
])('$name', ({ location }) => {
  it('loses no rows when two processes create and write the same checkpoint concurrently', async () => {
    const where = await location();
    const children = await Promise.all([startChild(where, 'a', 1), startChild(where, 'b', 2)]);
    children.forEach((c) => c.go());
    const [a, b] = await Promise.all(children.map((c) => c.window()));
    const codes = await Promise.all(children.map((c) => c.exited));
    expect(codes.map(([code]) => code)).toEqual([0, 0]);
    // The windows must overlap, or this test would not have exercised concurrent writers.
    expect(Math.max(a.start, b.start)).toBeLessThan(Math.min(a.end, b.end));

    const store = openCheckpoint(where, { scope: 'shared-output' });
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
});
