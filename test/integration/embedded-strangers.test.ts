// Another account on the host reaches the embedded dev server's port and starts an ingest of its own on the in-process
// worker's task queue: the worker, which holds this user's credentials, refuses it before any activity runs, and the
// user's own run goes on to the end.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { jobFromFlags } from '../../src/cli/flags';
import { causesOf } from '../support/errors';
import { until } from '../support/until';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'durable-ingest.js');

let sim: RunningSimulator;
let work: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 31, spaces: 2, pagesPerSpace: 30, faults: { latencyMs: 40 } });
  work = mkdtempSync(path.join(os.tmpdir(), 'embedded-strangers-'));
});
afterAll(async () => sim?.close());

describe('the embedded Temporal server, reached by another local user', () => {
  it("runs only its own command's ingest: a stranger's is refused without a request to the site", async () => {
    const [own, other] = sim.site.spaces;
    const otherPages = new Set(sim.site.pages.filter((p) => p.spaceId === other.id).map((p) => p.id));
    const cli = spawn(
      process.execPath,
      [BIN, 'confluence', '--verbose', '--cloud', '--spaces', own.key, '--output-dir', path.join(work, 'out')],
      {
        cwd: work,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          TEMPORAL_CLI: process.env.TEMPORAL_CLI,
          CONFLUENCE_URL: sim.url,
          CONFLUENCE_USERNAME: sim.credentials.username,
          CONFLUENCE_API_TOKEN: sim.credentials.apiToken,
        },
      },
    );
    let stderr = '';
    cli.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => cli.on('close', resolve));
    try {
      await until(() => /"address":"([^"]+)".*embedded Temporal dev server started/.test(stderr), 'the dev server');
      const address = /"address":"([^"]+)".*embedded Temporal dev server started/.exec(stderr)![1];
      const connection = await Connection.connect({ address });
      const client = new Client({ connection });
      await until(async () => {
        for await (const run of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) return Boolean(run);
        return false;
      }, 'the user’s own ingest to run');

      const { input } = jobFromFlags(
        {
          url: sim.url,
          cloud: true,
          username: sim.credentials.username,
          auth: 'api-token',
          spaces: other.key,
          outputDir: path.join(work, 'stolen'),
          workDir: 'unused',
        },
        { workersHoldSecrets: true },
        {},
      );
      const stranger = await client.workflow.start('confluenceIngestWorkflow', {
        taskQueue: 'durable-ingest',
        workflowId: 'a-stranger',
        args: [input],
      });
      const failure = await stranger.result().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(causesOf(failure).map((e) => e.message)).toContainEqual(
        expect.stringMatching(/^workflow a-stranger was not started by this command \(its worker runs only ingest /),
      );
      await connection.close();

      expect(await exited).toBe(0);
      expect(stderr).toContain('30 of 30 pages ingested');
      expect(existsSync(path.join(work, 'stolen'))).toBe(false);
      expect([...sim.stats.pageBodyRequests.keys()].filter((id) => otherPages.has(id))).toEqual([]);
    } finally {
      cli.kill('SIGKILL');
    }
  }, 120_000);
});
