// `explain` over a fixture checkpoint record and report: each way a page can be absent, or present, named in plain lines.
import { describe, expect, it } from 'vitest';
import type { CheckpointRecord } from '../../src/checkpoint';
import { explainPage, pageIdByTitle, pageIdOf } from '../../src/cli/explain';
import type { RunReport } from '../../src/pipeline/activities/report';
import { emptyProgress, notIngestedReason } from '../../src/pipeline/progress';

const record: CheckpointRecord = {
  site: 'https://x.atlassian.net',
  id: '42',
  version: 7,
  spaceKey: 'ENG',
  title: 'Runbook',
  outputPaths: ['/out/ENG/42.html.json'],
  digest: 'a'.repeat(64),
  committedAt: '2026-12-01T10:00:00.000Z',
  runId: 'run-1',
  permissionsVersion: 'abc',
};

function report(overrides: Partial<RunReport> = {}): RunReport {
  return {
    ...emptyProgress('2026-12-02T09:00:00.000Z'),
    workflowId: 'w',
    site: 'https://x.atlassian.net',
    finishedAt: '2026-12-02T10:00:00.000Z',
    seconds: 1,
    listsTruncated: false,
    ...overrides,
  };
}

describe('explain', () => {
  it('finds the page id in an id, a page URL or a title the report names', () => {
    expect(pageIdOf('42')).toBe('42');
    expect(pageIdOf('https://x.atlassian.net/wiki/spaces/ENG/pages/42/Runbook')).toBe('42');
    expect(pageIdOf('https://dc.example.com/pages/viewpage.action?pageId=42')).toBe('42');
    expect(pageIdOf('Runbook')).toBeUndefined();
    const failures = [{ id: '9', title: 'Runbook', spaceKey: 'ENG', reason: 'x' }];
    expect(pageIdByTitle('Runbook', report({ failures }))).toBe('9');
  });

  it('a whiteboard, database or embed of a type the run does not ingest, by id, URL or title', () => {
    const notIngestedItems = [
      {
        id: '77',
        type: 'whiteboard' as const,
        title: 'Roadmap',
        spaceKey: 'ENG',
        reason: notIngestedReason('whiteboard'),
      },
    ];
    const last = report({
      notIngestedItems,
      spaces: [
        { key: 'ENG', listed: 0, done: 0, skipped: 0, failed: 0, listingDone: true, notIngested: { whiteboard: 1 } },
      ],
    });
    expect(pageIdOf('https://x.atlassian.net/wiki/spaces/ENG/whiteboard/77')).toBe('77');
    expect(pageIdByTitle('Roadmap', last)).toBe('77');
    expect(explainPage('77', undefined, last)).toEqual([
      'the last run (2026-12-02T10:00:00.000Z) did not ingest whiteboard 77 "Roadmap" (space ENG), of a type not ' +
        'ingested: whiteboard is not in --content-types (the API gives its metadata, not its content: add whiteboard ' +
        'to ingest that)',
    ]);
  });

  it('an ingested page: where its outputs are, which version, when, and its grants', () => {
    expect(explainPage('42', record, report())).toEqual([
      'page 42 "Runbook" (space ENG) is ingested: version 7, written 2026-12-01T10:00:00.000Z by run run-1',
      'outputs: /out/ENG/42.html.json',
      'its outputs carry the permissions recorded with it',
    ]);
  });

  it('a page gone from the listing, kept: not visible to the account, its grants revoked', () => {
    const lines = explainPage(
      '42',
      { ...record, permissionsVersion: 'unproven' },
      report({ missing: [{ id: '42', title: 'Runbook', spaceKey: 'ENG' }], missingCount: 1 }),
    );
    expect(lines).toContain(
      'its outputs grant no one (revoked: gone from a listing, or its readers could not be proven)',
    );
    expect(lines).toContain(
      'the last run (2026-12-02T10:00:00.000Z) did not list it: deleted, or no longer visible to the ingest account; ' +
        'its outputs were kept, granting no one (--delete-missing removes them)',
    );
  });

  it('a failed page, with the reason, and a page the label filter left out', () => {
    const failures = [{ id: '5', title: 'T', spaceKey: 'ENG', reason: 'partition failed: bad table' }];
    expect(explainPage('5', undefined, report({ failures }))).toEqual([
      'the last run (2026-12-02T10:00:00.000Z) failed it: partition failed: bad table',
    ]);
    const skippedItems = [{ pageId: '6', name: 'Draft', reason: 'left out by --exclude-labels: draft' }];
    expect(explainPage('6', undefined, report({ skippedItems, skippedItemCount: 1 }))).toEqual([
      'the last run (2026-12-02T10:00:00.000Z) left out Draft: left out by --exclude-labels: draft',
    ]);
  });

  it('a page no run has listed: outside the selection or not visible, and how to tell', () => {
    expect(explainPage('77', undefined, report())[0]).toMatch(
      /^page 77 is neither recorded .* as that account to tell\)$/,
    );
  });
});
