// Keeps the unit suite fast and server-free: a test file that starts a Temporal server, a worker or a child process
// must be listed in test/suites.json (and every file listed there must exist).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import suites from './suites.json';

const ROOT = path.resolve(__dirname, '..');
const { integration, workflows } = suites;

/** Calls that start a server, a worker or a process. */
const STARTS = [
  'startStack(',
  'startDevServer(',
  'startPostgres(',
  'withEmbeddedTemporal(',
  'TestWorkflowEnvironment',
  'createWorker(',
  'Worker.create(',
  'startWorkerProcess(',
  'runCli(',
  'spawn(',
  'spawnSync(',
  'execFile(',
  'execFileSync(',
  'execSync(',
  'fork(',
];

function testFiles(): string[] {
  return readdirSync(path.join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/${f.split(path.sep).join('/')}`)
    .sort();
}

const workflowDirs = workflows.map((glob) => glob.replace(/\*\*\/\*\.test\.ts$/, ''));
const isUnit = (file: string) => !integration.includes(file) && !workflowDirs.some((dir) => file.startsWith(dir));

it('lists only test files that exist', () => {
  expect(integration.filter((file) => !existsSync(path.join(ROOT, file)))).toEqual([]);
  expect(workflows.every((glob) => glob.endsWith('/**/*.test.ts'))).toBe(true);
});

it('starts no server, worker or child process in a unit test file', () => {
  const offenders = testFiles()
    .filter((file) => isUnit(file) && file !== 'test/suites.test.ts')
    .flatMap((file) => {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      return STARTS.filter((call) => text.includes(call)).map((call) => `${file}: ${call}`);
    });
  expect(offenders, 'move these tests to a file listed in test/suites.json').toEqual([]);
});
