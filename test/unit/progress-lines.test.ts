// The lines `status` prints for an ingest: pages left out by label are said beside the listed ones.
import { expect, it } from 'vitest';
import { describeProgress } from '../../src/cli/progressBar';
import { emptyProgress } from '../../src/pipeline/progress';

it('says how many pages the label filter left out, per space and in all, and nothing when none were', () => {
  const startedAt = '2026-11-30T10:00:00.000Z';
  const space = { key: 'ENG', listed: 4, done: 4, skipped: 0, failed: 0, listingDone: true };
  const progress = {
    ...emptyProgress(startedAt),
    spaces: [
      { ...space, filteredOut: 2 },
      { ...space, key: 'OPS' },
    ],
    listed: 8,
    done: 8,
    filteredOut: 2,
    finished: true,
  };
  expect(describeProgress(progress, Date.parse(startedAt) + 4000)).toEqual([
    'ENG          4/4 pages: 4 ingested, 0 unchanged, 0 failed, 2 left out by label',
    'OPS          4/4 pages: 4 ingested, 0 unchanged, 0 failed',
    'total        8/8 pages, 2.0 pages/s, finished, 2 left out by label',
  ]);
});
