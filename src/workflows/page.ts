// One document through the pipeline: download -> partition -> upload -> checkpoint commit, each a retried activity.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Site } from '../config';
import type { PageRef } from '../confluence/types';
import type { Activities } from '../activities';

export interface PageWorkflowInput {
  site: Site;
  ref: PageRef;
  outputDir: string;
  workDir: string;
}

export interface PageResult {
  id: string;
  version: number;
  outputPath: string;
  elementCount: number;
}

const { downloadPage, partitionPage, uploadPage, commitPage } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
});

export async function confluencePageWorkflow({ site, ref, outputDir, workDir }: PageWorkflowInput): Promise<PageResult> {
  const downloaded = await downloadPage({ site, ref, workDir });
  const partitioned = await partitionPage({ htmlPath: downloaded.htmlPath, ref: downloaded.ref });
  const { outputPath } = await uploadPage({ elementsPath: partitioned.elementsPath, ref: downloaded.ref, outputDir });
  await commitPage({ outputDir, siteUrl: site.url, ref: downloaded.ref, outputPaths: [outputPath], runId: workflowInfo().runId });
  return { id: ref.id, version: downloaded.ref.version, outputPath, elementCount: partitioned.elementCount };
}
