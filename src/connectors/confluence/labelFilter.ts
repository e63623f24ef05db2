// --labels and --exclude-labels, at the index step: which listed pages stay in the selection, and why the others
// are left out (named in the run report, never dropped silently).
import type { PageRef } from './client/types';
import type { Selection } from './config';

export type LabelFilter = Pick<Selection, 'labels' | 'excludeLabels'>;

/** A page left out, as small as the report needs it (listing results go through workflow history). */
export interface FilteredOut {
  ref: Pick<PageRef, 'id' | 'title' | 'spaceKey' | 'contentType'>;
  reason: string;
}

export function filterByLabels(
  refs: PageRef[],
  { labels, excludeLabels }: LabelFilter,
): { kept: PageRef[]; filteredOut: FilteredOut[] } {
  const kept: PageRef[] = [];
  const filteredOut: FilteredOut[] = [];
  for (const ref of refs) {
    const reason = whyLeftOut(ref.labels ?? [], labels, excludeLabels);
    if (reason) filteredOut.push({ ref: { id: ref.id, title: ref.title, spaceKey: ref.spaceKey }, reason });
    else kept.push(ref);
  }
  return { kept, filteredOut };
}

function whyLeftOut(has: string[], wanted: string[], excluded: string[]): string | undefined {
  const barred = excluded.filter((l) => has.includes(l));
  if (barred.length > 0) return `left out by --exclude-labels: labelled ${barred.join(', ')}`;
  if (wanted.length > 0 && !wanted.some((l) => has.includes(l)))
    return `left out by --labels: has none of ${wanted.join(', ')}`;
  return undefined;
}
