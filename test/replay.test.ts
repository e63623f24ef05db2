// Upgrades while runs are in flight: the recorded histories of test/fixtures/histories (written by
// scripts/record-histories.ts, one real ingest per option path) replayed against the current workflow code. A change
// that runs recorded before it could not continue under (a step added, dropped or moved, a child or a timer more or
// less, without patched()) fails here with the file and the event it broke at. No server: the SDK's replay worker runs
// the bundled workflows in this process.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { expect, it } from 'vitest';
import { quietRuntime } from '../src/temporal/runtime';
import { workflowBundlePath } from '../src/temporal/workflowBundle';
import manifest from './fixtures/histories/manifest.json';
import { historyFromJson } from './support/historyJson';

const DIR = path.join(__dirname, 'fixtures', 'histories');

/** The option paths the recorder covers; each must keep its histories. */
const SCENARIOS = ['plain', 'extract', 'chunking', 'embeddings', 'permission-skip', 'failing-page', 'listing-fails', 'continue-as-new'];

it('holds the histories of every option path, each listed in the manifest', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'manifest.json');
  expect(manifest.map((e) => e.file).sort()).toEqual(files.sort());
  expect([...new Set(manifest.map((e) => e.scenario))].sort()).toEqual([...SCENARIOS].sort());
  for (const scenario of SCENARIOS) {
    expect(manifest.some((e) => e.scenario === scenario && e.workflowType === 'confluenceIngestWorkflow')).toBe(true);
  }
  expect(manifest.filter((e) => e.scenario === 'continue-as-new').length).toBeGreaterThanOrEqual(2);
  expect(manifest.some((e) => e.workflowType === 'confluencePageWorkflow')).toBe(true);
});

it('replays every recorded history with the current workflow code', async () => {
  quietRuntime();
  const histories = manifest.map((entry) => ({ workflowId: entry.workflowId, history: historyFromJson(readFileSync(path.join(DIR, entry.file), 'utf8')) }));
  const failures: string[] = [];
  let replayed = 0;
  // One at a time, in order: the n-th result is the n-th history's.
  for await (const { error } of Worker.runReplayHistories({ workflowBundle: { codePath: await workflowBundlePath() } }, histories)) {
    if (error) failures.push(`${manifest[replayed].file}: ${error.name}: ${error.message.match(/\[TMPRL\d+\][^"]*/)?.[0] ?? error.message}`);
    replayed++;
  }
  expect(failures, 'workflow code no longer replays these histories: see README "Changing workflow code"').toEqual([]);
  expect(replayed).toBe(manifest.length);
});
