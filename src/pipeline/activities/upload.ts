// The upload step: the page's elements land atomically at the path unstructured-ingest would use, then the checkpoint
// records the page (id, version, outputs, digest) so re-runs skip it while it is unchanged.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { PageRef } from '../../connectors/confluence/client/types';
import { pageOutputPath, writeElements } from '../../destinations/local';
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

/** sha256 over the page's output (as just written) and then its other outputs, in order. */
async function digestOf(pageText: string, otherPaths: string[]): Promise<string> {
  const hash = createHash('sha256').update(pageText);
  for (const file of otherPaths) hash.update(await readFile(file));
  return hash.digest('hex');
}

export function uploadActivities(store: CheckpointStores) {
  return {
    async uploadPage({ elementsPath, ref, outputDir, siteUrl, otherOutputPaths, runId }: UploadPageInput): Promise<{ outputPath: string }> {
      const outputPath = pageOutputPath(outputDir, ref.spaceKey, ref.id);
      const written = await writeElements(outputPath, await readElements(elementsPath));
      const outputPaths = [outputPath, ...otherOutputPaths];
      const digest = await digestOf(written, otherOutputPaths);
      store(outputDir).commit({ site: siteUrl, id: ref.id, version: ref.version, spaceKey: ref.spaceKey, title: ref.title, outputPaths, digest, runId });
      return { outputPath };
    },
  };
}
