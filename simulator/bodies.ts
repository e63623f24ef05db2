// Renders page bodies on demand (storage / view) and keeps recent ones, keyed by page version.
import { buildBlocks, type PageTarget } from './content';
import type { Mode } from './links';
import type { SimPage } from './model';
import { renderStorage } from './render/storage';
import { renderView } from './render/view';
import { Rng } from './rng';
import type { SimSite } from './site';

export type BodyFormat = 'storage' | 'view';

const CACHE_LIMIT = 2000;

export class BodyRenderer {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly site: SimSite,
    private readonly seed: number,
    private readonly mode: Mode,
    private readonly origin: string,
    /** Base path written into links: /wiki on Cloud, the context path on Data Center. */
    private readonly basePath: string,
  ) {}

  render(page: SimPage, format: BodyFormat): string {
    const key = `${page.id}:${page.version.number}:${format}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const blocks = buildBlocks(this.seed, { page, linkTargets: this.linkTargets(page) });
    const value =
      format === 'storage'
        ? renderStorage(blocks, (n) => this.macroId(page, n))
        : renderView(blocks, { mode: this.mode, origin: this.origin, basePath: this.basePath, page });
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, value);
    return value;
  }

  private linkTargets(page: SimPage): PageTarget[] {
    const space = this.site.space(page.spaceId);
    if (!space) return [];
    // A handful of neighbours is enough for links; scanning the whole space per body would be quadratic.
    const neighbours = [...this.site.children(page.id), ...(page.parentId ? [this.site.page(page.parentId)!] : [])];
    return neighbours
      .filter((p) => p.type === 'page')
      .map((p) => ({ id: p.id, title: p.title, type: p.type, createdAt: p.createdAt, spaceKey: space.key }));
  }

  private macroId(page: SimPage, n: number): string {
    const rng = Rng.derive(this.seed, `macro:${page.id}:${page.version.number}:${n}`);
    return `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`;
  }
}
