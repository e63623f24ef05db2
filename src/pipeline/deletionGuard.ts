// --max-delete: how much of a space one run's --delete-missing may remove. When the site hides pages from the ingest
// account (a lost group, a moved space) they look exactly like deleted ones, and deleting their outputs cannot be
// undone; a share past the limit stops the run instead, and a user who did delete them says so with a higher limit.
import { ApplicationFailure } from '@temporalio/common';
import { FAILURE, failureOf } from '../core/failures';

/**
 * The most of `recorded` pages that may be deleted at once: the share, rounded down, but one page at least unless the
 * limit is 0 (a single deleted page is no mass deletion, and a small space must be able to lose one).
 */
export function deletableOf(recorded: number, maxDeletePercent: number): number {
  const share = Math.floor((recorded * maxDeletePercent) / 100);
  return maxDeletePercent > 0 ? Math.max(1, share) : share;
}

export interface RefusedDeletion {
  spaceKey: string;
  missing: number;
  recorded: number;
  maxDeletePercent: number;
  /** Their outputs, kept, that this run made grant no one. */
  revoked: number;
}

/** The run-stopping failure that names what would have gone, what was done instead, and the two ways on. */
export function massDeletionFailure(refused: RefusedDeletion): ApplicationFailure {
  const { spaceKey, missing, recorded, maxDeletePercent, revoked } = refused;
  const share = recorded > 0 ? Math.round((missing / recorded) * 1000) / 10 : 100;
  return ApplicationFailure.create(
    failureOf(
      FAILURE.MassDeletion,
      `--delete-missing would remove ${missing} of the ${recorded} recorded pages of space ${spaceKey} (${share}%), ` +
        `more than --max-delete ${maxDeletePercent}% allows; nothing was deleted, and their outputs now grant no one ` +
        `(${revoked} revoked by this run). If the ingest account lost access, restore it; if the pages were deleted ` +
        'on purpose, run again with --max-delete 100%',
    ),
  );
}
