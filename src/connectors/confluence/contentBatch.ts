// The pages a worker downloads at once ask for their bodies and permission facts within moments of each other: those
// asks are coalesced (DataLoader) into one CQL search per batch, and each caller still asks for, and gets, one page.
// Nothing is kept for other steps or hosts: a page the batch does not answer for is read alone by its own step.
import DataLoader from 'dataloader';
import type { ConfluenceClient } from './client/clientTypes';
import { ConfluenceError } from './client/errors';
import { isStatus500, ResponseTooLarge } from './client/http';
import { exportViewsPerSearch } from './client/exportView';
import type { BatchedContent, BatchedPage, ExportView, PermissionFacts } from './client/types';
import { BoundedCache } from './permissions/cache';

export interface BatchPolicy {
  /** A batch goes out when this many pages wait... */
  maxPages: number;
  /** ...or when its first ask has waited this long... */
  maxWaitMs: number;
  /**
   * ...or when no other ask has joined it for this long (the wave of pages that asked together has all asked), no other
   * batch is being read, and it holds at least quietPages pages or is the first batch in maxWaitMs (a run of one page).
   */
  quietMs: number;
  quietPages: number;
  /** A larger answer is split in two, down to single pages, which are then read alone. */
  maxBytes: number;
}

/**
 * 50 pages: Confluence's cap on a CQL search that expands bodies (Data Center hard-codes it; Cloud caps
 * export_view/styled_view lower, at 25, which the batches of export views keep). The wait: page workflows reach their
 * download step in waves, and 700 ms gathers most of a wave into one request (in the 1,000-page bench at 300 ms a
 * request: 400 ms gave 0.11 requests per page, 700 ms 0.08 and no fewer pages/s, 1,000 ms 0.05 but slower;
 * BENCHMARKS.md).
 */
export const BATCH_POLICY: BatchPolicy = {
  maxPages: 50,
  maxWaitMs: 700,
  quietMs: 60,
  quietPages: 10,
  maxBytes: 16 * 1024 * 1024,
};

/**
 * Facts that arrived with a batch serve the resolver's asks for the same page a little later (its restrictions after
 * its ancestors).
 */
const FACTS_MEMO = { maxEntries: 5_000, maxAgeMs: 60_000 };

export class ContentBatcher {
  /** Bodies with their facts, for the pages being downloaded (absent: bodies are read page by page). */
  private readonly withBodies?: CoalescedReads<BatchedContent>;
  /** Facts alone, for pages whose facts are asked for without their body (ancestors, or bodies not batched). */
  private readonly factsOnly: CoalescedReads<BatchedContent>;
  /** export_view, for the pages whose body.view lacks what a browser builds later (absent: read page by page). */
  private readonly exportViews?: CoalescedReads<ExportView>;
  private readonly known = new BoundedCache<string, PermissionFacts>(FACTS_MEMO);

  constructor(client: ConfluenceClient, bodies: boolean, policy: BatchPolicy = BATCH_POLICY) {
    const content = (withBodies: boolean) => (ids: string[], maxBytes: number) =>
      client.getContentBatch(ids, { bodies: withBodies, maxBytes });
    this.withBodies = bodies ? new CoalescedReads(content(true), policy) : undefined;
    this.factsOnly = new CoalescedReads(content(false), policy);
    const exportPolicy = { ...policy, maxPages: Math.min(policy.maxPages, exportViewsPerSearch(client.cloud)) };
    this.exportViews = bodies
      ? new CoalescedReads((ids, maxBytes) => client.getExportViews(ids, maxBytes), exportPolicy)
      : undefined;
  }

  /** The page's export_view; undefined when bodies are not batched or the batch did not return it (read it alone). */
  exportView(id: string): Promise<ExportView | undefined> {
    return this.exportViews?.load(id) ?? Promise.resolve(undefined);
  }

  /**
   * The page's body and ref, or undefined when bodies are not batched or the batch did not return the page (read it
   * alone).
   */
  async page(id: string): Promise<BatchedPage | undefined> {
    if (!this.withBodies) return undefined;
    const answer = this.withBodies.load(id);
    // The page's permission facts come in the same answer: the resolver's ask for them joins this read.
    void this.known.get(id, async () => (await answer)?.facts ?? {});
    return (await answer)?.page;
  }

  /** Ancestors and restrictions of a page; empty where the batch did not answer (the caller reads those alone). */
  facts(id: string): Promise<PermissionFacts> {
    return this.known.get(id, async () => (await this.factsOnly.load(id))?.facts ?? {});
  }
}

/** A read of several pages at once; what it does not answer for is absent. */
type BatchRead<T> = (ids: string[], maxBytes: number) => Promise<Map<string, T>>;

/** One kind of batched read (bodies with facts, facts alone, export views), coalesced by DataLoader. */
class CoalescedReads<T> {
  private readonly loader: DataLoader<string, T | undefined>;
  private readonly clock: BatchClock;

