// The run report: every ingest ends with <output-dir>/_ingest-report.json, whoever started it (CLI, Temporal UI,
// schedule).
import path from 'node:path';
import type { IngestProgress } from '../progress';
import { writeFileAtomic } from '../../core/atomicWrite';

export const REPORT_FILE = '_ingest-report.json';

export interface RunReport extends IngestProgress {
  workflowId: string;
  site: string;
  finishedAt: string;
  seconds: number;
  /** True when more pages failed (or were skipped) than the lists name; the counts are exact. */
  listsTruncated: boolean;
}

export const reportActivities = {
  async writeReport({ outputDir, report }: { outputDir: string; report: RunReport }): Promise<{ reportPath: string }> {
    const reportPath = path.join(outputDir, REPORT_FILE);
    await writeFileAtomic(reportPath, JSON.stringify(report, null, 2));
    return { reportPath };
  },
};
