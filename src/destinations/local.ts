// The local uploader: the same layout as unstructured-ingest's, `<output-dir>/<relative path>.json`, i.e.
// `<space-key>/<page-id>.html.json` for a page and `<space-key>/<page-id>/<file-name>.json` for an extracted file.
// Each file is written atomically (temp file + rename), so a crash never leaves a truncated output.
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../core/atomicWrite';
import { StoreError } from '../core/storeError';
import type { DocumentRecord } from '../core/document';
import type { Element } from '../core/elements';
import { isInside, resolveInside } from '../core/safePath';
import { type PermissionsPatch, patchElement } from './permissionsPatch';
import type { RecordPage, RecordPermissions, StoredDocument, Uploader } from './uploader';

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
    // The files first, the record after: a crash in between leaves the old record, and the next run rewrites again.
    async rewritePermissions(locations: string[], patch: PermissionsPatch, record: RecordPermissions): Promise<void> {
      refuseOutside(outputDir, locations, 'rewrite');
      for (const file of locations) await rewriteFile(file, (elements) => elements.map((e) => patchElement(e, patch)));
      await record();
    },
    async remove(locations: string[]): Promise<void> {
      refuseOutside(outputDir, locations, 'delete');
      await Promise.all(locations.map((file) => rm(file, { force: true })));
    },
  };
}

/** An output removed by hand stays removed: there is nothing left that could grant too much. */
async function rewriteFile(file: string, change: (elements: Element[]) => Element[]): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  await writeFileAtomic(file, JSON.stringify(change(JSON.parse(text) as Element[]), null, 2));
}

/**
 * The locations come from the checkpoint, a file anyone with access to the output may have edited. A mistake no retry
 * fixes: a StoreError stops the step at once, with this line.
 */
function refuseOutside(outputDir: string, locations: string[], action: 'delete' | 'rewrite'): void {
  const outside = locations.find((file) => !isInside(outputDir, file));
  if (outside === undefined) return;
  throw new StoreError(
    'destination',
    `refusing to ${action} ${outside}: the checkpoint names it but it is outside the output dir ${outputDir}; check the checkpoint belongs to this output`,
  );
}
