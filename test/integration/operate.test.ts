// Operating an ingest from outside: started by the `temporal` CLI with plain JSON input, watched with `status --json`.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator';
import type { DevServer } from '../../src/temporal/devServer';
import { resolveTemporalCli } from '../../src/temporal/binary';
import { handleOf, killHard, type Stack, startStack, tempDir } from '../support/stack';
import { runCli } from '../support/cli';
import { outputFiles } from '../support/outputs';
import { causesOf } from '../support/errors';
import { until } from '../support/until';
import type { IngestProgress } from '../../src/pipeline/progress';

const run = promisify(execFile);
let stack: Stack;
let sim: RunningSimulator;
let server: DevServer;

beforeAll(async () => {
  stack = await startStack({
    simulator: { seed: 26, spaces: 2, pagesPerSpace: 40, faults: { latencyMs: 30 } },
    worker: 'none',
  });
  ({ sim, server } = stack);
});
afterAll(() => stack?.stop());

it('runs an ingest started with `temporal workflow start`, and `status --json` shows it advancing', {
  timeout: 600_000,
}, async () => {
  const dir = tempDir('operate');
  // Only what the JSON Schema requires: the workflow fills in every default.
  const input = {
    site: { url: sim.url, cloud: true, auth: 'api-token', username: sim.credentials.username },
    outputDir: path.join(dir, 'out'),
    workDir: path.join(dir, 'work'),
    maxInFlight: 4,
  };
  const worker = stack.startWorkerProcess();
  try {
    await run(resolveTemporalCli()!, [
      'workflow',
      'start',
      '--address',
      server.address,
      '--type',
      'confluenceIngestWorkflow',
      '--task-queue',
      'durable-ingest',
      '--workflow-id',
      'cli-started',
      '--input',
      JSON.stringify(input),
    ]);

    const seen: number[] = [];
    await until(
      async () => {
        const status = await runCli(['status', 'cli-started', '--temporal-address', server.address, '--json']);
        if (status.code === 0) seen.push((JSON.parse(status.stdout) as IngestProgress).done);
        return seen.length >= 3 && seen.at(-1)! >= 80;
      },
      '`status --json` to show the run to its 80th page, three times or more',
      { timeoutMs: 120_000, intervalMs: 500, lastSeen: () => seen },
    );
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)!).toBeGreaterThan(seen[0]);

    const result = await handleOf(server.client, 'cli-started').result();
    expect(result).toMatchObject({ done: 80, failed: 0 });
  } finally {
    await killHard(worker);
  }
  expect(outputFiles(input.outputDir)).toHaveLength(80);
});

it('fails at once, listing every problem, on invalid JSON input', { timeout: 120_000 }, async () => {
  const worker = stack.startWorkerProcess();
  try {
    const handle = await server.client.workflow.start('confluenceIngestWorkflow', {
      taskQueue: 'durable-ingest',
      workflowId: 'invalid-input',
      args: [{ site: { url: 'not a url', auth: 'nope' }, maxInFlight: 0 }],
    });
    const failure = await handle.result().then(
      () => undefined,
      (err: Error) => err,
    );
    const message = causesOf(failure).at(-1)?.message ?? '';
    expect(message).toMatch(/^invalid workflow input: /);
    for (const field of ['site.url', 'site.auth', 'maxInFlight']) expect(message).toContain(field);
    const { historyLength } = await handle.describe();
    expect(historyLength).toBeLessThan(20);
  } finally {
    await killHard(worker);
  }
});
