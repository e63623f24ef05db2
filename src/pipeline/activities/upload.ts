// The upload step: a document's elements land in the destination (for local output, atomically at the path
// unstructured-ingest would use); for a page, the checkpoint then records it (id, version, outputs, digest) so re-runs
// skip it while it is unchanged. A page's extracted files are uploaded before it and recorded with it.
import { createHash } from 'node:crypto';
import type { DocumentRecord } from '../../core/document';
import type { StoredDocument } from '../../destinations/uploader';
import type { CheckpointStores, Uploaders } from './checkpoint';
import { readElements } from './elementFiles';

export interface UploadInput {
  document: DocumentRecord;
  elementsPath: string;
  outputDir: string;
}

export interface UploadPageInput extends UploadInput {
  siteUrl: string;
  /** What was stored for the page's extracted files, recorded with it. */
  otherOutputs: StoredDocument[];
  runId: string;
}

/** sha256 over the digests of the page's output and then its other outputs, in order. */
function digestOf(outputs: StoredDocument[]): string {
  const hash = createHash('sha256');
  for (const output of outputs) hash.update(output.digest);
  return hash.digest('hex');
}

export function uploadActivities(store: CheckpointStores, uploader: Uploaders) {
  const upload = async ({ document, elementsPath, outputDir }: UploadInput) => uploader(outputDir).write(document, await readElements(elementsPath));
  return {
    uploadExtractedFile: upload,
    async uploadPage(input: UploadPageInput): Promise<{ outputPath: string }> {
      const { document, outputDir, siteUrl, otherOutputs, runId } = input;
      const outputs = [await upload(input), ...otherOutputs];
      await store(outputDir).commit({
        site: siteUrl,
        id: document.identifier,
        version: document.version,
        spaceKey: document.collection,
        title: document.displayName,
        outputPaths: outputs.map((o) => o.location),
        digest: digestOf(outputs),
        runId,
      });
      return { outputPath: outputs[0].location };
    },
  };
}
