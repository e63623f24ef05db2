// The upload step: the page's elements land atomically at the path unstructured-ingest would use, then the checkpoint
// records the page (id, version, outputs, digest) so re-runs skip it while it is unchanged.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { PageRef } from '../confluence/types';
import { pageOutputPath, writeElements } from '../destinations/local';
import type { CheckpointStores } from './checkpoint';
import { readElements } from './elementFiles';

export interface UploadPageInput {
  elementsPath: string;
  ref: PageRef;
  outputDir: string;
  siteUrl: string;
  /** Outputs written for the page before it (its extracted files), recorded with it. */
  otherOutputPaths: string[];
  runId: string;
}

async function digestOf(paths: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of paths) hash.update(await readFile(file));
  return hash.digest('hex');
}

export function uploadActivities(store: CheckpointStores) {
  return {
    async uploadPage({ elementsPath, ref, outputDir, siteUrl, otherOutputPaths, runId }: UploadPageInput): Promise<{ outputPath: string }> {
      const outputPath = pageOutputPath(outputDir, ref.spaceKey, ref.id);
      await writeElements(outputPath, await readElements(elementsPath));
      const outputPaths = [outputPath, ...otherOutputPaths];
      const digest = await digestOf(outputPaths);
      store(outputDir).commit({ site: siteUrl, id: ref.id, version: ref.version, spaceKey: ref.spaceKey, title: ref.title, outputPaths, digest, runId });
      return { outputPath };
    },
  };
}
