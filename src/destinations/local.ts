// The local uploader: the same layout as unstructured-ingest's, `<output-dir>/<space-key>/<page-id>.html.json`.
import path from 'node:path';
import type { Element } from '../steps/partition/elements';
import { writeFileAtomic } from '../core/atomicWrite';

export function pageOutputPath(outputDir: string, spaceKey: string, pageId: string): string {
  return path.join(outputDir, spaceKey, `${pageId}.html.json`);
}

/** Returns the text written. */
export async function writeElements(file: string, elements: Element[]): Promise<string> {
  const text = JSON.stringify(elements, null, 2);
  await writeFileAtomic(file, text);
  return text;
}
