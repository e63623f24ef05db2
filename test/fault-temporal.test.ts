// Fault matrix: Temporal. An address where no server answers fails at once with one line naming the address and the
// fixes (exit 3). A server stopped mid-run and started again later on its database: the command waits for it, the run
// resumes where it was (no page ingested twice over), exits 0, and a re-run finds every page done.
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { EXIT } from '../src/cli/outcome';
import { freePort } from '../src/temporal/devServer';
import { runCli } from './support/cli';
import { expectIntactOutputs, stderrLines } from './support/faultRuns';
import { outputFiles } from './support/outputs';
import { bodyRequests, type Stack, startStack, tempDir } from './support/stack';

const PAGES = 80;
const MAX_IN_FLIGHT = 8;
let stack: Stack | undefined;

afterAll(() => stack?.stop());

const FIX =
  'start the server there or give its address with --temporal-address \\(or TEMPORAL_ADDRESS\\); `durable-ingest confluence` without either runs an embedded server';

it('names the address and the fixes when no Temporal answers there, for the ingest and for a worker', { timeout: 120_000 }, async () => {
  const address = `127.0.0.1:${await freePort()}`;
  const site = ['--url', 'https://example.atlassian.net', '--cloud', '--username', 'me@example.com', '--auth', 'api-token'];
  const [ingest, worker] = await Promise.all([
    runCli(['confluence', ...site, '--temporal-address', address, '--output-dir', path.join(tempDir('fault-temporal'), 'out')]),
    runCli(['worker', '--temporal-address', address], { CONFLUENCE_URL: 'https://example.atlassian.net', CONFLUENCE_API_TOKEN: 'tok' }),
  ]);
  for (const run of [ingest, worker]) {
    expect(run.code).toBe(EXIT.stopped);
    expect(stderrLines(run)).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(
      new RegExp(`^durable-ingest: cannot reach Temporal at ${address} \\((connection refused|no answer before the connect timeout)\\); ${FIX}$`),
    );
  }
});

it('waits out a Temporal server stopped for 10 s mid-run; the run resumes and completes, and a re-run finds every page done', {
  timeout: 420_000,
}, async () => {
  const dir = tempDir('fault-temporal-restart');
  stack = await startStack({
    simulator: { seed: 8, spaces: 2, pagesPerSpace: PAGES / 2, faults: { latencyMs: 10 } },
    devServer: { dbFilename: path.join(dir, 'temporal.db') },
    worker: 'process',
  });
  const { sim } = stack;
  const out = path.join(dir, 'out');
  const ingest = () =>
    runCli([
      'confluence',
      ...['--url', sim.url, '--cloud', '--username', sim.credentials.username, '--auth', 'api-token'],
      ...['--temporal-address', stack!.address, '--output-dir', out, '--max-in-flight', String(MAX_IN_FLIGHT), '--page-size', '20'],
    ]);
  const running = ingest();
  for (const deadline = Date.now() + 120_000; outputFiles(out).length < 20; ) {
    if (Date.now() > deadline) throw new Error(`the ingest wrote ${outputFiles(out).length} pages in 2 minutes`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await stack.restartServer(10_000);
  const run = await running;

  expect(run.code).toBe(EXIT.done);
  expect(stderrLines(run)).toEqual([`${PAGES} of ${PAGES} pages ingested into ${out}; 0 unchanged, 0 failed`]);
  // Resumed, not restarted: only the pages under way when the server stopped may have asked for their body again.
  expect(bodyRequests(sim)).toBeLessThanOrEqual(PAGES + MAX_IN_FLIGHT);
  expect(expectIntactOutputs(out)).toHaveLength(PAGES);

  const rerun = await ingest();
  expect(rerun.code).toBe(EXIT.done);
  expect(rerun.stderr).toContain(`0 of ${PAGES} pages ingested into ${out}; ${PAGES} unchanged, 0 failed`);
});
