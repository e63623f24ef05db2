// The upload step: the local destination; the elements land atomically at the path unstructured-ingest would use.
import type { PageRef } from '../confluence/types';
import { pageOutputPath, writeElements } from '../destinations/local';
import { readElements } from './elementFiles';

export interface UploadPageInput {
  elementsPath: string;
  ref: PageRef;
  outputDir: string;
}

export const uploadActivities = {
  async uploadPage({ elementsPath, ref, outputDir }: UploadPageInput): Promise<{ outputPath: string }> {
    const outputPath = pageOutputPath(outputDir, ref.spaceKey, ref.id);
    await writeElements(outputPath, await readElements(elementsPath));
    return { outputPath };
  },
};
