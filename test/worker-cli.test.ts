// `durable-ingest worker` as a user starts it: it refuses a partition thread count that is not a whole number, and a
// Confluence secret that names no site.
import { expect, it } from 'vitest';
import { runCli } from './support/cli';

it('refuses a partition thread count that is not a whole number, in one line', async () => {
  const run = await runCli(['worker', '--temporal-address', '127.0.0.1:1', '--partition-threads', 'two']);
  expect(run.code).toBe(2);
  expect(run.stderr.trim()).toBe('durable-ingest: --partition-threads must be a whole number (0: partition on the main thread), got "two"');
});

it('refuses a Confluence secret in its environment that names no site, in one line, without the secret', async () => {
  const run = await runCli(['worker', '--temporal-address', '127.0.0.1:1'], { CONFLUENCE_API_TOKEN: 'tok-unbound-5e1' });
  expect(run.code).toBe(2);
  expect(run.stderr.trim()).toMatch(
    /^durable-ingest: the worker's Confluence credentials \(apiToken, [^\n]*\) are for one site, and none is named: set CONFLUENCE_URL/,
  );
  expect(run.stderr).not.toContain('tok-unbound-5e1');
});
