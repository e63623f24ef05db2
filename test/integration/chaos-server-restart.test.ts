// The dev server restarted mid-run on the same database file: the worker reconnects and the same run completes.
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startIngest } from '../../src/client';
import { handleOf, jobFor, killHard, type Stack, startStack, tempDir, waitForDone } from '../support/stack';
import { outputFiles } from '../support/outputs';

let stack: Stack | undefined;

afterAll(() => stack?.stop());

it('completes the run after the dev server restarts with its db file', { timeout: 600_000 }, async () => {
  const dir = tempDir('chaos-restart');
  stack = await startStack({
    simulator: { seed: 23, spaces: 2, pagesPerSpace: 100 },
    devServer: { dbFilename: path.join(dir, 'temporal.db') },
    worker: 'none',
  });
  const { sim } = stack;
  const job = jobFor(sim, dir, { pageSize: 25, activityTimeoutSeconds: 15 });
  const worker = stack.startWorkerProcess();
  try {
    const handle = await startIngest(stack.client, job);
    await waitForDone(handle, 60);
    await stack.restartServer();

    const result = await handleOf(stack.client, handle.workflowId).result();
    expect(result.done + result.skipped).toBe(200);
    expect(result.failed).toBe(0);
  } finally {
    await killHard(worker);
  }
  expect(outputFiles(job.outputDir)).toHaveLength(200);
});
