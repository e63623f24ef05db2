// One document through the pipeline: download -> partition -> [chunk] -> [embed] -> upload -> checkpoint commit,
// each a retried activity that hands the next a file path.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { IngestInput } from '../config';
import type { PageRef } from '../confluence/types';
import type { Activities } from '../activities';
import { activityOptions } from './activityOptions';

export interface PageWorkflowInput {
  job: IngestInput;
  ref: PageRef;
}

export interface PageResult {
  id: string;
  version: number;
  outputPath: string;
  elementCount: number;
}

export async function confluencePageWorkflow({ job, ref }: PageWorkflowInput): Promise<PageResult> {
  const { site, outputDir, workDir } = job;
  const steps = proxyActivities<Activities>(activityOptions(job.activityTimeoutSeconds));

  const downloaded = await steps.downloadPage({ site, ref, workDir });
  let elements = await steps.partitionPage({ job, htmlPath: downloaded.htmlPath, ref: downloaded.ref });
  if (job.chunking) elements = await steps.chunkPage({ job, elementsPath: elements.elementsPath });
  if (job.embedding) elements = await steps.embedPage({ job, elementsPath: elements.elementsPath });
  const { outputPath } = await steps.uploadPage({ elementsPath: elements.elementsPath, ref: downloaded.ref, outputDir });
  await steps.commitPage({ outputDir, siteUrl: site.url, ref: downloaded.ref, outputPaths: [outputPath], runId: workflowInfo().runId });
  return { id: ref.id, version: downloaded.ref.version, outputPath, elementCount: elements.elementCount };
}
