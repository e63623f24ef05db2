// The local uploader: the same layout as unstructured-ingest's, `<output-dir>/<relative path>.json`, i.e.
// `<space-key>/<page-id>.html.json` for a page and `<space-key>/<page-id>/<file-name>.json` for an extracted file.
// Each file is written atomically (temp file + rename), so a crash never leaves a truncated output.
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { writeFileAtomic } from '../core/atomicWrite';
import { StoreError } from '../core/storeError';
import type { DocumentRecord } from '../core/document';
import type { Element } from '../core/elements';
import { isInside, resolveInside } from '../core/safePath';
import type { RecordPage, StoredDocument, Uploader } from './uploader';

export function outputPathOf(outputDir: string, document: DocumentRecord): string {
  return resolveInside(outputDir, `${document.sourceIdentifiers.relativePath}.json`);
}

export function localUploader(outputDir: string): Uploader {
  const write = async (document: DocumentRecord, elements: Element[]): Promise<StoredDocument> => {
    const location = outputPathOf(outputDir, document);
    const text = JSON.stringify(elements, null, 2);
    await writeFileAtomic(location, text);
    return { location, digest: createHash('sha256').update(text).digest('hex') };
  };
  return {
    write,
    // The file first, its record after: a crash in between leaves a file the next run writes again.
    async writePage(document: DocumentRecord, elements: Element[], record: RecordPage): Promise<StoredDocument> {
      const stored = await write(document, elements);
      await record(stored);
      return stored;
    },
    async remove(locations: string[]): Promise<void> {
      // The locations come from the checkpoint, a file anyone with access to the output may have edited.
      const outside = locations.find((file) => !isInside(outputDir, file));
      if (outside !== undefined) {
        // A mistake no retry fixes: a StoreError stops the step at once, with this line.
        throw new StoreError(
          'destination',
          `refusing to delete ${outside}: the checkpoint names it but it is outside the output dir ${outputDir}; check the checkpoint belongs to this output`,
        );
      }
      await Promise.all(locations.map((file) => rm(file, { force: true })));
    },
  };
}
