// A parent terminated halfway, started again with the same selection, finishes and re-ingests at most what was in
// flight.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator';
import { startIngest } from '../../src/client';
import { bodyRequests, jobFor, type Stack, startStack, tempDir, waitForDone } from '../support/stack';
import { outputFiles } from '../support/outputs';

let stack: Stack;
let sim: RunningSimulator;

beforeAll(async () => {
  stack = await startStack({ simulator: { seed: 22, spaces: 2, pagesPerSpace: 100 }, worker: 'in-process' });
  ({ sim } = stack);
});
afterAll(() => stack?.stop());

it('resumes from the checkpoint after the parent workflow is terminated', { timeout: 600_000 }, async () => {
  const job = jobFor(sim, tempDir('chaos-terminate'), { maxInFlight: 8, pageSize: 25 });
  const first = await startIngest(stack.client, job);
  await waitForDone(first, 100);
  await first.terminate('chaos test');

  const result = await (await startIngest(stack.client, job)).result();
  expect(result.done + result.skipped).toBe(200);
  expect(result.skipped).toBeGreaterThanOrEqual(100);
  expect(outputFiles(job.outputDir)).toHaveLength(200);
  // Every page once, plus at most the window that was in flight when the parent died.
  expect(bodyRequests(sim)).toBeLessThanOrEqual(200 + job.maxInFlight);
});
