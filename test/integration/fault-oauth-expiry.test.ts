// Fault matrix: the OAuth access token expires in the middle of a run. Atlassian's gateway does not answer 401 then:
// it answers 404 on v2 and 403 on v1, as for content that is not there or not allowed, so an ingest that took those at
// their word would call pages vanished (and --delete-missing would delete them). The real CLI, over the simulator's
// gateway, must instead stop with exit 3 and one line naming the expired token and the fix, whether the token expires
// while spaces are listed or while pages are read, deleting no output; a re-run with a good token finds all as it was.
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator';
import { EXIT } from '../../src/cli/outcome';
import { REPORT_FILE, type RunReport } from '../../src/pipeline/activities/report';
import { type CliRun, runCli } from '../support/cli';
import { expectIntactOutputs, stderrLines } from '../support/faultRuns';
import { readJson } from '../support/outputs';
import { tempDir } from '../support/stack';

const PAGES = 40;
let sim: RunningSimulator;
let out: string;
let work: string;
let written: string[];

/** `confluence` signed in with an OAuth token through the gateway (the simulator serves it at its own origin). */
function oauthIngest(extra: string[] = []): Promise<CliRun> {
  return runCli(
    [
      'confluence',
      '--cloud',
      '--output-dir',
      out,
      '--work-dir',
      work,
      '--page-size',
      '20',
      '--cloud-id',
      sim.cloudId,
    ].concat(['--gateway-url', sim.origin, ...extra]),
    { CONFLUENCE_URL: sim.url, CONFLUENCE_OAUTH_TOKEN: sim.credentials.oauthToken },
  );
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, spaces: 2, pagesPerSpace: PAGES / 2 });
  const dir = tempDir('fault-oauth-expiry');
  [out, work] = [path.join(dir, 'out'), path.join(dir, 'work')];
  const first = await oauthIngest();
  expect(first.code, first.stderr).toBe(EXIT.done);
  written = expectIntactOutputs(out);
  expect(written).toHaveLength(PAGES);
}, 240_000);
afterAll(() => sim?.close());

// The preflight and the listing of spaces take the first two requests. Pages read one by one (--no-batch-bodies) take
// a request or more each, well past the listings' dozen: the 20th request falls among them. A run that listed no page
// leaves the last report as it was (ingest.ts, finishRun); one that did records why it stopped.
const PAGE_BY_PAGE = ['--reprocess', '--no-batch-bodies', '--max-in-flight', '2'];
it.each([
  { when: 'while the spaces are listed', afterRequests: 2, extra: [], reported: false },
  { when: 'while pages are read', afterRequests: 20, extra: PAGE_BY_PAGE, reported: true },
])(
  'an OAuth token that expires $when stops the run with exit 3, naming it, and deletes nothing',
  {
    timeout: 240_000,
  },
  async ({ afterRequests, extra, reported }) => {
    sim.setFaults({ expireAfterRequests: afterRequests });
    const run = await oauthIngest(['--delete-missing', '--max-delete', '100%', ...extra]);
    sim.setFaults({});

    expect(sim.faultCounters.expired).toBeGreaterThan(0);
    expect(run.code, run.stderr).toBe(EXIT.stopped);
    const lines = stderrLines(run);
    expect(lines).toHaveLength(1);
    const gateway = `/ex/confluence/${sim.cloudId}/wiki`;
    // The request that met the expiry: 404 on v2, 403 on v1, as Atlassian's gateway answers an expired token.
    const seen = `(404 on GET ${gateway}/api/v2/|403 on GET ${gateway}/rest/api/)[^,]*`;
    expect(lines[0]).toMatch(
      new RegExp(
        `^durable-ingest: the run stopped: ${sim.origin} no longer accepts the credentials of the OAuth token’s ` +
          `user: they have expired or were revoked \\(${seen}, and 403 on GET ${gateway}/rest/api/user/current\\); ` +
          'the OAuth access token is invalid or expired; pass a fresh one with --oauth-token ' +
          '\\(and check --cloud-id\\)\\. (\\d+) pages? (is|are) written and recorded; a re-run continues from there$',
      ),
    );
    const rewritten = Number(/(\d+) pages? (is|are) written/.exec(lines[0])?.[1]);
    expect(rewritten).toBeLessThan(reported ? PAGES : 1);
    expect(lines[0]).not.toMatch(/missing|vanished|deleted|gone/);
    expect(expectIntactOutputs(out)).toEqual(written);
    const report = readJson<RunReport>(path.join(out, REPORT_FILE));
    expect(report).toMatchObject({ missingCount: 0, missing: [], failed: 0 });
    expect(report.stopped?.type).toBe(reported ? 'ConfluenceAuth' : undefined);
  },
);

it('a re-run with a token the site accepts finds every page as it was', { timeout: 240_000 }, async () => {
  const rerun = await oauthIngest(['--delete-missing']);
  expect(rerun.code, rerun.stderr).toBe(EXIT.done);
  expect(stderrLines(rerun)).toEqual([`0 of ${PAGES} pages ingested into ${out}; ${PAGES} unchanged, 0 failed`]);
  expect(expectIntactOutputs(out)).toEqual(written);
});
