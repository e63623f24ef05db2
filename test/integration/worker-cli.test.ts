// `durable-ingest worker` as a user starts it: it refuses a partition thread count that is not a whole number, and a
// Confluence secret that names no site; and any command refuses a flag it does not know as bad input (exit 2).
import { expect, it } from 'vitest';
import { runCli } from '../support/cli';

it('refuses a partition thread count that is not a whole number, in one line', async () => {
  const run = await runCli(['worker', '--temporal-address', '127.0.0.1:1', '--partition-threads', 'two']);
  expect(run.code).toBe(2);
  expect(run.stderr.trim()).toBe(
    'durable-ingest: --partition-threads must be a whole number (0: partition on the main thread), got "two"',
  );
});

it('refuses a Confluence secret in its environment that names no site, in one line, without the secret', async () => {
  const run = await runCli(['worker', '--temporal-address', '127.0.0.1:1'], {
    CONFLUENCE_API_TOKEN: 'tok-unbound-5e1',
  });
  expect(run.code).toBe(2);
  expect(run.stderr.trim()).toMatch(
    /^durable-ingest: the worker's Confluence credentials \(apiToken, [^\n]*\) are for one site, and none is named: set CONFLUENCE_URL/,
  );
  expect(run.stderr).not.toContain('tok-unbound-5e1');
});

it('exits 2 (bad input) on a flag it does not know, not the 1 that means some pages failed', async () => {
  const run = await runCli(['confluence', '--no-such-flag']);
  expect(run.code).toBe(2);
  expect(run.stderr.trim()).toBe("error: unknown option '--no-such-flag'");
  const help = await runCli(['--help']);
  expect(help.code).toBe(0);
});
