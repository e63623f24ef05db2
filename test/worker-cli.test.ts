// `durable-ingest worker` as a user starts it: it refuses a partition thread count that is not a whole number.
import { expect, it } from 'vitest';
import { runCli } from './support/cli';

it('refuses a partition thread count that is not a whole number, in one line', async () => {
  const run = await runCli(['worker', '--temporal-address', '127.0.0.1:1', '--partition-threads', 'two']);
  expect(run.code).toBe(2);
  expect(run.stderr.trim()).toBe('durable-ingest: --partition-threads must be a whole number (0: partition on the main thread), got "two"');
});
