// CQL search is eventually consistent: Confluence indexes an edit (or a new page) a while after it is made, and until
// then search serves the page as it was last indexed (or not at all). With a lag of 0 search sees every change at once.
import type { SimNode } from './model';

interface Unindexed {
  /** The page as search still shows it; undefined for a page search does not know yet. */
  indexed: SimNode | undefined;
  /** When search catches up. */
  until: number;
}

export class SearchIndex {
  private readonly unindexed = new Map<string, Unindexed>();
  private caughtUp = 0;

  constructor(
    private readonly lagMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Call before a page changes (or right after a new one is added): search keeps its last indexed state for lagMs. */
  changing(page: SimNode, isNew: boolean): void {
    if (this.lagMs <= 0) return;
    const pending = this.unindexed.get(page.id);
    const indexed = pending && pending.until > this.now() ? pending.indexed : isNew ? undefined : snapshot(page);
    this.unindexed.set(page.id, { indexed, until: this.now() + this.lagMs });
  }

  forget(pageId: string): void {
    this.unindexed.delete(pageId);
  }

  /** The page as search shows it now; undefined while a new page is not indexed yet. */
  view<T extends SimNode>(page: T): T | undefined {
    const pending = this.unindexed.get(page.id);
    return pending && pending.until > this.now() ? (pending.indexed as T | undefined) : page;
  }

  /** Changes whenever search catches up with an edit, so that remembered search results are computed again. */
  generation(): number {
    for (const [id, pending] of this.unindexed) {
      if (pending.until > this.now()) continue;
      this.unindexed.delete(id);
      this.caughtUp++;
    }
    return this.caughtUp;
  }
}

/** What an edit replaces: version and title (restrictions and attachments are not versioned here). */
function snapshot(page: SimNode): SimNode {
  return { ...page, version: { ...page.version } };
}
