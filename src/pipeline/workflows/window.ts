// The sliding window: at most maxInFlight page workflows run at once; a slot frees as soon as one ends.
import { condition, executeChild } from '@temporalio/workflow';
import type { IngestInput } from '../config';
import type { PageRef } from '../../connectors/confluence/client/types';
import { pageWorkflowId } from '../../core/ids';
import { confluencePageWorkflow, type PageResult } from './page';
import type { SkippedItem, Tally } from '../progress';

export class PageWindow {
  private running = 0;
  /** Ids of the pages whose workflows run now. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly input: IngestInput,
    private readonly tally: Tally,
  ) {}

  /** Waits for a free slot, then starts the page's child workflow without waiting for it to end. */
  async start(ref: PageRef): Promise<void> {
    await condition(() => this.running < this.input.maxInFlight);
    this.running++;
    this.inFlight.add(ref.id);
    this.tally.state.inFlight = this.running;
    const { site, outputDir, pageTimeoutSeconds } = this.input;
    executeChild(confluencePageWorkflow, {
      workflowId: pageWorkflowId(site.url, outputDir, ref.id, ref.version),
      args: [{ job: this.input, ref }],
      // A stuck page fails, named, instead of holding its slot (and the final drain) forever.
      workflowExecutionTimeout: `${pageTimeoutSeconds} seconds`,
    })
      .then(
        (result) => {
          if (result.skippedReason) this.tally.skipped([ref]);
          else this.tally.succeeded(ref);
          this.tally.permissionsSource(ref, result.spacePermissionsSource);
          this.tally.skippedItemsOf(skippedItemsOf(ref, result));
        },
        (err: unknown) => this.tally.failedPage(ref, rootCause(err)),
      )
      .finally(() => {
        this.running--;
        this.inFlight.delete(ref.id);
        this.tally.state.inFlight = this.running;
      });
  }

  isRunning(ref: PageRef): boolean {
    return this.inFlight.has(ref.id);
  }

  /** Resolves once every started page workflow has ended. */
  async drain(): Promise<void> {
    await condition(() => this.running === 0);
  }
}

function skippedItemsOf(ref: PageRef, result: PageResult): SkippedItem[] {
  const pageId = ref.id;
  const page = result.skippedReason ? [{ pageId, name: ref.title, reason: result.skippedReason }] : [];
  const leftOut = [...(result.imagesLeftOut ?? []), ...(result.files?.skipped ?? []), ...(result.files?.leftOut ?? [])];
  return [...page, ...leftOut.map(({ name, reason }) => ({ pageId, name, reason }))];
}

/** The innermost failure message: the activity's own words, not "Child Workflow execution failed". */
export function rootCause(err: unknown): string {
  let current = err as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? String(err);
}
