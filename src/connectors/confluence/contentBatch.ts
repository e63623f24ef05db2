// The pages a worker downloads at once ask for their bodies and permission facts within moments of each other: those
// asks are coalesced (DataLoader) into one CQL search per batch, and each caller still asks for, and gets, one page.
// What a batch does not answer for is read alone here, by the step that asked, and counted with why (readsAlone.ts).
// Facts, batched or read alone, serve the worker's later asks for a minute; nothing is kept for other hosts.
import { AsyncResource } from 'node:async_hooks';
import DataLoader from 'dataloader';
import type { ConfluenceClient } from './client/clientTypes';
import { ConfluenceError } from './client/errors';
import { isStatus500, ResponseTooLarge } from './client/http';
import { exportViewsPerSearch } from './client/exportView';
import type {
  AncestorRef,
  BatchedContent,
  BatchedPage,
  ContentRestrictions,
  ContentType,
  ExportView,
  PageRef,
  PermissionFacts,
} from './client/types';
import { BoundedCache } from './permissions/cache';
import { type AloneReads, type AloneReason, batchFailure } from './readsAlone';

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
  quietMs: 30,
  quietPages: 10,
  maxBytes: 16 * 1024 * 1024,
};

/**
 * Facts that arrived with a batch serve the resolver's asks for the same page a little later (its restrictions after
 * its ancestors).
 */
const FACTS_MEMO = { maxEntries: 5_000, maxAgeMs: 60_000 };

/** A page as its listing gave it: the version its batched answer must match or pass. */
type Listed = Pick<PageRef, 'id' | 'version' | 'contentType'>;

/** A page's facts as a batch (or a read alone) gave them, and why those absent are: they are then read alone. */
interface KnownFacts extends PermissionFacts {
  missing?: AloneReason;
}

export class ContentBatcher {
  /** Bodies with their facts, for the pages being downloaded. */
  private readonly withBodies: CoalescedReads<BatchedContent>;
  /** Facts alone, for pages whose facts are asked for without their body (ancestors, or bodies not batched). */
  private readonly factsOnly: CoalescedReads<BatchedContent>;
  /** export_view, for the pages whose body.view lacks what a browser builds later. */
  private readonly exportViews: CoalescedReads<ExportView>;
  private readonly known = new BoundedCache<string, KnownFacts>(FACTS_MEMO);
  /** Facts read alone, kept as long: a page left out of its batch is read alone once, whoever asks next. */
  private readonly alone = {
    both: new BoundedCache<string, Required<PermissionFacts>>(FACTS_MEMO),
    ancestors: new BoundedCache<string, AncestorRef[]>(FACTS_MEMO),
    restrictions: new BoundedCache<string, ContentRestrictions>(FACTS_MEMO),
  };

  constructor(
    private readonly client: ConfluenceClient,
    policy: BatchPolicy = BATCH_POLICY,
  ) {
    const content = (withBodies: boolean) => (ids: string[], maxBytes: number) =>
      client.getContentBatch(ids, { bodies: withBodies, maxBytes });
    this.withBodies = new CoalescedReads(content(true), policy);
    this.factsOnly = new CoalescedReads(content(false), policy);
    const exportPolicy = { ...policy, maxPages: Math.min(policy.maxPages, exportViewsPerSearch(client.cloud)) };
    this.exportViews = new CoalescedReads((ids, maxBytes) => client.getExportViews(ids, maxBytes), exportPolicy);
  }

  /** The page's export_view from its batch; undefined when the batch did not return it at `ref`'s version or later. */
  async exportView(ref: Listed, log?: AloneReads): Promise<ExportView | undefined> {
    const answer = await this.exportViews.load(ref.id);
    if ('value' in answer && answer.value.version >= ref.version) return answer.value;
    log?.add('value' in answer ? 'older-version' : answer.missing, 'export-view');
    return undefined;
  }

  /**
   * The page's body and ref: from its batch when that returned it at the listed version or later, else read alone. Its
   * facts are those of the read that gave the body (the resolver's asks, made at the same time, wait for it): an
   * answer older than the listing says nothing of the page that can be trusted.
   */
  page(ref: Listed, log?: AloneReads): Promise<BatchedPage> {
    const read = this.pageRead(ref, log);
    this.known.set(
      ref.id,
      read.then((r) => r.facts),
    );
    return read.then((r) => r.page);
  }

  /** The page's ancestors, root first: from its batch, else read alone. */
  async ancestors(id: string, type?: ContentType, log?: AloneReads): Promise<AncestorRef[]> {
    const known = await this.facts(id);
    if (known.ancestors) return known.ancestors;
    const why = known.missing ?? 'not-expanded';
    if (this.client.getFacts) return (await this.factsAlone(id, why, log)).ancestors;
    return this.alone.ancestors.get(id, () => {
      log?.add(why, 'ancestors');
      return this.client.getAncestors(id, type);
    });
  }

  /** The page's own restrictions: from its batch, else read alone. */
  async restrictions(id: string, log?: AloneReads): Promise<ContentRestrictions> {
    const known = await this.facts(id);
    if (known.restrictions) return known.restrictions;
    const why = known.missing ?? 'restrictions-past-expansion';
    if (this.client.getFacts) return (await this.factsAlone(id, why, log)).restrictions;
    return this.alone.restrictions.get(id, () => {
      log?.add(why, 'restrictions');
      return this.client.getRestrictions(id);
    });
  }

