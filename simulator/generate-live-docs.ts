// Cloud live docs (option liveDocsPerSpace): some pages of each space become live docs. A generator of its own, so
// sites without them are generated exactly as before.
import type { SimPage, SimSpace } from './model';
import { Rng } from './rng';

export function markLiveDocs(seed: number, perSpace: number, spaces: SimSpace[], pages: SimPage[]): void {
  const rng = Rng.derive(seed, 'live-docs');
  for (const space of spaces) {
    const candidates = pages.filter((p) => p.spaceId === space.id && p.type === 'page' && p.id !== space.homepageId);
    for (const page of rng.sample(candidates, Math.min(perSpace, candidates.length))) page.subtype = 'live';
  }
}
