// A worker killed with SIGKILL three times mid-run is replaced, and the same run completes with nothing lost or
// doubled.
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator';
import { startIngest } from '../../src/client';
import { openCheckpoint, defaultCheckpointPath } from '../../src/checkpoint';
import { jobFor, killHard, type Stack, startStack, tempDir, waitForDone } from '../support/stack';
import { outputFiles, readJson, walk } from '../support/outputs';

let stack: Stack;
let sim: RunningSimulator;

beforeAll(async () => {
  stack = await startStack({
    simulator: { seed: 21, spaces: 3, pagesPerSpace: 200, faults: { latencyMs: 2 } },
    worker: 'none',
  });
  ({ sim } = stack);
});
afterAll(() => stack?.stop());

it('completes 600 pages exactly once through three SIGKILLs of the worker', { timeout: 600_000 }, async () => {
  const job = jobFor(sim, tempDir('chaos-kill'), { activityTimeoutSeconds: 10, pageSize: 50 });
  let worker = stack.startWorkerProcess();
  const handle = await startIngest(stack.client, job);
  try {
    for (const done of [60, 220, 400]) {
      await waitForDone(handle, done);
      await killHard(worker);
      worker = stack.startWorkerProcess();
    }
    const result = await handle.result();
    expect(result.done).toBe(600);
    expect(result.failed).toBe(0);
  } finally {
    await killHard(worker);
  }

  const files = outputFiles(job.outputDir);
  expect(files).toHaveLength(600);
  expect(new Set(files.map((f) => path.basename(f))).size).toBe(600);
  for (const file of files) expect(Array.isArray(readJson(path.join(job.outputDir, file)))).toBe(true);
  expect(walk(job.outputDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  const checkpoint = openCheckpoint(defaultCheckpointPath(job.outputDir));
  try {
    expect(await checkpoint.count(job.site.url)).toBe(600);
  } finally {
    await checkpoint.close();
  }
});