  private facts(id: string): Promise<KnownFacts> {
    return this.known.get(id, async () => knownFacts(await this.factsOnly.load(id)));
  }

  private async pageRead(ref: Listed, log?: AloneReads): Promise<{ page: BatchedPage; facts: KnownFacts }> {
    const answer = await this.withBodies.load(ref.id);
    const page = 'value' in answer ? answer.value.page : undefined;
    if (page && page.ref.version >= ref.version) return { page, facts: knownFacts(answer) };
    const why = 'value' in answer ? (page ? 'older-version' : 'not-expanded') : answer.missing;
    const { client } = this;
    if (client.getPageWithFacts) {
      log?.add(why, 'page');
      const { ref: fresh, html, facts } = await client.getPageWithFacts(ref.id);
      return { page: { ref: fresh, html }, facts };
    }
    log?.add(why, 'body');
    const { ref: fresh, html } = await client.getPage(ref.id, ref.contentType);
    return { page: { ref: fresh, html }, facts: { missing: why } };
  }

  /** Data Center reads a page's ancestors and restrictions alone in one request; both are kept. */
  private factsAlone(id: string, why: AloneReason, log?: AloneReads): Promise<Required<PermissionFacts>> {
    return this.alone.both.get(id, () => {
      log?.add(why, 'facts');
      return this.client.getFacts!(id);
    });
  }
}

function knownFacts(answer: Answer<BatchedContent>): KnownFacts {
  return 'value' in answer ? answer.value.facts : { missing: answer.missing };
}

/** A read of several pages at once; what it does not answer for is absent. */
type BatchRead<T> = (ids: string[], maxBytes: number) => Promise<Map<string, T>>;

/** What a batch said of one page: its value, or why it said nothing. */
type Answer<T> = { value: T } | { missing: AloneReason };

/** One kind of batched read (bodies with facts, facts alone, export views), coalesced by DataLoader. */
class CoalescedReads<T> {
  private readonly loader: DataLoader<string, Answer<T>>;
  private readonly clock: BatchClock;

  constructor(
    private readonly readBatch: BatchRead<T>,
    private readonly policy: BatchPolicy,
  ) {
    this.clock = new BatchClock(policy);
    this.loader = new DataLoader(
      async (ids) => {
        const answers = await this.clock.timed(this.read([...new Set(ids)]));
        return ids.map((id) => answers.get(id) as Answer<T>);
      },
      { cache: false, maxBatchSize: policy.maxPages, batchScheduleFn: this.clock.schedule },
    );
  }

  load(id: string): Promise<Answer<T>> {
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
  private async read(ids: string[]): Promise<Map<string, Answer<T>>> {
    try {
      return answers(ids, await this.readBatch(ids, this.policy.maxBytes), 'not-in-answer');
    } catch (err) {
      if (err instanceof ConfluenceError && err.kind === 'rate-limit') throw err;
      if (!tooBig(err)) return answers(ids, new Map(), batchFailure(err));
      if (ids.length === 1) return answers(ids, new Map(), 'too-large');
      const half = Math.ceil(ids.length / 2);
      const parts = await Promise.all([this.read(ids.slice(0, half)), this.read(ids.slice(half))]);
      return new Map(parts.flatMap((part) => [...part]));
    }
  }
}

function answers<T>(ids: string[], found: Map<string, T>, why: AloneReason): Map<string, Answer<T>> {
  return new Map(
    ids.map((id): [string, Answer<T>] => {
      const value = found.get(id);
      return [id, value === undefined ? { missing: why } : { value }];
    }),
  );
}

/** Over our size cap, or a 500: Confluence's way of failing an expanded answer too large to build. */
function tooBig(err: unknown): boolean {
  return err instanceof ResponseTooLarge || isStatus500(err);
}

/**
 * Where batches are read: outside the activity of whichever page's ask sent the batch out, so that page's cancellation
 * (a timeout, a cancelled workflow) cannot abort the read the batch's other pages wait for (each would then be read
 * alone). Made when the module loads, outside any activity.
 */
const DETACHED = new AsyncResource('ContentBatch');

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
    DETACHED.runInAsyncScope(pending.run);
  }
}

const batchers = new WeakMap<ConfluenceClient, Map<string, ContentBatcher>>();

/** Batchers (one per run) a worker keeps per client; the least recently used goes, and is made again if asked. */
const BATCHERS_KEPT = 32;

/**
 * The worker's batcher for a client (one client per site and identity), for one run: the facts it remembers for a
 * minute are that run's, never an earlier run's.
 */
export function contentBatcher(client: ConfluenceClient, run = ''): ContentBatcher {
  let kept = batchers.get(client);
  if (!kept) batchers.set(client, (kept = new Map()));
  const batcher = kept.get(run) ?? new ContentBatcher(client);
  kept.delete(run);
  kept.set(run, batcher);
  for (const old of kept.keys()) if (kept.size > BATCHERS_KEPT) kept.delete(old);
  return batcher;
}
