// One page through the pipeline: download (body and permissions) -> [inline images] -> partition (and [chunk]) ->
// [embed] -> [its files as documents of their own] -> upload (the output, then the checkpoint commit). Each step is a
// retried activity that hands on file paths, never content.
import { workflowInfo } from '@temporalio/workflow';
import type { PageRef } from '../../connectors/confluence/client/types';
import type { LeftOut } from '../../core/leftOut';
import type { IngestInput } from '../config';
import { ingestExtractedFiles, type ExtractedFilesSummary } from './files';
import { stepsFor } from './steps';

export interface PageWorkflowInput {
  job: IngestInput;
  ref: PageRef;
}

export interface PageResult {
  id: string;
  version: number;
  outputPath?: string;
  elementCount: number;
  /** The page was deliberately not written (--on-permission-error skip), and why. */
  skippedReason?: string;
  /** --extract-images: images that stayed URLs, and why. */
  imagesLeftOut?: LeftOut[];
  /** --extract-files: the page's files as documents of their own. */
  files?: ExtractedFilesSummary;
}

export async function confluencePageWorkflow({ job, ref }: PageWorkflowInput): Promise<PageResult> {
  const { site, outputDir, workDir, extract } = job;
  const steps = stepsFor(job);

  const downloaded = await steps.downloadPage({ site, ref, workDir, permissions: job.permissions });
  if ('skipped' in downloaded) return { id: ref.id, version: downloaded.ref.version, elementCount: 0, skippedReason: downloaded.skipped };
  const page = downloaded.document;

  const timeoutSeconds = job.activityTimeoutSeconds;
  const images = { allowList: extract.allowList, maxImageBytes: extract.maxImageBytes };
  const inlined = extract.images ? await steps.inlinePageImages({ site, document: page, images, timeoutSeconds }) : undefined;
  const document = inlined?.document ?? page;
  let elements = await steps.partitionPage({ site, document, workDir, byApi: job.partitionByApi, chunking: job.chunking });
  if (job.embedding) elements = await steps.embedPage({ site, embedding: job.embedding, elementsPath: elements.elementsPath });
  const files = extract.files ? await ingestExtractedFiles(job, downloaded.ref, page) : undefined;

  const { outputPath } = await steps.uploadPage({
    document,
    elementsPath: elements.elementsPath,
    outputDir,
    siteUrl: site.url,
    otherOutputs: files?.outputs ?? [],
    runId: workflowInfo().runId,
  });
  return { id: ref.id, version: page.version, outputPath, elementCount: elements.elementCount, imagesLeftOut: inlined?.leftOut, files };
}
