// One page through the pipeline: download (body and permissions) -> [inline images] -> partition (and [chunk]) ->
// [embed] -> [its files as documents of their own] -> [its comments as a document of their own] -> upload (the output,
// then the checkpoint commit). Each step is a
// retried activity that hands on file paths (or, to steps on pools of their own, the content), never through a
// shared disk: a page's steps run on the worker that downloaded it, and when that worker is lost the page starts
// again from its first step on another.
import { ActivityFailure, ApplicationFailure, TimeoutFailure, workflowInfo } from '@temporalio/workflow';
import { TimeoutType } from '@temporalio/common';
import { isTreeDoc, type PageRef, type SpacePermissionsSource } from '../../connectors/confluence/client/types';
import type { ReadsAlone } from '../../connectors/confluence/readsAlone';
import type { Handoff } from '../../core/handoff';
import type { LeftOut } from '../../core/leftOut';
import { FAILURE } from '../../core/failures';
import type { IngestInput } from '../config';
import { ingestComments } from './comments';
import { ingestExtractedFiles, type ExtractedFilesSummary } from './files';
import { handsOffInline, stepsFor } from './steps';

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
  /** Content of other pages taken out of the page's body (an include that cannot be resolved), and why. */
  bodyLeftOut?: LeftOut[];
  /** --extract-images: images that stayed URLs, and why. */
  imagesLeftOut?: LeftOut[];
  /** --extract-files: the page's files as documents of their own. */
  files?: ExtractedFilesSummary;
  /** --include-comments: how many comments its comments document holds. */
  comments?: number;
  /** Where the space grants in its permissions_data were read (absent without permissions). */
  spacePermissionsSource?: SpacePermissionsSource;
  /** How many workers the page had to start on (more than one when a worker was lost mid-page). */
  workers: number;
  /** Requests that read the page or its facts outside its batch, by why and what. */
  readsAlone?: ReadsAlone;
}

/** Workers a page may start on before its failure is reported. */
const MAX_WORKERS_PER_PAGE = 5;

export async function confluencePageWorkflow({ job, ref }: PageWorkflowInput): Promise<PageResult> {
  for (let workers = 1; ; workers++) {
    try {
      return { ...(await ingestPage(job, ref)), workers };
    } catch (err) {
      if (workers >= MAX_WORKERS_PER_PAGE || !workerWasLost(err)) throw err;
    }
  }
}

async function ingestPage(job: IngestInput, ref: PageRef): Promise<Omit<PageResult, 'workers'>> {
  const { site, outputDir, extract } = job;
  const inline = handsOffInline(job);
  const downloaded = await stepsFor(job).downloadPage({ site, ref, permissions: job.permissions, inline });
  if ('skipped' in downloaded)
    return { id: ref.id, version: downloaded.ref.version, elementCount: 0, skippedReason: downloaded.skipped };
  const page = downloaded.document;
  const steps = stepsFor(job, downloaded.hostQueue);
  // A whiteboard, database or embed is a document of its metadata: it has no images, files or comments to take.
  const extras: Partial<typeof extract> = isTreeDoc(ref.contentType) ? {} : extract;

  const timeoutSeconds = job.activityTimeoutSeconds;
  const images = { allowList: extract.allowList, maxImageBytes: extract.maxImageBytes };
  const inlined = extras.images
    ? await steps.inlinePageImages({ site, document: page, images, timeoutSeconds, inline })
    : undefined;
  const document = inlined?.document ?? page;
  const partitioned = await steps.partitionPage({
    site,
    document,
    byApi: job.partitionByApi,
    chunking: job.chunking,
    options: job.partition,
    inline,
  });
  const embedded = job.embedding
    ? await steps.embedPage({ site, embedding: job.embedding, elements: partitioned.elements, inline })
    : undefined;
  const files = extras.files ? await ingestExtractedFiles(job, downloaded, steps) : undefined;
  const comments = extras.comments ? await ingestComments(job, downloaded, steps) : undefined;

  const workFiles: Handoff[] = [
    page.content,
    document.content,
    partitioned.elements,
    embedded?.elements,
    ...(comments?.workFiles ?? []),
  ].filter((f): f is Handoff => f !== undefined);
  const { outputPath } = await steps.uploadPage({
    document,
    elements: (embedded ?? partitioned).elements,
    outputDir,
    destination: job.destination,
    siteUrl: site.url,
    otherOutputs: [...(files?.outputs ?? []), ...(comments ? [comments.output] : [])],
    runId: workflowInfo().runId,
    // Where the files are, not their content: only the worker that holds them removes them.
    workFiles: [...new Map(workFiles.map(({ path, host }) => [path, { path, host }])).values()],
  });
  const { spacePermissionsSource, readsAlone } = downloaded;
  return {
    id: ref.id,
    version: page.version,
    outputPath,
    elementCount: partitioned.elementCount,
    ...(downloaded.leftOut ? { bodyLeftOut: downloaded.leftOut } : {}),
    imagesLeftOut: inlined?.leftOut,
    files,
    ...(comments ? { comments: comments.comments } : {}),
    spacePermissionsSource,
    ...(readsAlone ? { readsAlone } : {}),
  };
}

/** The page's worker is gone: a step found its files missing, or a step sent to its queue was never picked up. */
function workerWasLost(err: unknown): boolean {
  // A local activity's failure reaches the workflow as it was thrown; an ordinary activity's, wrapped.
  const failure = err instanceof ActivityFailure ? err.cause : err;
  if (failure instanceof ApplicationFailure) return failure.type === FAILURE.HostChanged;
  return failure instanceof TimeoutFailure && failure.timeoutType === TimeoutType.SCHEDULE_TO_START;
}
