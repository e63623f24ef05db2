// Something that did not become part of the output (a file of unknown type, a refused image URL, a page skipped for
// its permissions), and why: collected for the run report, never dropped silently.

export interface LeftOut {
  name: string;
  reason: string;
}

/**
 * Past this many, the rest are counted in one last entry, so a page with thousands of refusals stays a small result.
 */
const MAX_LEFT_OUT = 50;

export function capLeftOut(items: LeftOut[], max = MAX_LEFT_OUT): LeftOut[] {
  if (items.length <= max) return items;
  const more = items.length - (max - 1);
  return [...items.slice(0, max - 1), { name: `${more} more`, reason: 'left out of this report' }];
}
