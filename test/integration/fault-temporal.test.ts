// Fault matrix: Temporal. An address where no server answers fails at once with one line naming the address and the
// fixes (exit 3). A server stopped mid-run and started again later on its database: the command waits for it, the run
// resumes where it was (no page ingested twice over), exits 0, and a re-run finds every page done. A server that is not
// back within --reconnect-seconds: exit 3, one line naming the run and how to follow it; once the server is back, the
// same command attaches to the run, which completes.
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/outcome';
import { freePort } from '../support/ports';
import { runCli } from '../support/cli';
import { expectIntactOutputs, stderrLines } from '../support/faultRuns';
import { outputFiles } from '../support/outputs';
import { bodyRequests, type Stack, startStack, tempDir } from '../support/stack';
import { until } from '../support/until';

const PAGES = 80;
const MAX_IN_FLIGHT = 8;
let stack: Stack | undefined;

afterAll(() => stack?.stop());

const FIX =
  'start the server there or give its address with --temporal-address \\(or TEMPORAL_ADDRESS\\); `durable-ingest confluence` without either runs an embedded server';

it('names the address and the fixes when no Temporal answers there, for the ingest and for a worker', {
  timeout: 120_000,
}, async () => {
  const address = `127.0.0.1:${await freePort()}`;
  const site = [
    '--url',
    'https://example.atlassian.net',
    '--cloud',
    '--username',
    'me@example.com',
    '--auth',
    'api-token',
  ];
  const [ingest, worker] = await Promise.all([
    runCli([
      'confluence',
      ...site,
      '--temporal-address',
      address,
      '--output-dir',
      path.join(tempDir('fault-temporal'), 'out'),
    ]),
    runCli(['worker', '--temporal-address', address], {
      CONFLUENCE_URL: 'https://example.atlassian.net',
      CONFLUENCE_API_TOKEN: 'tok',
    }),
  ]);
  for (const run of [ingest, worker]) {
    expect(run.code).toBe(EXIT.stopped);
    expect(stderrLines(run)).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(
      new RegExp(
        `^durable-ingest: cannot reach Temporal at ${address} \\((connection refused|no answer before the connect timeout)\\); ${FIX}$`,
      ),
    );
  }
});

async function startClusterStack(
  name: string,
): Promise<{ stack: Stack; out: string; ingest: (...extra: string[]) => ReturnType<typeof runCli> }> {
  const dir = tempDir(name);
  const started = await startStack({
    simulator: { seed: 8, spaces: 2, pagesPerSpace: PAGES / 2, faults: { latencyMs: 10 } },
    devServer: { dbFilename: path.join(dir, 'temporal.db') },
    worker: 'process',
  });
  const { sim } = started;
  const out = path.join(dir, 'out');
  const ingest = (...extra: string[]) =>
    runCli([
      'confluence',
      ...['--url', sim.url, '--cloud', '--username', sim.credentials.username, '--auth', 'api-token'],
      ...[
        '--temporal-address',
        started.address,
        '--output-dir',
        out,
        '--max-in-flight',
        String(MAX_IN_FLIGHT),
        '--page-size',
        '20',
      ],
      ...extra,
    ]);
  return { stack: started, out, ingest };
}

async function untilWritten(out: string, pages: number): Promise<void> {
  await until(() => outputFiles(out).length >= pages, `the ingest to write ${pages} pages`, {
    timeoutMs: 120_000,
    intervalMs: 200,
    lastSeen: () => outputFiles(out).length,
  });
}

it('waits out a Temporal server stopped for 10 s mid-run; the run resumes and completes, and a re-run finds every page done', {
  timeout: 420_000,
}, async () => {
  const started = await startClusterStack('fault-temporal-restart');
  stack = started.stack;
  const { out, ingest } = started;
  const running = ingest();
  await untilWritten(out, 20);
  await stack.restartServer(10_000);
  const run = await running;

  expect(run.code).toBe(EXIT.done);
  expect(stderrLines(run)).toEqual([`${PAGES} of ${PAGES} pages ingested into ${out}; 0 unchanged, 0 failed`]);
  // Resumed, not restarted: only the pages under way when the server stopped may have asked for their body again.
  expect(bodyRequests(stack.sim)).toBeLessThanOrEqual(PAGES + MAX_IN_FLIGHT);
  expect(expectIntactOutputs(out)).toHaveLength(PAGES);

  const rerun = await ingest();
  expect(rerun.code).toBe(EXIT.done);
  expect(rerun.stderr).toContain(`0 of ${PAGES} pages ingested into ${out}; ${PAGES} unchanged, 0 failed`);
  await stack.stop();
  stack = undefined;
});

it('gives up on a server not back within --reconnect-seconds with exit 3 and how to follow the run; the same command then attaches and completes', {
  timeout: 420_000,
}, async () => {
  const started = await startClusterStack('fault-temporal-lost');
  stack = started.stack;
  const { out, ingest } = started;
  const running = ingest('--reconnect-seconds', '1');
  await untilWritten(out, 20);
  const restarted = stack.restartServer(35_000);
  const run = await running;

  expect(run.code).toBe(EXIT.stopped);
  expect(stderrLines(run)).toHaveLength(1);
  expect(run.stderr.trim()).toMatch(
    new RegExp(
      `^durable-ingest: lost Temporal at ${stack.address} for over 1 s; the ingest (confluence-ingest-\\w+) is kept there and goes on once it is back: ` +
        'run the same command again to follow it, or `durable-ingest status confluence-ingest-\\w+`$',
    ),
  );
  await restarted;
  const followed = await ingest();
  expect(followed.code).toBe(EXIT.done);
  expect(followed.stderr).toContain(`${PAGES} of ${PAGES} pages ingested into ${out}; 0 unchanged, 0 failed`);
  expect(bodyRequests(stack.sim)).toBeLessThanOrEqual(PAGES + MAX_IN_FLIGHT);
  expect(expectIntactOutputs(out)).toHaveLength(PAGES);
});
