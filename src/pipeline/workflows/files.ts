// The files of one page as documents of their own: download (or reuse) them, then partition (and [chunk]), [embed]
// and upload each, as the page itself goes. A file is readable by exactly who may read its page.
import type { PageRef } from '../../connectors/confluence/client/types';
import type { DocumentRecord } from '../../core/document';
import type { LeftOut } from '../../core/leftOut';
import type { StoredDocument } from '../../destinations/uploader';
import type { IngestInput } from '../config';
import { stepsFor } from './steps';

export interface ExtractedFilesSummary {
  /** Files written as documents. */
  files: number;
  outputs: StoredDocument[];
  /** Files downloaded but not partitioned (unknown type, no text layer...). */
  skipped: LeftOut[];
  /** Files not downloaded (refused, too large, gone). */
  leftOut: LeftOut[];
}

export async function ingestExtractedFiles(job: IngestInput, ref: PageRef, page: DocumentRecord): Promise<ExtractedFilesSummary> {
  const { site, workDir, outputDir } = job;
  const steps = stepsFor(job);

  const ingestOne = async (file: DocumentRecord): Promise<StoredDocument | LeftOut> => {
    const document = withPermissionsOf(page, file);
    const partitioned = await steps.partitionExtractedFile({ site, document, workDir, byApi: job.partitionByApi, chunking: job.chunking });
    if ('skipped' in partitioned) return { name: file.sourceIdentifiers.filename, reason: partitioned.skipped };
    let { elementsPath } = partitioned;
    if (job.embedding) ({ elementsPath } = await steps.embedPage({ site, embedding: job.embedding, elementsPath }));
    return steps.uploadExtractedFile({ document, elementsPath, outputDir });
  };

  const { allowList, includeAttachments, forceDownload, maxFileBytes, downloadDir } = job.extract;
  const settings = { allowList, includeAttachments, forceDownload, maxFileBytes, downloadDir };
  const { files, leftOut } = await steps.downloadPageFiles({ site, ref, htmlPath: page.localPath, files: settings, timeoutSeconds: job.activityTimeoutSeconds });
  const results = await Promise.all(files.map(ingestOne));
  const outputs = results.filter((r): r is StoredDocument => 'location' in r);
  const skipped = results.filter((r): r is LeftOut => 'reason' in r);
  return { files: outputs.length, outputs, skipped, leftOut };
}

/** The page's permissions_data goes last in the file's data_source, where the page's own has it. */
function withPermissionsOf(page: DocumentRecord, file: DocumentRecord): DocumentRecord {
  const permissions = page.metadata.permissions_data;
  return permissions ? { ...file, metadata: { ...file.metadata, permissions_data: permissions } } : file;
}
