// Fault matrix: the API token revoked in the middle of a run. The run stops promptly (a handful of 401s, not one per
// page with ten retries each), exits 3 with one line naming the cause, what was kept and the fix, leaves every output
// whole and the cause in its report; a re-run with valid credentials completes every page.
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator';
import { EXIT } from '../../src/cli/outcome';
import { DEFAULT_POOL } from '../../src/connectors/confluence/client/pool';
import { REPORT_FILE } from '../../src/pipeline/activities/report';
import type { RunReport } from '../../src/pipeline/activities/report';
import { expectIntactOutputs, ingestCli, stderrLines } from '../support/faultRuns';
import { readJson } from '../support/outputs';
import { tempDir } from '../support/stack';

const PAGES = 80;
const MAX_IN_FLIGHT = 8;
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 5, spaces: 2, pagesPerSpace: PAGES / 2 });
});
afterAll(() => sim?.close());

it('stops at the first 401s after a revocation, exits 3 naming it, and a re-run completes', {
  timeout: 240_000,
}, async () => {
  const dir = tempDir('fault-credentials');
  const [out, work] = [path.join(dir, 'out'), path.join(dir, 'work')];
  // Revoked once some pages are in: the listings take 7 requests, then each batched search brings up to 8 pages' bodies
  // and permissions (--max-in-flight 8).
  sim.setFaults({ revokeAfterRequests: 12 });
  const run = await ingestCli(sim, out, work, ['--max-in-flight', String(MAX_IN_FLIGHT)]);

  expect(run.code).toBe(EXIT.stopped);
  const lines = stderrLines(run);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    new RegExp(
      `^durable-ingest: the run stopped: ${sim.url} rejected the credentials of user ${sim.credentials.username} \\(401 on GET [^)]+\\); ` +
        'check --username \\(the account email on Cloud\\) and --api-token \\(a scoped API token needs --scoped-token\\)\\. ' +
        '(\\d+) pages are written and recorded; a re-run continues from there$',
    ),
  );
  const written = Number(/(\d+) pages are written/.exec(lines[0])?.[1]);
  // Only the requests already sent when the first 401 came back meet one (the worker sends at most the site pool's
  // concurrency at once); every later request of the worker fails with that 401 unsent, and no page is retried.
  expect(sim.faultCounters.revoked401).toBeGreaterThan(0);
  expect(sim.faultCounters.revoked401).toBeLessThanOrEqual(DEFAULT_POOL.maxConcurrency);
  const report = readJson<RunReport>(path.join(out, REPORT_FILE));
  expect(report).toMatchObject({ done: written, failed: 0, finished: false, stopped: { type: 'ConfluenceAuth' } });
  expect(report.stopped?.reason).toContain('rejected the credentials');
  expect(expectIntactOutputs(out).length).toBeGreaterThanOrEqual(written);
  expect(written).toBeGreaterThan(0);
  expect(written).toBeLessThan(PAGES);

  sim.setFaults({});
  const rerun = await ingestCli(sim, out, work, ['--max-in-flight', String(MAX_IN_FLIGHT)]);
  expect(rerun.code).toBe(EXIT.done);
  expect(rerun.stderr).toContain(`${PAGES - written} of ${PAGES} pages ingested`);
  expect(rerun.stderr).toContain(`${written} unchanged, 0 failed`);
  expect(expectIntactOutputs(out)).toHaveLength(PAGES);
});
