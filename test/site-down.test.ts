// The site goes down (every request 5xx) for longer than one retry, mid-run: the ingest waits, finishes every page,
// and the worker's terminal shows no SDK core error or panic (the review saw local-activity panics and "Trying to send
// a new WFT for a run which already has one!" in such a run).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startIngest } from '../src/client';
import { jobFor, type Stack, startStack, tempDir, waitForDone } from './support/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ simulator: { seed: 3, spaces: 2, pagesPerSpace: 40, faults: { latencyMs: 20 } }, worker: 'none' });
});
afterAll(() => stack?.stop());

it('waits out a 20 s outage, ingests every page, and prints no core error or panic', async () => {
  const { sim } = stack;
  const worker = stack.startWorkerProcess({ stderr: 'pipe' });
  let stderr = '';
  worker.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const handle = await startIngest(stack.client, jobFor(sim, tempDir('site-down')));
  await waitForDone(handle, 5);
  sim.setFaults({ latencyMs: 20, serverErrorRate: 1 });
  await new Promise((r) => setTimeout(r, 20_000));
  sim.setFaults({ latencyMs: 20 });
  const result = await handle.result();

  expect(result).toMatchObject({ listed: sim.site.pages.length, done: sim.site.pages.length, failed: 0 });
  expect(stderr).toContain('worker polling'); // the worker's log does reach this test
  expect(stderr).not.toMatch(/Trying to send a new WFT|panicked|SendError/);
  expect(stderr).not.toMatch(/\[ERROR\]/);
}, 180_000);
