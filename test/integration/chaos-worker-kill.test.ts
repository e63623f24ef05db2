// A worker killed with SIGKILL three times mid-run is replaced, and the same run completes with nothing lost or
// doubled. 300 pages leave each worker time to have pages at every step when it dies.
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
    simulator: { seed: 21, spaces: 3, pagesPerSpace: 100, faults: { latencyMs: 2 } },
    worker: 'none',
  });
  ({ sim } = stack);
});
afterAll(() => stack?.stop());

it('completes 300 pages exactly once through three SIGKILLs of the worker', { timeout: 600_000 }, async () => {
  const job = jobFor(sim, tempDir('chaos-kill'), { activityTimeoutSeconds: 10, pageSize: 50 });
  let worker = stack.startWorkerProcess();
  const handle = await startIngest(stack.client, job);
  try {
    for (const done of [30, 110, 200]) {
      await waitForDone(handle, done);
      await killHard(worker);
      worker = stack.startWorkerProcess();
    }
    const result = await handle.result();
    expect(result.done).toBe(300);
    expect(result.failed).toBe(0);
  } finally {
    await killHard(worker);
  }

  const files = outputFiles(job.outputDir);
  expect(files).toHaveLength(300);
  expect(new Set(files.map((f) => path.basename(f))).size).toBe(300);
  for (const file of files) expect(Array.isArray(readJson(path.join(job.outputDir, file)))).toBe(true);
  expect(walk(job.outputDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  const checkpoint = openCheckpoint(defaultCheckpointPath(job.outputDir));
  try {
    expect(await checkpoint.count(job.site.url)).toBe(300);
  } finally {
    await checkpoint.close();
  }
});
