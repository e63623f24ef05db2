// One document through the pipeline: download -> partition -> [chunk] -> [embed] -> upload -> checkpoint commit,
// each a retried activity that hands the next a file path.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { IngestInput } from '../config';
import type { PageRef } from '../confluence/types';
import type { Activities } from '../activities';
import type { ExtractNote } from '../activities/extract';
import { activityOptions } from './activityOptions';
import { ingestExtractedFiles, type ExtractedFilesSummary } from './files';

export interface PageWorkflowInput {
  job: IngestInput;
  ref: PageRef;
}

export interface PageResult {
  id: string;
  version: number;
  outputPath: string;
  elementCount: number;
  /** --extract-images: images that stayed URLs, and why. */
  imageNotes?: ExtractNote[];
  /** --extract-files: the page's files as documents of their own. */
  files?: ExtractedFilesSummary;
}

export async function confluencePageWorkflow({ job, ref }: PageWorkflowInput): Promise<PageResult> {
  const { site, outputDir, workDir } = job;
  const steps = proxyActivities<Activities>(activityOptions(job.activityTimeoutSeconds));

  const downloaded = await steps.downloadPage({ site, ref, workDir });
  const inlined = job.extract.images ? await steps.inlinePageImages({ job, ref: downloaded.ref, htmlPath: downloaded.htmlPath }) : undefined;
  let elements = await steps.partitionPage({ job, htmlPath: inlined?.htmlPath ?? downloaded.htmlPath, ref: downloaded.ref });
  if (job.chunking) elements = await steps.chunkPage({ job, elementsPath: elements.elementsPath });
  if (job.embedding) elements = await steps.embedPage({ job, elementsPath: elements.elementsPath });
  const { outputPath } = await steps.uploadPage({ elementsPath: elements.elementsPath, ref: downloaded.ref, outputDir });
  const files = job.extract.files ? await ingestExtractedFiles(job, downloaded.ref, downloaded.htmlPath) : undefined;
  const outputPaths = [outputPath, ...(files?.outputPaths ?? [])];
  await steps.commitPage({ outputDir, siteUrl: site.url, ref: downloaded.ref, outputPaths, runId: workflowInfo().runId });
  return { id: ref.id, version: downloaded.ref.version, outputPath, elementCount: elements.elementCount, imageNotes: inlined?.notes, files };
}