  constructor(
    private readonly readBatch: BatchRead<T>,
    private readonly policy: BatchPolicy,
  ) {
    this.clock = new BatchClock(policy);
    this.loader = new DataLoader(
      async (ids) => {
        const found = await this.clock.timed(this.read([...new Set(ids)]));
        return ids.map((id) => found.get(id));
      },
      { cache: false, maxBatchSize: policy.maxPages, batchScheduleFn: this.clock.schedule },
    );
  }

  load(id: string): Promise<T | undefined> {
    const answer = this.loader.load(id);
    this.clock.added();
    return answer;
  }

  /**
   * One search for the batch. A 500 or an answer over the size cap (very large expanded answers make Confluence fail)
   * halves the batch and tries again, down to single pages, which are then read alone. Any other failure (after the
   * client's own retries of 502/503/504 and dropped connections) sends the batch's pages to be read alone, except a
   * rate limit, which the callers' activities wait out as the site asks.
   */
  private async read(ids: string[]): Promise<Map<string, T>> {
    try {
      return await this.readBatch(ids, this.policy.maxBytes);
    } catch (err) {
      if (err instanceof ConfluenceError && err.kind === 'rate-limit') throw err;
      if (!tooBig(err) || ids.length === 1) return new Map();
      const half = Math.ceil(ids.length / 2);
      const parts = await Promise.all([this.read(ids.slice(0, half)), this.read(ids.slice(half))]);
      return new Map(parts.flatMap((part) => [...part]));
    }
  }
}

/** Over our size cap, or a 500: Confluence's way of failing an expanded answer too large to build. */
function tooBig(err: unknown): boolean {
  return err instanceof ResponseTooLarge || isStatus500(err);
}

/**
 * DataLoader's schedule: a batch goes out when it is full, when its first ask has waited maxWaitMs, or when it is quiet
 * (see BatchPolicy.quietMs). Waiting out the whole window when nothing more comes left the worker's CPU idle between
 * waves (and a one-page run waited 700 ms for nothing); going out at every lull would split the waves of a busy worker
 * into many small requests.
 */
class BatchClock {
  private pending?: { run: () => void; deadline: number; timer: NodeJS.Timeout; size: number; quiet: boolean };
  private reading = 0;
  private lastSent = 0;

  constructor(private readonly policy: BatchPolicy) {}

  readonly schedule = (run: () => void): void => {
    const deadline = Date.now() + this.policy.maxWaitMs;
    this.pending = { run, deadline, timer: this.quietIn(deadline), size: 0, quiet: false };
  };

  added(): void {
    const pending = this.pending;
    if (!pending) return;
    clearTimeout(pending.timer);
    pending.quiet = false;
    if (++pending.size >= this.policy.maxPages) this.fire();
    else pending.timer = this.quietIn(pending.deadline);
  }

  /** A batch's read: while one is on its way, a quiet batch waits for its end (or its own deadline). */
  async timed<T>(read: Promise<T>): Promise<T> {
    this.reading++;
    try {
      return await read;
    } finally {
      this.reading--;
      if (this.reading === 0 && this.pending?.quiet) this.fire();
    }
  }

  /** The timer of a batch that must go by `deadline`: at its deadline, or at the lull before it. */
  private quietIn(deadline: number): NodeJS.Timeout {
    const untilDeadline = deadline - Date.now();
    if (untilDeadline <= this.policy.quietMs) return setTimeout(() => this.fire(), Math.max(0, untilDeadline));
    return setTimeout(() => this.becameQuiet(), this.policy.quietMs);
  }

  private becameQuiet(): void {
    const pending = this.pending;
    if (!pending) return;
    const worthSending = pending.size >= this.policy.quietPages || Date.now() - this.lastSent > this.policy.maxWaitMs;
    if (this.reading === 0 && worthSending) {
      this.fire();
      return;
    }
    // Sent when the read on its way ends (if it is worth sending then), else at its deadline.
    pending.quiet = worthSending;
    pending.timer = setTimeout(() => this.fire(), Math.max(0, pending.deadline - Date.now()));
  }

  private fire(): void {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.lastSent = Date.now();
    pending.run();
  }
}

const batchers = new WeakMap<ConfluenceClient, Map<string, ContentBatcher>>();

/** Batchers (a mode of a run) a worker keeps per client; the least recently used goes, and is made again if asked. */
const BATCHERS_KEPT = 32;

/**
 * The worker's batcher for a client (one client per site and identity) in one mode, for one run: the facts it
 * remembers for a minute are that run's, never an earlier run's.
 */
export function contentBatcher(client: ConfluenceClient, bodies: boolean, run = ''): ContentBatcher {
  let kept = batchers.get(client);
  if (!kept) batchers.set(client, (kept = new Map()));
  const key = JSON.stringify([bodies, run]);
  const batcher = kept.get(key) ?? new ContentBatcher(client, bodies);
  kept.delete(key);
  kept.set(key, batcher);
  for (const old of kept.keys()) if (kept.size > BATCHERS_KEPT) kept.delete(old);
  return batcher;
}
