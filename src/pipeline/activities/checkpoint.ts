// The checkpoint's verdicts: which listed pages are new or changed, and which recorded pages are gone from the source
// (removed with their outputs under --delete-missing). The upload step records each page as it lands (upload.ts).
import type { MissingPage } from '../../core/missing';
import { type DestinationRef, type Destinations, storing } from './destinations';
import { revoke } from './permissions';
import type { SpaceCount } from '../../checkpoint/records';
import type { CheckpointStore } from '../../checkpoint/store';
import { JOB_DEFAULTS } from '../config';
import { deletableOf, massDeletionFailure, type RefusedDeletion } from '../deletionGuard';

export interface ClassifyInput extends DestinationRef {
  siteUrl: string;
  /** One full enumeration of the selection (the first run id of the ingest). */
  generation: string;
  refs: Array<{ id: string; version: number }>;
}

export interface MissingInput extends DestinationRef {
  siteUrl: string;
  spaceKey: string;
  generation: string;
  deleteMissing: boolean;
  /** Absent in runs started before --max-delete: they get its default. */
  maxDeletePercent?: number;
}

export interface MissingResult {
  count: number;
  /** The first MISSING_LIST_LIMIT of them. */
  pages: MissingPage[];
  deleted: boolean;
  /** Kept (no --delete-missing), their outputs now granting no one; counts only those revoked by this run. */
  revoked?: number;
}

/** Pages no longer in the source; at most this many are named in a result, the rest are counted. */
const MISSING_LIST_LIMIT = 1000;

/** What --max-delete refuses: more missing pages than its share of the space's recorded ones. */
async function tooManyToDelete(
  checkpoint: CheckpointStore,
  { siteUrl, spaceKey, maxDeletePercent = JOB_DEFAULTS.maxDeletePercent }: MissingInput,
  missing: number,
): Promise<Omit<RefusedDeletion, 'revoked'> | undefined> {
  if (missing === 0) return undefined;
  const recorded = (await checkpoint.spaces(siteUrl)).find((c) => c.spaceKey === spaceKey)?.pages ?? missing;
  return missing > deletableOf(recorded, maxDeletePercent)
    ? { spaceKey, missing, recorded, maxDeletePercent }
    : undefined;
}

export function checkpointActivities(destinations: Destinations) {
  return {
    classifyPages: ({ siteUrl, generation, refs, ...ref }: ClassifyInput): Promise<{ newOrChanged: string[] }> =>
      storing(async () => {
        const s = destinations(ref).checkpoint;
        await s.markSeen(
          siteUrl,
          generation,
          refs.map((r) => r.id),
        );
        return { newOrChanged: (await s.classify(siteUrl, refs)).newOrChanged };
      }),
    recordedSpaces: ({ siteUrl, ...ref }: DestinationRef & { siteUrl: string }): Promise<SpaceCount[]> =>
      storing(() => destinations(ref).checkpoint.spaces(siteUrl)),
    findMissing: (input: MissingInput): Promise<MissingResult> =>
      storing(async () => {
        const { siteUrl, spaceKey, generation, deleteMissing } = input;
        const target = destinations(input);
        const { checkpoint: s, uploader } = target;
        const missing = await s.missing(siteUrl, spaceKey, generation);
        const ids = missing.map((m) => m.id);
        const refused = deleteMissing && (await tooManyToDelete(s, input, missing.length));
        // Outputs first, then records: a crash in between leaves records whose outputs are gone, and the next run
        // removes both.
        if (deleteMissing && !refused && missing.length > 0) {
          await uploader.remove(missing.flatMap((m) => m.outputPaths));
          await s.remove(siteUrl, ids);
        }
        let revoked = 0;
        if (!deleteMissing || refused)
          for (const record of await s.records(siteUrl, ids)) revoked += Number(await revoke(target, record));
        if (refused) throw massDeletionFailure({ ...refused, revoked });
        const pages = missing.slice(0, MISSING_LIST_LIMIT).map(({ id, title }) => ({ id, title, spaceKey }));
        return { count: missing.length, pages, deleted: deleteMissing, revoked };
      }),
  };
}
