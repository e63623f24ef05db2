// The checkpoint's verdicts: which listed pages are new or changed, and which recorded pages are gone from the source
// (removed with their outputs under --delete-missing). The upload step records each page as it lands (upload.ts).
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { CheckpointError, type CheckpointStore, defaultCheckpointPath, openCheckpoint } from '../../checkpoint';
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

/**
 * One open store per output dir for the worker's life: the SQLite file beside the output (one host), or, with
 * `checkpointUrl`, the PostgreSQL database every worker shares, each output dir a scope of its own.
 */
export function checkpointStores(checkpointUrl?: string): CheckpointStores {
  const stores = new Map<string, CheckpointStore>();
  return (outputDir) => {
    let s = stores.get(outputDir);
    if (!s) {
      s = checkpointUrl ? openCheckpoint(checkpointUrl, { scope: path.resolve(outputDir) }) : openCheckpoint(defaultCheckpointPath(outputDir));
      stores.set(outputDir, s);
    }
    return s;
  };
}

/** A checkpoint mistake a retry cannot fix (wrong password, a pruned run) stops at once; a server restarting is retried. */
export async function checkpointed<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof CheckpointError && !err.transient)
      throw ApplicationFailure.create({ message: err.message, type: 'CheckpointError', nonRetryable: true });
    throw err;
  }
}

export function checkpointActivities(store: CheckpointStores, uploader: Uploaders) {
  return {
    classifyPages: ({ outputDir, siteUrl, generation, refs }: ClassifyInput): Promise<{ newOrChanged: string[] }> =>
      checkpointed(async () => {
        const s = store(outputDir);
        await s.markSeen(
          siteUrl,
          generation,
          refs.map((r) => r.id),
        );
        return { newOrChanged: (await s.classify(siteUrl, refs)).newOrChanged };
      }),
    findMissing: ({ outputDir, siteUrl, spaceKey, generation, deleteMissing }: MissingInput): Promise<MissingResult> =>
      checkpointed(async () => {
        const s = store(outputDir);
        const missing = await s.missing(siteUrl, spaceKey, generation);
        // Outputs first, then rows: a crash in between leaves rows whose files are gone, and the next run removes both.
        if (deleteMissing && missing.length > 0) {
          await uploader(outputDir).remove(missing.flatMap((m) => m.outputPaths));
          await s.remove(
            siteUrl,
            missing.map((m) => m.id),
          );
        }
        const pages = missing.slice(0, MISSING_LIST_LIMIT).map(({ id, title }) => ({ id, title, spaceKey }));
        return { count: missing.length, pages, deleted: deleteMissing };
      }),
  };
}
