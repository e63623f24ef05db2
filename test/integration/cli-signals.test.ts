// How an embedded run ends when it is told to: one SIGTERM or SIGINT (what `timeout` and orchestrators send once) stops
// it cleanly with its one line, whether or not its worker exists yet, and not even SIGKILL leaves its dev server behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { until } from '../support/until';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'durable-ingest.js');
const SERVER_STARTED = /"address":"([^"]+)".*embedded Temporal dev server started/;

let sim: RunningSimulator;
let work: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sim = await startSimulator({ seed: 41, spaces: 2, pagesPerSpace: 40, faults: { latencyMs: 60 } });
  work = mkdtempSync(path.join(os.tmpdir(), 'cli-signals-'));
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await sim?.close();
});

function ingest(name: string) {
  const cli = spawn(process.execPath, [BIN, 'confluence', '--verbose', '--cloud', '--output-dir', name], {
    cwd: work,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_CLI: process.env.TEMPORAL_CLI,
      CONFLUENCE_URL: sim.url,
      CONFLUENCE_USERNAME: sim.credentials.username,
      CONFLUENCE_API_TOKEN: sim.credentials.apiToken,
    },
  });
  children.push(cli);
  let stderr = '';
  cli.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => cli.on('close', resolve));
  return { cli, exited, stderr: () => stderr };
}

/** The lines a user reads: the JSON log lines of --verbose left out. */
const userLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => line && !line.startsWith('{'))
    .map((line) => line.replace(/\r/g, ''));

function accepts(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = connect(Number(port), host);
    socket.once('connect', () => resolve(Boolean(socket.end())));
    socket.once('error', () => resolve(false));
  });
}

describe('signals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'one %s in the middle of a run stops it with its one line',
    async (signal) => {
      const run = ingest(`mid-${signal}`);
      await until(() => run.stderr().includes('"ingest started"'), 'the ingest to start');
      const address = SERVER_STARTED.exec(run.stderr())![1];
      run.cli.kill(signal);
      expect(await run.exited).toBe(3);
      const last = userLines(run.stderr()).pop();
      expect(last).toBe(
        `durable-ingest: stopped by ${signal}; what was written is kept: run the same command again to continue`,
      );
      expect(run.stderr()).not.toContain('Promise did not resolve');
      expect(await accepts(address)).toBe(false);
    },
    60_000,
  );

  it('one SIGTERM before its worker exists stops it too', async () => {
    const run = ingest('early');
    await until(() => SERVER_STARTED.test(run.stderr()), 'the dev server to start');
    run.cli.kill('SIGTERM');
    expect(await run.exited).toBe(3);
    expect(userLines(run.stderr()).pop()).toMatch(/^durable-ingest: stopped by SIGTERM; /);
  }, 60_000);

  it('SIGKILL does not leave the embedded dev server running', async () => {
    const run = ingest('killed');
    await until(() => SERVER_STARTED.test(run.stderr()), 'the dev server to start');
    const address = SERVER_STARTED.exec(run.stderr())![1];
    expect(await accepts(address)).toBe(true);
    run.cli.kill('SIGKILL');
    await run.exited;
    await until(async () => !(await accepts(address)), 'the dev server to stop with its command');
  }, 60_000);
});
