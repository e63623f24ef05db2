// The checkpoint commit: what has been ingested (id, version, outputs, digest) so re-runs skip unchanged pages.
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { defaultCheckpointPath, openCheckpoint, type CheckpointStore } from '../checkpoint';
import type { PageRef } from '../confluence/types';

export interface ClassifyInput {
  outputDir: string;
  siteUrl: string;
  /** One full enumeration of the selection (the first run id of the ingest). */
  generation: string;
  refs: Array<{ id: string; version: number }>;
}

export interface CommitPageInput {
  outputDir: string;
  siteUrl: string;
  ref: PageRef;
  outputPaths: string[];
  runId: string;
}

export interface MissingInput {
  outputDir: string;
  siteUrl: string;
  spaceKey: string;
  generation: string;
  deleteMissing: boolean;
}

/** Pages no longer in the source; at most this many are named in a result, the rest are counted. */
const MISSING_LIST_LIMIT = 1000;

async function digestOf(paths: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of paths) hash.update(await readFile(file));
  return hash.digest('hex');
}

export function checkpointActivities() {
  const stores = new Map<string, CheckpointStore>();
  const store = (outputDir: string) => {
    let s = stores.get(outputDir);
    if (!s) {
      s = openCheckpoint(defaultCheckpointPath(outputDir));
      stores.set(outputDir, s);
    }
    return s;
  };
  return {
    async classifyPages({ outputDir, siteUrl, generation, refs }: ClassifyInput): Promise<{ newOrChanged: string[] }> {
      const s = store(outputDir);
      s.markSeen(siteUrl, generation, refs.map((r) => r.id));
      return { newOrChanged: s.classify(siteUrl, refs).newOrChanged };
    },
    async commitPage({ outputDir, siteUrl, ref, outputPaths, runId }: CommitPageInput): Promise<void> {
      const digest = await digestOf(outputPaths);
      store(outputDir).commit({ site: siteUrl, id: ref.id, version: ref.version, spaceKey: ref.spaceKey, title: ref.title, outputPaths, digest, runId });
    },
    async findMissing({ outputDir, siteUrl, spaceKey, generation, deleteMissing }: MissingInput) {
      const s = store(outputDir);
      const missing = s.missing(siteUrl, spaceKey, generation);
      if (deleteMissing && missing.length > 0) {
        const removed = s.remove(siteUrl, missing.map((m) => m.id));
        await Promise.all(removed.map((file) => rm(file, { force: true })));
      }
      return {
        count: missing.length,
        pages: missing.slice(0, MISSING_LIST_LIMIT).map(({ id, title }) => ({ id, title, spaceKey })),
        deleted: deleteMissing,
      };
    },
  };
}
