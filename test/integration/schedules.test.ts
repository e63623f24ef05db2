// `durable-ingest schedule ...` against a real Temporal dev server: a schedule made with --every 1m is triggered
// and its run ingests the simulator site through an in-process worker.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOpsCommands } from '../../src/cli/ops';
import type { ScheduleLine, ScheduleView } from '../../src/cli/schedules';
import type { RunningSimulator } from '../../simulator';
import type { DevServer } from '../../src/temporal/devServer';
import { outputFiles } from '../support/outputs';
import { type Stack, startStack } from '../support/stack';
import { until } from '../support/until';

let stack: Stack;
let sim: RunningSimulator;
let server: DevServer;
const dir = mkdtempSync(path.join(os.tmpdir(), 'schedules-'));

beforeAll(async () => {
  stack = await startStack({ simulator: { seed: 5, spaces: 2, pagesPerSpace: 3 }, worker: 'in-process' });
  ({ sim, server } = stack);
});
afterAll(() => stack?.stop());

interface Run {
  out: string;
  err: string;
  code: number;
}

/** Runs one command line through a fresh program, as the CLI would. */
async function ops(...args: string[]): Promise<Run> {
  const result: Run = { out: '', err: '', code: 0 };
  const program = new Command('durable-ingest').exitOverride();
  addOpsCommands(program, {
    out: (t) => (result.out += `${t}\n`),
    err: (t) => (result.err += `${t}\n`),
    fail: (code) => (result.code = code),
    stopSignal: () => Promise.resolve(),
  });
  await program.parseAsync([...args, '--temporal-address', server.address], { from: 'user' });
  return result;
}

async function describeSchedule(id: string): Promise<ScheduleView> {
  const run = await ops('schedule', 'describe', id);
  expect(run.err).toBe('');
  return JSON.parse(run.out) as ScheduleView;
}

/** Schedule lists come from the server's visibility store, which may lag a write by a moment. */
async function listedWhen(accept: (lines: ScheduleLine[]) => boolean, what: string): Promise<ScheduleLine[]> {
  let last: ScheduleLine[] = [];
  return until(
    async () => {
      last = JSON.parse((await ops('schedule', 'list', '--json')).out) as ScheduleLine[];
      return accept(last) && last;
    },
    `schedule list to show ${what}`,
    { timeoutMs: 10_000, intervalMs: 250, lastSeen: () => last.map((l) => l.scheduleId) },
  );
}

async function firstRun(id: string): Promise<ScheduleView['recentRuns'][number]> {
  return until(async () => (await describeSchedule(id)).recentRuns[0], `the triggered run of ${id} to start`, {
    timeoutMs: 30_000,
    intervalMs: 250,
  });
}

