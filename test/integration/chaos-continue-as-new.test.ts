// With the server suggesting continue-as-new early, a 400-page ingest continues-as-new several times and loses
// nothing. (400 pages continue-as-new three times at this threshold; 1,000 proved nothing more and took twice as long.)
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator';
import { startIngest } from '../../src/client';
import { jobFor, type Stack, startStack, tempDir } from '../support/stack';
import { outputFiles } from '../support/outputs';

let stack: Stack;
let sim: RunningSimulator;

beforeAll(async () => {
  stack = await startStack({
    simulator: { seed: 25, spaces: 2, pagesPerSpace: 200 },
    devServer: { extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=400'] },
    worker: 'in-process',
  });
  ({ sim } = stack);
});
afterAll(() => stack?.stop());

it('continues-as-new several times and ingests all 400 pages once', { timeout: 900_000 }, async () => {
  const job = jobFor(sim, tempDir('chaos-can'), { pageSize: 50 });
  const handle = await startIngest(stack.client, job);
  const result = await handle.result();
  console.info(JSON.stringify({ pages: 400, continuedAsNew: result.continuedAsNew }));
  expect(result.continuedAsNew).toBeGreaterThanOrEqual(2);
  expect(result).toMatchObject({ done: 400, failed: 0, listed: 400 });
  expect(outputFiles(job.outputDir)).toHaveLength(400);

  let runs = 0;
  for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) {
    runs++;
    expect(run.historyLength).toBeLessThan(10_000);
  }
  expect(runs).toBe(result.continuedAsNew + 1);
});
