// The run's tally counts each space by content type too, so a report tells pages and blog posts apart; and it sums
// the requests that read pages outside their batch.
import { expect, it } from 'vitest';
import type { ContentType, PageRef } from '../../src/connectors/confluence/client/types';
import { emptyProgress, Tally } from '../../src/pipeline/progress';

it('counts each space by content type: listed, ingested, unchanged, skipped, filtered out, failed', () => {
  const tally = new Tally(emptyProgress('2026-12-01T00:00:00.000Z'));
  const ref = (id: string, contentType: ContentType): PageRef =>
    ({ id, title: id, spaceKey: 'ENG', spaceId: '1', version: 1, url: '', contentType }) as PageRef;
  tally.listed([ref('1', 'page'), ref('2', 'page'), ref('3', 'blogpost'), ref('5', 'whiteboard')]);
  tally.succeeded(ref('1', 'page'));
  tally.unchanged([ref('2', 'page')]);
  tally.failedPage(ref('3', 'blogpost'), 'bad');
  tally.filtered([{ ref: ref('4', 'blogpost'), reason: 'left out by --labels: x' }]);
  tally.skipped([ref('5', 'whiteboard')]);
  expect(tally.state.spaces[0].byType).toEqual({
    page: { listed: 2, done: 1, skipped: 0, unchanged: 1, failed: 0, filteredOut: 0 },
    blogpost: { listed: 1, done: 0, skipped: 0, failed: 1, filteredOut: 1 },
    whiteboard: { listed: 1, done: 0, skipped: 1, failed: 0, filteredOut: 0 },
  });
  // The space's and the run's `skipped` count both, as the summary line always has.
  expect(tally.state.spaces[0].skipped).toBe(2);
  expect(tally.state.skipped).toBe(2);
});

it('sums the requests that read pages outside their batch, by why and what, over the steps that made them', () => {
  const tally = new Tally(emptyProgress('2026-12-01T00:00:00.000Z'));
  tally.readsAlone({ 'not-in-answer': { page: 1 } });
  tally.readsAlone(undefined);
  tally.readsAlone({ 'not-in-answer': { page: 1, facts: 1 }, 'batch-failed-503': { page: 2 } });
  expect(tally.state.readsOutsideBatch).toEqual({
    'not-in-answer': { page: 2, facts: 1 },
    'batch-failed-503': { page: 2 },
  });
  expect(tally.state.readsOutsideBatchCount).toBe(5);
});
