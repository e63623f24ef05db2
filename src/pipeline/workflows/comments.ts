// --include-comments: a page's comments as a document of their own, `<space>/<page-id>/comments.json`, one part per
// comment: download (with the page's permissions), partition each comment (and [chunk]), [embed], upload. Written
// even when the page has no comments (an empty array), so a comment deleted since the last run leaves no stale output.
import type { PageRef } from '../../connectors/confluence/client/types';
import type { DocumentRecord } from '../../core/document';
import type { Handoff } from '../../core/handoff';
import type { StoredDocument } from '../../destinations/uploader';
import type { Activities } from '../activities';
import type { IngestInput } from '../config';
import { handsOffInline } from './steps';

export interface CommentsSummary {
  /** Comments written, threads and replies alike. */
  comments: number;
  output: StoredDocument;
  /** Files in the page worker's work dir, removed with the page's own once it is recorded. */
  workFiles: Handoff[];
}

/** `steps`: the page's, routed to the worker that holds its files. */
export async function ingestComments(
  job: IngestInput,
  page: { document: DocumentRecord; ref: PageRef },
  steps: Activities,
): Promise<CommentsSummary> {
  const { site, outputDir, embedding } = job;
  const inline = handsOffInline(job);
  const permissionsData = page.document.metadata.permissions_data;
  const { document, count } = await steps.downloadPageComments({
    site,
    ref: page.ref,
    inline,
    ...(permissionsData ? { permissionsData } : {}),
  });
  const partitioned = await steps.partitionParts({
    site,
    document,
    chunking: job.chunking,
    options: job.partition,
    inline,
  });
  const embedded = embedding
    ? await steps.embedPage({ site, embedding, elements: partitioned.elements, inline })
    : undefined;
  const output = await steps.uploadExtractedFile({
    document,
    elements: (embedded ?? partitioned).elements,
    outputDir,
    destination: job.destination,
  });
  return {
    comments: count,
    output,
    workFiles: [document.content, partitioned.elements, ...(embedded ? [embedded.elements] : [])],
  };
}
