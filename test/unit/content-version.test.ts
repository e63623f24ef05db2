// The content version that decides, beside the page version, whether a page's outputs are current.
import { describe, expect, it } from 'vitest';
import { contentVersion } from '../../src/connectors/confluence/contentVersion';

describe('contentVersion', () => {
  const comments = [
    { id: '7', version: 1 },
    { id: '12', version: 2 },
  ];

  it('is absent for a page without labels whose comments were not asked for, as pages were recorded before labels', () => {
    expect(contentVersion([])).toBeUndefined();
    expect(contentVersion([], [])).toMatch(/^[0-9a-f]{32}$/);
  });

  it('changes with a label, a comment added, removed or edited, and not with the order comments are listed in', () => {
    const base = contentVersion(['runbook'], comments);
    expect(contentVersion(['runbook'], [...comments].reverse())).toBe(base);
    expect(contentVersion(['runbook', 'security'], comments)).not.toBe(base);
    expect(contentVersion(['runbook'], [...comments, { id: '13', version: 1 }])).not.toBe(base);
    expect(contentVersion(['runbook'], comments.slice(1))).not.toBe(base);
    expect(contentVersion(['runbook'], [{ id: '7', version: 2 }, comments[1]])).not.toBe(base);
    expect(contentVersion(['runbook'])).not.toBe(contentVersion(['runbook'], []));
  });
});
