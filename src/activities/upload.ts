// The upload step: the local destination; the elements land atomically at the path unstructured-ingest would use.
import { readFile } from 'node:fs/promises';
import type { PageRef } from '../confluence/types';
import type { Element } from '../partition/elements';
import { pageOutputPath, writeElements } from '../destinations/local';

export interface UploadPageInput {
  elementsPath: string;
  ref: PageRef;
  outputDir: string;
}

export const uploadActivities = {
  async uploadPage({ elementsPath, ref, outputDir }: UploadPageInput): Promise<{ outputPath: string }> {
    const elements = JSON.parse(await readFile(elementsPath, 'utf8')) as Element[];
    const outputPath = pageOutputPath(outputDir, ref.spaceKey, ref.id);
    await writeElements(outputPath, elements);
    return { outputPath };
  },
};
