// The checkpoint's verdicts: which listed pages are new or changed, and which recorded pages are gone from the source
// (removed with their outputs under --delete-missing). The upload step records each page as it lands (upload.ts).
import { defaultCheckpointPath, openCheckpoint, type CheckpointStore } from '../../checkpoint';
import type { MissingPage } from '../../core/missing';
import type { Uploader } from '../../destinations/uploader';

export interface ClassifyInput {
  outputDir: string;
  siteUrl: string;
  /** One full enumeration of the selection (the first run id of the ingest). */
  generation: string;
  refs: Array<{ id: string; version: number }>;
}

export interface MissingInput {
  outputDir: string;
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
}

/** Pages no longer in the source; at most this many are named in a result, the rest are counted. */
const MISSING_LIST_LIMIT = 1000;

export type CheckpointStores = (outputDir: string) => CheckpointStore;
export type Uploaders = (outputDir: string) => Uploader;

/** One open store per output dir for the worker's life: SQLite keeps its own file locks and WAL. */
export function checkpointStores(): CheckpointStores {
  const stores = new Map<string, CheckpointStore>();
  return (outputDir) => {
    let s = stores.get(outputDir);
    if (!s) {
      s = openCheckpoint(defaultCheckpointPath(outputDir));
      stores.set(outputDir, s);
    }
    return s;
  };
}

export function checkpointActivities(store: CheckpointStores, uploader: Uploaders) {
  return {
    async classifyPages({ outputDir, siteUrl, generation, refs }: ClassifyInput): Promise<{ newOrChanged: string[] }> {
      const s = store(outputDir);
      await s.markSeen(
        siteUrl,
        generation,
        refs.map((r) => r.id),
      );
      return { newOrChanged: (await s.classify(siteUrl, refs)).newOrChanged };
    },
    async findMissing({ outputDir, siteUrl, spaceKey, generation, deleteMissing }: MissingInput): Promise<MissingResult> {
      const s = store(outputDir);
      const missing = await s.missing(siteUrl, spaceKey, generation);
      if (deleteMissing && missing.length > 0)
        await uploader(outputDir).remove(
          await s.remove(
            siteUrl,
            missing.map((m) => m.id),
          ),
        );
      return {
        count: missing.length,
        pages: missing.slice(0, MISSING_LIST_LIMIT).map(({ id, title }) => ({ id, title, spaceKey })),
        deleted: deleteMissing,
      };
    },
  };
}