describe('schedule commands', () => {
  it('create --every 1m, pause, trigger: the run ingests the site; unpause, delete', async () => {
    const outputDir = path.join(dir, 'out');
    const created = await ops(
      'schedule',
      'create',
      'confluence-every-minute',
      '--every',
      '1m',
      '--url',
      sim.url,
      '--username',
      sim.credentials.username,
      '--auth',
      'api-token',
      '--cloud',
      '--output-dir',
      outputDir,
      '--page-size',
      '2',
    );
    expect(created).toEqual({
      out: 'created schedule confluence-every-minute: every 1m, overlap skip\n',
      err: '',
      code: 0,
    });

    const listed = await listedWhen((lines) => lines.length > 0, 'a schedule');
    expect(listed.map((s) => [s.scheduleId, s.spec, s.paused])).toEqual([
      ['confluence-every-minute', 'every 1m', false],
    ]);

    // Paused, it cannot fire by itself: the run below is the trigger's.
    expect((await ops('schedule', 'pause', 'confluence-every-minute', '--note', 'test')).out).toBe(
      'paused schedule confluence-every-minute\n',
    );
    const paused = await describeSchedule('confluence-every-minute');
    expect([paused.paused, paused.note, paused.overlap, paused.taskQueue]).toEqual([
      true,
      'test',
      'SKIP',
      'durable-ingest',
    ]);
    expect(paused.input).toMatchObject({
      site: { url: sim.url, auth: 'api-token', cloud: true },
      outputDir,
      pageSize: 2,
    });
    expect(JSON.stringify(paused.input)).not.toContain(sim.credentials.apiToken);

    expect((await ops('schedule', 'trigger', 'confluence-every-minute')).out).toBe(
      'triggered schedule confluence-every-minute\n',
    );
    const run = await firstRun('confluence-every-minute');
    expect(run.workflowId).toMatch(/^confluence-ingest-/);
    const result = await server.client.workflow.getHandle(run.workflowId, run.runId).result();
    expect(result).toMatchObject({ done: 6, failed: 0, finished: true });
    expect(outputFiles(outputDir)).toHaveLength(6);

    expect((await ops('schedule', 'unpause', 'confluence-every-minute')).code).toBe(0);
    const active = await describeSchedule('confluence-every-minute');
    expect(active.paused).toBe(false);
    expect(new Date(active.nextRuns[0]).getTime()).toBeGreaterThan(Date.now() - 1000);

    expect((await ops('schedule', 'delete', 'confluence-every-minute')).out).toBe(
      'deleted schedule confluence-every-minute\n',
    );
    expect(await listedWhen((lines) => lines.length === 0, 'no schedule')).toEqual([]);
    expect((await ops('schedule', 'list')).out).toBe('');
    const gone = await ops('schedule', 'describe', 'confluence-every-minute');
    expect(gone).toMatchObject({ out: '', code: 2 });
    expect(gone.err).toBe(
      'durable-ingest: no schedule confluence-every-minute in namespace default: see `schedule list`\n',
    );
  });

  it('refuses bad schedules with one clear line each', async () => {
    const site = ['--url', sim.url, '--username', 'u', '--auth', 'api-token', '--cloud'];
    const badInput = path.join(dir, 'bad-input.json');
    writeFileSync(badInput, JSON.stringify({ outputDir: 'x' }));
    const cases: [string[], RegExp][] = [
      [['schedule', 'create', 'a', ...site], /give exactly one of --every .* or --cron/],
      [['schedule', 'create', 'a', '--every', '1m', '--cron', '0 2 * * *', ...site], /give exactly one of/],
      [
        ['schedule', 'create', 'a', '--every', 'hourly', ...site],
        /--every "hourly" is not an interval: .*30m, 6h or 1d/,
      ],
      [['schedule', 'create', 'a', '--cron', '0 2 *', ...site], /--cron "0 2 \*" is not a cron expression/],
      [['schedule', 'create', 'bad id', '--every', '1m', ...site], /schedule id "bad id" is not usable/],
      [
        ['schedule', 'create', 'a', '--every', '1m', '--url', sim.url, '--username', 'u'],
        /say how the workers sign in: give --auth api-token/,
      ],
      [
        ['schedule', 'create', 'a', '--every', '1m', '--input-file', path.join(dir, 'absent.json')],
        /--input-file .*absent\.json: ENOENT; give a JSON workflow input/,
      ],
      [
        ['schedule', 'create', 'a', '--every', '1m', '--input-file', badInput],
        /--input-file .*bad-input\.json: site: /,
      ],
      [['schedule', 'trigger', 'nope'], /no schedule nope in namespace default/],
    ];
    for (const [args, message] of cases) {
      const run = await ops(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err).toMatch(message);
      expect(run.err.trimEnd()).not.toContain('\n');
    }
  });

  it('takes the whole input from --input-file, and refuses a second schedule with the same id', async () => {
    const inputFile = path.join(dir, 'input.json');
    writeFileSync(inputFile, JSON.stringify({ site: { url: sim.url, auth: 'pat' }, selection: { spaces: ['ENG'] } }));
    const args = ['schedule', 'create', 'twice', '--cron', '0 2 * * *', '--input-file', inputFile, '--paused'];
    expect((await ops(...args)).code).toBe(0);
    expect((await ops(...args)).err).toMatch(/schedule twice already exists: delete it first/);
    const view = JSON.parse((await ops('schedule', 'describe', 'twice')).out) as ScheduleView;
    expect(view).toMatchObject({
      spec: 'cron 0 2 * * *',
      paused: true,
      input: { site: { auth: 'pat' }, selection: { spaces: ['ENG'] }, pageSize: 100 },
    });
    await ops('schedule', 'delete', 'twice');
  });

  it('needs a cluster address', async () => {
    const result: string[] = [];
    const program = new Command('durable-ingest').exitOverride();
    addOpsCommands(program, {
      out: () => undefined,
      err: (t) => result.push(t),
      fail: () => undefined,
      stopSignal: () => Promise.resolve(),
    });
    const saved = process.env.TEMPORAL_ADDRESS;
    delete process.env.TEMPORAL_ADDRESS;
    try {
      await program.parseAsync(['schedule', 'list'], { from: 'user' });
    } finally {
      if (saved !== undefined) process.env.TEMPORAL_ADDRESS = saved;
    }
    expect(result).toEqual([
      'durable-ingest: schedules live on a Temporal cluster: give --temporal-address host:7233 or set TEMPORAL_ADDRESS',
    ]);
  });
});
