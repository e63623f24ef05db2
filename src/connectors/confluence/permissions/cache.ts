// A bounded, expiring memo of async lookups: concurrent callers of one key share one request, failures are not
// remembered (the next caller asks again), and the least recently used entry goes first when the bound is reached.
// A settled entry keeps only its value: a promise made inside an activity holds on to that activity's async context,
// and thousands of them kept a worker's heap growing by kilobytes per page.

export interface BoundedCacheOptions {
  maxEntries: number;
  /** Entries older than this are fetched again, so a long-lived worker does not serve permissions from an old run. */
  maxAgeMs: number;
  now?: () => number;
}

interface Entry<V> {
  /** The lookup while it is in flight. */
  pending?: Promise<V>;
  value?: V;
  at: number;
}

export class BoundedCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly now: () => number;

  constructor(private readonly options: BoundedCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new Error(`BoundedCache: maxEntries must be a positive integer, got ${options.maxEntries}`);
    }
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** True when a fresh entry exists (settled or in flight). */
  has(key: K): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && !this.expired(entry);
  }

  get(key: K, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && !this.expired(entry)) {
      // Re-insert: Map iteration order is insertion order, so the first key is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.pending ?? Promise.resolve(entry.value as V);
    }
    return this.keep(key, load());
  }

  /** The key's value is this lookup's from now on, whatever was known before (a fresher read of the same thing). */
  set(key: K, pending: Promise<V>): void {
    this.entries.delete(key);
    void this.keep(key, pending);
  }

  private keep(key: K, pending: Promise<V>): Promise<V> {
    const fresh: Entry<V> = { pending, at: this.now() };
    this.entries.set(key, fresh);
    pending.then(
      (value) => {
        fresh.value = value;
        fresh.pending = undefined;
      },
      () => {
        if (this.entries.get(key) === fresh) this.entries.delete(key);
      },
    );
    this.evict();
    return pending;
  }

  private expired(entry: Entry<V>): boolean {
    return this.now() - entry.at >= this.options.maxAgeMs;
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) return;
      this.entries.delete(key);
    }
  }
}
