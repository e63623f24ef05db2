// The upload step: a document's elements land in the destination (for local output, atomically at the path
// unstructured-ingest would use); for a page, the checkpoint then records it (id, version, outputs, digest) so re-runs
// skip it while it is unchanged, and the page's work files are removed. A page's extracted files are uploaded before
// it and recorded with it.
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { DocumentRecord } from '../../core/document';
import type { Handoff } from '../../core/handoff';
import type { StoredDocument } from '../../destinations/uploader';
import { type CheckpointStores, checkpointed, type Uploaders } from './checkpoint';
import { readElements } from './elementFiles';
import type { Handoffs } from './handoff';

export interface UploadInput {
  document: DocumentRecord;
  elements: Handoff;
  outputDir: string;
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

export function uploadActivities(store: CheckpointStores, uploader: Uploaders, handoffs: Handoffs) {
  const upload = async ({ document, elements, outputDir }: UploadInput) => uploader(outputDir).write(document, await readElements(handoffs, elements));
  return {
    uploadExtractedFile: upload,
    async uploadPage(input: UploadPageInput): Promise<{ outputPath: string }> {
      const { document, outputDir, siteUrl, otherOutputs, runId, workFiles } = input;
      const outputs = [await upload(input), ...otherOutputs];
      await checkpointed(() =>
        store(outputDir).commit({
          site: siteUrl,
          id: document.identifier,
          version: document.version,
          ...(document.contentVersion ? { contentVersion: document.contentVersion } : {}),
          spaceKey: document.collection,
          title: document.displayName,
          outputPaths: outputs.map((o) => o.location),
          digest: digestOf(outputs),
          runId,
        }),
      );
      await Promise.all(workFiles.filter((f) => handoffs.isLocal(f)).map((f) => rm(f.path, { force: true })));
      return { outputPath: outputs[0].location };
    },
  };
}
