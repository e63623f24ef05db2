// Keeps the unit suite fast and server-free: a test file that starts a Temporal server, a worker or a child process
// belongs in test/integration (or test/workflows), and every test file lies in one of the three projects' folders.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const UNIT_DIRS = ['test/unit', 'simulator/test'];
const ALL_DIRS = [...UNIT_DIRS, 'test/workflows', 'test/integration'];

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

function testFilesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `${dir}/${f.split(path.sep).join('/')}`)
    .sort();
}

it('keeps every test file in the folder of its project', () => {
  const inProjects = new Set(ALL_DIRS.flatMap(testFilesUnder));
  const elsewhere = [...testFilesUnder('test'), ...testFilesUnder('simulator')].filter((f) => !inProjects.has(f));
  expect(elsewhere, 'move these into test/unit, test/workflows or test/integration').toEqual([]);
});

it('starts no server, worker or child process in a unit test file', () => {
  const offenders = UNIT_DIRS.flatMap(testFilesUnder)
    .filter((file) => file !== 'test/unit/suites.test.ts')
    .flatMap((file) => {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      return STARTS.filter((call) => text.includes(call)).map((call) => `${file}: ${call}`);
    });
  expect(offenders, 'move these tests to test/integration').toEqual([]);
});
