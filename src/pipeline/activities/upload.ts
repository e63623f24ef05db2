// The upload step: a document's elements land in the destination (for local output, atomically at the path
// unstructured-ingest would use; for PostgreSQL, as the document's rows, replaced in one transaction); for a page, the
// checkpoint then records it (id, version, outputs, digest) so re-runs skip it while it is unchanged, in the same
// transaction when the destination is a database, and the page's work files are removed. A page's extracted files
// are uploaded before it and recorded with it.
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { DocumentRecord } from '../../core/document';
import type { Handoff } from '../../core/handoff';
import { mergePermissionsVersions } from '../../core/permissionsVersion';
import type { RecordPage, StoredDocument } from '../../destinations/uploader';
import { type DestinationRef, type Destinations, storing } from './destinations';
import { readElements } from './elementFiles';
import type { Handoffs } from './handoff';

export interface UploadInput extends DestinationRef {
  document: DocumentRecord;
  elements: Handoff;
}

export interface UploadPageInput extends UploadInput {
  siteUrl: string;
  /** What was stored for the page's extracted files, recorded with it. */
  otherOutputs: StoredDocument[];
  runId: string;
  /** The page's files in work dirs, removed once it is recorded (those of other workers are their sweep's). */
  workFiles: Handoff[];
}

/** sha256 over the digests of the page's output and then its other outputs, in order. */
function digestOf(outputs: StoredDocument[]): string {
  const hash = createHash('sha256');
  for (const output of outputs) hash.update(output.digest);
  return hash.digest('hex');
}

export function uploadActivities(destinations: Destinations, handoffs: Handoffs) {
  return {
    // What a file's permissions rest on goes back with it, for its page's record (a file of another page carries that
    // page's permissions).
    uploadExtractedFile: ({ document, elements, ...ref }: UploadInput): Promise<StoredDocument> =>
      storing(async () => {
        const stored = await destinations(ref).uploader.write(document, await readElements(handoffs, elements));
        return document.permissionsVersion ? { ...stored, permissionsVersion: document.permissionsVersion } : stored;
      }),

    async uploadPage(input: UploadPageInput): Promise<{ outputPath: string }> {
      const { document, elements, siteUrl, otherOutputs, runId, workFiles, outputDir, destination } = input;
      const target = destinations({ outputDir, destination });
      const record: RecordPage = (stored, transaction) => {
        const outputs = [stored, ...otherOutputs];
        const page = {
          site: siteUrl,
          id: document.identifier,
          version: document.version,
          ...(document.contentVersion ? { contentVersion: document.contentVersion } : {}),
          ...(document.permissionsVersion
            ? {
                permissionsVersion: mergePermissionsVersions(
                  document.permissionsVersion,
                  otherOutputs.map((o) => o.permissionsVersion),
                ),
              }
            : {}),
          spaceKey: document.collection,
          title: document.displayName,
          outputPaths: outputs.map((o) => o.location),
          digest: digestOf(outputs),
          runId,
        };
        return target.checkpoint.commit(page, transaction);
      };
      const stored = await storing(async () =>
        target.uploader.writePage(document, await readElements(handoffs, elements), record),
      );
      await Promise.all(workFiles.filter((f) => handoffs.isLocal(f)).map((f) => rm(f.path, { force: true })));
      return { outputPath: stored.location };
    },
  };
}
