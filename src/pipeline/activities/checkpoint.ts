// The checkpoint's verdicts: which listed pages are new or changed, and which recorded pages are gone from the source
// (removed with their outputs under --delete-missing). The upload step records each page as it lands (upload.ts).
import type { MissingPage } from '../../core/missing';
import { type DestinationRef, type Destinations, storing } from './destinations';
import { revoke } from './permissions';

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
    findMissing: ({ siteUrl, spaceKey, generation, deleteMissing, ...ref }: MissingInput): Promise<MissingResult> =>
      storing(async () => {
        const target = destinations(ref);
        const { checkpoint: s, uploader } = target;
        const missing = await s.missing(siteUrl, spaceKey, generation);
        // Outputs first, then records: a crash in between leaves records whose outputs are gone, and the next run
        // removes both.
        const ids = missing.map((m) => m.id);
        if (deleteMissing && missing.length > 0) {
          await uploader.remove(missing.flatMap((m) => m.outputPaths));
          await s.remove(siteUrl, ids);
        }
        let revoked = 0;
        if (!deleteMissing)
          for (const record of await s.records(siteUrl, ids)) revoked += Number(await revoke(target, record));
        const pages = missing.slice(0, MISSING_LIST_LIMIT).map(({ id, title }) => ({ id, title, spaceKey }));
        return { count: missing.length, pages, deleted: deleteMissing, revoked };
      }),
  };
}
