// --max-delete over a real checkpoint (SQLite) and local outputs: past the limit nothing is deleted, the kept outputs
// grant no one and the failure says why; within it, --delete-missing deletes as before.
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { PgDatabases } from '../../src/core/pgDatabases';
import { checkpointActivities } from '../../src/pipeline/activities/checkpoint';
import { workerDestinations } from '../../src/pipeline/activities/destinations';
import { deletableOf } from '../../src/pipeline/deletionGuard';
import { pageCommit } from '../support/checkpointRecords';

const SITE = 'https://guard.atlassian.net';

async function recorded(pages: number) {
  const outputDir = mkdtempSync(join(tmpdir(), 'guard-'));
  mkdirSync(join(outputDir, 'ENG'));
  const destinations = workerDestinations({}, new PgDatabases());
  const { checkpoint } = destinations({ outputDir });
  const outputs: string[] = [];
  for (let i = 1; i <= pages; i++) {
    const output = join(outputDir, 'ENG', `${i}.html.json`);
    writeFileSync(
      output,
      JSON.stringify([
        { type: 'Title', text: 't', metadata: { data_source: { permissions_data: [{ read: { users: ['u1'] } }] } } },
      ]),
    );
    await checkpoint.commit(pageCommit(SITE, String(i), 1, { outputPaths: [output] }));
    outputs.push(output);
  }
  // This run saw only page 1: every other page is missing.
  await checkpoint.markSeen(SITE, 'gen-1', ['1']);
  const missing = { outputDir, siteUrl: SITE, spaceKey: 'ENG', generation: 'gen-1', deleteMissing: true };
  return { activities: checkpointActivities(destinations), checkpoint, outputs, missing };
}

describe('--max-delete', () => {
  it('is a share of the recorded pages, rounded down, and one page at least unless it is 0', () => {
    expect(deletableOf(264, 20)).toBe(52);
    expect(deletableOf(4, 20)).toBe(1);
    expect(deletableOf(4, 0)).toBe(0);
    expect(deletableOf(264, 100)).toBe(264);
  });

  it('past the limit: nothing deleted, the kept outputs grant no one, and the failure stops the run naming why', async () => {
    const { activities, checkpoint, outputs, missing } = await recorded(10);

    const err = await activities.findMissing({ ...missing, maxDeletePercent: 20 }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('MassDeletion');
    expect((err as ApplicationFailure).message).toBe(
      '--delete-missing would remove 9 of the 10 recorded pages of space ENG (90%), more than --max-delete 20% allows; ' +
        'nothing was deleted, and their outputs now grant no one (9 revoked by this run). If the ingest account lost ' +
        'access, restore it; if the pages were deleted on purpose, run again with --max-delete 100%',
    );
    expect(outputs.every((o) => existsSync(o))).toBe(true);
    expect(await checkpoint.count(SITE)).toBe(10);
    expect(readFileSync(outputs[1], 'utf8')).not.toContain('u1');
    expect(readFileSync(outputs[0], 'utf8')).toContain('u1');
  });

  it('within the limit (or 100%), --delete-missing deletes as before', async () => {
    const { activities, checkpoint, outputs, missing } = await recorded(10);

    const result = await activities.findMissing({ ...missing, maxDeletePercent: 100 });

    expect(result).toMatchObject({ count: 9, deleted: true });
    expect(outputs.filter((o) => existsSync(o))).toEqual([outputs[0]]);
    expect(await checkpoint.count(SITE)).toBe(1);
  });

  it('without --delete-missing the guard does not apply: the missing pages are revoked, however many', async () => {
    const { activities, missing } = await recorded(10);

    const result = await activities.findMissing({ ...missing, deleteMissing: false, maxDeletePercent: 0 });

    expect(result).toMatchObject({ count: 9, deleted: false, revoked: 9 });
  });
});
