// The sliding window: at most maxInFlight page workflows run at once; a slot frees as soon as one ends. A page that
// fails for a reason no other page can escape (credentials rejected, disk full) stops the window: no page starts after
// it. Those under way are left to end on their own rather than cancelled: they meet the same failure at their next
// request or write, without retrying it, and one cancelled after its upload would be written but not counted.
import { condition, executeChild, patched } from '@temporalio/workflow';
import type { IngestInput } from '../config';
import type { PageRef } from '../../connectors/confluence/client/types';
import { pageWorkflowId } from '../../core/ids';
import { destinationKey } from '../../destinations/identity';
import { confluencePageWorkflow, type PageResult } from './page';
import type { SkippedItem, Tally } from '../progress';
import { type RunStop, runStopIn, runStoppedFailure } from '../runStops';

const CHILD_IDS_BY_DESTINATION = 'child-ids-by-destination';

export class PageWindow {
  private running = 0;
  /** Ids of the pages whose workflows run now. */
  private readonly inFlight = new Set<string>();
  /** Why no page can succeed any more, once a page has found out. */
  private stop?: RunStop;

  constructor(
    private readonly input: IngestInput,
    private readonly tally: Tally,
  ) {}

  /** Waits for a free slot, then starts the page's child workflow without waiting for it to end. */
  async start(ref: PageRef): Promise<void> {
    await condition(() => this.running < this.input.maxInFlight || this.stop !== undefined);
    await this.throwIfStopped();
    this.running++;
    this.inFlight.add(ref.id);
    this.tally.state.inFlight = this.running;
    executeChild(confluencePageWorkflow, {
      workflowId: this.childId(ref),
      args: [{ job: this.input, ref }],
      // A stuck page fails, named, instead of holding its slot (and the final drain) forever.
      workflowExecutionTimeout: `${this.input.pageTimeoutSeconds} seconds`,
    })
      .then(
        (result) => {
          if (result.skippedReason) this.tally.skipped([ref]);
          else this.tally.succeeded(ref);
          this.tally.permissionsSource(ref, result.spacePermissionsSource);
          this.tally.readsAlone(result.readsAlone);
          this.tally.skippedItemsOf(skippedItemsOf(ref, result));
        },
        (err: unknown) => this.failed(ref, err),
      )
      .finally(() => {
        this.running--;
        this.inFlight.delete(ref.id);
        this.tally.state.inFlight = this.running;
      });
  }

  /**
   * Keyed on the destination, as the ingest's own id is; runs that began keyed on the output dir keep those ids (the
   * two agree for a local destination).
   */
  private childId(ref: PageRef): string {
    const { site, outputDir, destination } = this.input;
    const key = patched(CHILD_IDS_BY_DESTINATION) ? destinationKey(outputDir, destination) : outputDir;
    return pageWorkflowId(site.url, key, ref.id, ref.version);
  }

  isRunning(ref: PageRef): boolean {
    return this.inFlight.has(ref.id);
  }

  /** Resolves once every started page workflow has ended; throws the run's stop if a page found one. */
  async drain(): Promise<void> {
    await this.settle();
    await this.throwIfStopped();
  }

  /** Resolves once every started page workflow has ended, however they ended. */
  async settle(): Promise<void> {
    await condition(() => this.running === 0);
  }

  /**
   * A page that met a run-stopping failure has not failed on its own account: it is left for the re-run, and the stop
   * is reported once, for the run.
   */
  private failed(ref: PageRef, err: unknown): void {
    const stop = runStopIn(err);
    if (stop) this.stop ??= stop;
    else this.tally.failedPage(ref, rootCause(err));
  }

  /** Once stopped, waits for the pages under way to end (nothing writes after the report), then fails the run. */
  private async throwIfStopped(): Promise<void> {
    if (!this.stop) return;
    await this.settle();
    throw runStoppedFailure(this.stop, this.tally.state.done);
  }
}

function skippedItemsOf(ref: PageRef, result: PageResult): SkippedItem[] {
  const pageId = ref.id;
  const page = result.skippedReason ? [{ pageId, name: ref.title, reason: result.skippedReason }] : [];
  const leftOut = [
    ...(result.bodyLeftOut ?? []),
    ...(result.imagesLeftOut ?? []),
    ...(result.files?.skipped ?? []),
    ...(result.files?.leftOut ?? []),
  ];
  return [...page, ...leftOut.map(({ name, reason }) => ({ pageId, name, reason }))];
}

/** The innermost failure message: the activity's own words, not "Child Workflow execution failed". */
export function rootCause(err: unknown): string {
  let current = err as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? String(err);
}
