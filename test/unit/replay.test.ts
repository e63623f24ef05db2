// Upgrades while runs are in flight: the recorded histories of test/fixtures/histories (written by
// scripts/record-histories.ts, one real ingest per option path) replayed against the current workflow code. A change
// that runs recorded before it could not continue under (a step added, dropped or moved, a child or a timer more or
// less, without patched()) fails here with the file and the event it broke at. No server: the SDK's replay worker runs
// the bundled workflows in this process.
//
// The recorder rewrites the fixtures at the top of the folder; fixtures moved into a subfolder (a release whose runs
// may still be in flight, see README "Changing workflow code") are replayed too, each folder with its own manifest.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { expect, it } from 'vitest';
import { quietRuntime } from '../../src/temporal/runtime';
import { workflowBundlePath } from '../../src/temporal/workflowBundle';
import { historyFromJson } from '../support/historyJson';

const DIR = path.join(__dirname, '..', 'fixtures', 'histories');

/** The option paths the recorder covers; the current fixtures must hold each. */
const SCENARIOS = [
  'plain',
  'extract',
  'comments-labels',
  'chunking',
  'embeddings',
  'permission-skip',
  'failing-page',
  'listing-fails',
  'continue-as-new',
];

interface Fixture {
  file: string;
  scenario: string;
  workflowType: string;
  workflowId: string;
}

/** The fixture folders: the recorder's own, then every kept-aside one below it. */
function folders(): string[] {
  const kept = readdirSync(DIR, { withFileTypes: true }).filter(
    (e) => e.isDirectory() && existsSync(path.join(DIR, e.name, 'manifest.json')),
  );
  return [DIR, ...kept.map((e) => path.join(DIR, e.name))];
}

function manifestOf(folder: string): Fixture[] {
  return JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as Fixture[];
}

it('holds the histories of every option path, and each folder lists exactly its files', () => {
  for (const folder of folders()) {
    const files = readdirSync(folder).filter((f) => f.endsWith('.json') && f !== 'manifest.json');
    expect(
      manifestOf(folder)
        .map((e) => e.file)
        .sort(),
      path.relative(DIR, folder) || 'histories',
    ).toEqual(files.sort());
  }
  const current = manifestOf(DIR);
  expect([...new Set(current.map((e) => e.scenario))].sort()).toEqual([...SCENARIOS].sort());
  for (const scenario of SCENARIOS) {
    expect(current.some((e) => e.scenario === scenario && e.workflowType === 'confluenceIngestWorkflow')).toBe(true);
  }
  expect(current.filter((e) => e.scenario === 'continue-as-new').length).toBeGreaterThanOrEqual(2);
  expect(current.some((e) => e.workflowType === 'confluencePageWorkflow')).toBe(true);
});

it('replays every recorded history with the current workflow code', async () => {
  quietRuntime();
  const fixtures = folders().flatMap((folder) =>
    manifestOf(folder).map((entry) => ({ ...entry, path: path.join(folder, entry.file) })),
  );
  const histories = fixtures.map((f) => ({
    workflowId: f.workflowId,
    history: historyFromJson(readFileSync(f.path, 'utf8')),
  }));
  const failures: string[] = [];
  let replayed = 0;
  // One at a time, in order: the n-th result is the n-th history's.
  for await (const { error } of Worker.runReplayHistories(
    { workflowBundle: { codePath: await workflowBundlePath() } },
    histories,
  )) {
    const reason = error && (error.message.match(/\[TMPRL\d+\][^"]*/)?.[0] ?? error.message);
    if (error) failures.push(`${path.relative(DIR, fixtures[replayed].path)}: ${error.name}: ${reason}`);
    replayed++;
  }
  expect(failures, 'workflow code no longer replays these histories: see README "Changing workflow code"').toEqual([]);
  expect(replayed).toBe(fixtures.length);
});
