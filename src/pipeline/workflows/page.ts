// One document through the pipeline: download (body and permissions) -> [extract images] -> partition (and [chunk])
// -> [embed] -> [extracted files as documents] -> upload (the output, then the checkpoint commit), each a retried
// activity that hands on file paths.
import { workflowInfo } from '@temporalio/workflow';
import type { IngestInput } from '../config';
import type { PageRef } from '../../connectors/confluence/client/types';
import type { ExtractNote } from '../activities/extract';
import { pipelineSteps } from './activityOptions';
import { ingestExtractedFiles, type ExtractedFilesSummary } from './files';

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
  imageNotes?: ExtractNote[];
  /** --extract-files: the page's files as documents of their own. */
  files?: ExtractedFilesSummary;
}

export async function confluencePageWorkflow({ job, ref }: PageWorkflowInput): Promise<PageResult> {
  const { site, outputDir, workDir } = job;
  const steps = pipelineSteps(job);

  const downloaded = await steps.downloadPage({ site, ref, workDir, permissions: job.permissions });
  const { ref: page, access } = downloaded;
  if (access.unavailable?.action === 'skip') {
    return { id: ref.id, version: page.version, elementCount: 0, skippedReason: `permissions unreadable: ${access.unavailable.reason}` };
  }

  const inlined = job.extract.images ? await steps.inlinePageImages({ job, ref: page, htmlPath: downloaded.htmlPath }) : undefined;
  const htmlPath = inlined?.htmlPath ?? downloaded.htmlPath;
  let elements = await steps.partitionPage({ job, htmlPath, ref: page, permissionsData: access.permissionsData, permissionsCapped: access.capped });
  if (job.embedding) elements = await steps.embedPage({ job, elementsPath: elements.elementsPath });
  const files = job.extract.files ? await ingestExtractedFiles(job, page, downloaded.htmlPath, access.permissionsData) : undefined;

  const { outputPath } = await steps.uploadPage({
    elementsPath: elements.elementsPath,
    ref: page,
    outputDir,
    siteUrl: site.url,
    otherOutputPaths: files?.outputPaths ?? [],
    runId: workflowInfo().runId,
  });
  return { id: ref.id, version: page.version, outputPath, elementCount: elements.elementCount, imageNotes: inlined?.notes, files };
}
