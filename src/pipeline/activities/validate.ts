// Validates a workflow input where zod may run: in an activity. Workflow code stays free of zod, whose module
// set-up would otherwise be paid by every page workflow (Temporal evaluates a workflow's modules per execution).
import { ApplicationFailure } from '@temporalio/common';
import { describeIssues } from '../../core/configError';
import { IngestInputSchema, type IngestInput } from '../config';

export const validateActivities = {
  /** The input with defaults filled in; every problem listed at once, non-retryable. */
  async validateInput(raw: unknown): Promise<IngestInput> {
    const parsed = IngestInputSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    throw ApplicationFailure.nonRetryable(`invalid workflow input: ${describeIssues(parsed.error)}`, 'InvalidInput');
  },
};
