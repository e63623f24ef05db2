// The files of one page as documents of their own: download (or reuse) them, then partition (and [chunk]), [embed]
// and upload each, as the page itself goes.
// Deterministic workflow code: every side effect is an activity.
import type { IngestInput } from '../config';
import type { PageRef } from '../../connectors/confluence/client/types';
import type { PermissionsData } from '../../steps/partition/elements';
import type { ExtractedFile, ExtractNote } from '../activities/extract';
import { pipelineSteps } from './activityOptions';

export interface ExtractedFilesSummary {
  /** Files written as documents. */
  files: number;
  outputPaths: string[];
  /** Files downloaded but not partitioned (unknown type, no text layer...). */
  skipped: Array<{ name: string; reason: string }>;
  /** Files not downloaded (refused, too large, gone). */
  notes: ExtractNote[];
}

export async function ingestExtractedFiles(
  job: IngestInput,
  ref: PageRef,
  htmlPath: string,
  permissionsData?: PermissionsData,
): Promise<ExtractedFilesSummary> {
  const steps = pipelineSteps(job);

  const ingestOne = async (file: ExtractedFile): Promise<{ outputPath: string } | { skipped: string }> => {
    const partitioned = await steps.partitionExtractedFile({ job, ref, file, permissionsData });
    if (partitioned.elementsPath === undefined) return { skipped: partitioned.skipped ?? 'no elements' };
    let { elementsPath } = partitioned;
    if (job.embedding) ({ elementsPath } = await steps.embedPage({ job, elementsPath }));
    return steps.uploadExtractedFile({ job, ref, file, elementsPath });
  };

  const { files, notes } = await steps.downloadPageFiles({ job, ref, htmlPath });
  const results = await Promise.all(files.map(ingestOne));
  const outputPaths = results.flatMap((r) => ('outputPath' in r ? [r.outputPath] : []));
  const skipped = results.flatMap((r, i) => ('skipped' in r ? [{ name: files[i].name, reason: r.skipped }] : []));
  return { files: outputPaths.length, outputPaths, skipped, notes };
}
