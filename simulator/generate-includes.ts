// Included content (option includes): some pages show another page through Include Page or Excerpt Include, and link
// an attachment of another page, often a restricted one. A generator of its own, so sites without the option are
// generated exactly as before.
import type { SimPage } from './model';
import { Rng } from './rng';

export function generateIncludes(seed: number, pages: SimPage[]): void {
  const rng = Rng.derive(seed, 'includes');
  const candidates = pages.filter((p) => p.type === 'page' && p.status === 'current');
  const withFiles = candidates.filter((p) => p.attachments.length > 0);
  // Sources are chosen among pages that include nothing, so no page shows itself through a loop.
  const includers = new Set(rng.sample(candidates, Math.ceil(candidates.length / 6)).map((p) => p.id));
  const sources = candidates.filter((p) => !includers.has(p.id));
  if (sources.length === 0) return;
  for (const page of candidates.filter((p) => includers.has(p.id))) {
    const source = rng.pick(sources);
    const macro = rng.chance(0.5) ? 'include' : 'excerpt-include';
    if (macro === 'excerpt-include') source.excerpt = true;
    page.includes = [{ macro, sourcePageId: source.id }];
    const others = withFiles.filter((p) => p.id !== page.id);
    if (others.length > 0 && rng.chance(0.5)) page.attachmentLinks = [rng.pick(rng.pick(others).attachments).id];
  }
}
