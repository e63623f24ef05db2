// Requests that read a page's body, ancestors, restrictions or export view on their own instead of from the page's
// batch, counted by why and by what they read: the run report sums them, so a user who sees many requests per page
// can tell which pages left their batches and for what.
import { ConfluenceError } from './client/errors';

/**
 * Why a read left its batch: the batch's search did not return the page (not indexed yet, archived, not visible); it
 * returned it at an older version than listed (search lags an edit, and all it says of the page is stale); the page's
 * answer was too large even alone; a restriction list filled the expansion's page (more may follow); the answer
 * lacked an expansion asked for; the batch's search failed (`batch-failed-503`, `-network`, `-cancelled`...).
 */
export type AloneReason =
  | 'not-in-answer'
  | 'older-version'
  | 'too-large'
  | 'restrictions-past-expansion'
  | 'not-expanded'
  | `batch-failed-${string}`;

/**
 * What one request alone read: `page` and `facts` are Data Center's single reads of a page's body with its ancestors
 * and restrictions, and of those two alone; Cloud reads each of them from an endpoint of its own.
 */
export type AloneRead = 'page' | 'facts' | 'body' | 'ancestors' | 'restrictions' | 'export-view';

/** Requests read alone, by reason, then by what they read. */
export type ReadsAlone = Partial<Record<AloneReason, Partial<Record<AloneRead, number>>>>;

/** The reads alone made for one step (a page's download, a permission check). */
export class AloneReads {
  readonly counts: ReadsAlone = {};

  add(reason: AloneReason, what: AloneRead): void {
    const byWhat = (this.counts[reason] ??= {});
    byWhat[what] = (byWhat[what] ?? 0) + 1;
  }

  /** The counts, or undefined when every read came from a batch (activity results stay small). */
  get reported(): ReadsAlone | undefined {
    return Object.keys(this.counts).length > 0 ? this.counts : undefined;
  }
}

/** Why a whole batch failed, from its error: the status when the site answered, else the kind of failure. */
export function batchFailure(err: unknown): AloneReason {
  if (err instanceof ConfluenceError) return `batch-failed-${err.status ?? err.kind}`;
  const name = err instanceof Error ? err.name : '';
  return `batch-failed-${/Cancel|Abort/.test(name) ? 'cancelled' : 'error'}`;
}
