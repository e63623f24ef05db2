// The files of one page as documents of their own: download (or reuse) them, then partition (and [chunk]), [embed]
// and upload each, as the page itself goes. A file is readable by exactly who may read the page it is attached to.
import type { PageRef } from '../../connectors/confluence/client/types';
import type { DocumentRecord } from '../../core/document';
import type { LeftOut } from '../../core/leftOut';
import type { StoredDocument } from '../../destinations/uploader';
import type { Activities } from '../activities';
import type { IngestInput } from '../config';
import { handsOffInline } from './steps';

export interface ExtractedFilesSummary {
  /** Files written as documents. */
  files: number;
  outputs: StoredDocument[];
  /** Files downloaded but not partitioned (unknown type, no text layer...). */
  skipped: LeftOut[];
  /** Files not downloaded (refused, too large, gone). */
  leftOut: LeftOut[];
}

/** `steps`: the page's, routed to the worker that holds its files. */
export async function ingestExtractedFiles(
  job: IngestInput,
  page: { document: DocumentRecord; ref: PageRef },
  steps: Activities,
): Promise<ExtractedFilesSummary> {
  const { site, outputDir, embedding } = job;
  const inline = handsOffInline(job);

  const ingestOne = async (file: DocumentRecord): Promise<StoredDocument | LeftOut> => {
    const document = withPermissionsOf(page.document, file);
    const partitioned = await steps.partitionExtractedFile({
      site,
      document,
      byApi: job.partitionByApi,
      chunking: job.chunking,
      inline,
    });
    if ('skipped' in partitioned) return { name: file.sourceIdentifiers.filename, reason: partitioned.skipped };
    const { elements } = embedding
      ? await steps.embedPage({ site, embedding, elements: partitioned.elements, inline })
      : partitioned;
    return steps.uploadExtractedFile({ document, elements, outputDir, destination: job.destination });
  };

  const { allowList, includeAttachments, forceDownload, maxFileBytes, downloadDir } = job.extract;
  const settings = { allowList, includeAttachments, forceDownload, maxFileBytes, downloadDir };
  const timeoutSeconds = job.activityTimeoutSeconds;
  const { files, leftOut } = await steps.downloadPageFiles({
    site,
    ref: page.ref,
    html: page.document.content,
    files: settings,
    permissions: job.permissions,
    timeoutSeconds,
    inline,
  });
  // Every file settles before a failure is passed on: a rejection left unawaited would fail the whole workflow.
  const settled = await Promise.allSettled(files.map(ingestOne));
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  const results = settled.map((r) => (r as PromiseFulfilledResult<StoredDocument | LeftOut>).value);
  const outputs = results.filter((r): r is StoredDocument => 'location' in r);
  const skipped = results.filter((r): r is LeftOut => 'reason' in r);
  return { files: outputs.length, outputs, skipped, leftOut };
}

/**
 * A file of the page itself gets the page's permissions_data, last in its data_source where the page's own has it; a
 * file attached to another page came with that page's.
 */
function withPermissionsOf(page: DocumentRecord, file: DocumentRecord): DocumentRecord {
  const permissions = page.metadata.permissions_data;
  if (!permissions || file.metadata.record_locator?.attachment_page_id !== undefined) return file;
  return { ...file, metadata: { ...file.metadata, permissions_data: permissions } };
}
