// One document through the pipeline: download -> partition -> upload -> checkpoint commit, each a retried activity.
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
  const { downloadPage, partitionPage, uploadPage, commitPage } = proxyActivities<Activities>(activityOptions(job.activityTimeoutSeconds));

  const downloaded = await downloadPage({ site, ref, workDir });
  const partitioned = await partitionPage({ htmlPath: downloaded.htmlPath, ref: downloaded.ref });
  const { outputPath } = await uploadPage({ elementsPath: partitioned.elementsPath, ref: downloaded.ref, outputDir });
  await commitPage({ outputDir, siteUrl: site.url, ref: downloaded.ref, outputPaths: [outputPath], runId: workflowInfo().runId });
  return { id: ref.id, version: downloaded.ref.version, outputPath, elementCount: partitioned.elementCount };
}
