// Validates a workflow input where zod may run: in an activity. Workflow code stays free of zod, whose module
// set-up would otherwise be paid by every page workflow (Temporal evaluates a workflow's modules per execution).
// A PostgreSQL or OpenSearch destination is checked here too, before any page is fetched: the database or cluster
// answers, the table or index exists and takes what the job will write (vectors of the embedding model's length, or
// none); so is an S3 bucket: this worker's credentials reach it and may write and delete under the prefix.
import { ApplicationFailure } from '@temporalio/common';
import { describeIssues } from '../../core/configError';
import { FAILURE, failureOf } from '../../core/failures';
import { modelNameOf } from '../../steps/embed/config';
import { IngestInputSchema, type IngestInput } from '../config';
import { type Destinations, storing } from './destinations';
import type { Embedders } from './embed';

/**
 * Length of the vectors the job's embedding model gives, or undefined when the job embeds nothing: one probe, with an
 * embedder of its own, closed at once. (A local model kept loaded from here would have every page's embed step start
 * at the same moment, and its runs, which hold the event loop, would then starve the workflows' tasks.)
 */
export async function embeddingDimensions(
  input: Pick<IngestInput, 'embedding'>,
  newEmbedder: Embedders,
): Promise<number | undefined> {
  if (!input.embedding) return undefined;
  const embedder = await newEmbedder(input.embedding);
  try {
    const [vector] = await embedder.embed(['dimension probe']);
    return vector.length;
  } finally {
    await embedder.close();
  }
}

export function validateActivities(destinations: Destinations, embedders: Embedders) {
  return {
    /** The input with defaults filled in; every problem listed at once, non-retryable. */
    async validateInput(raw: unknown): Promise<IngestInput> {
      const parsed = IngestInputSchema.safeParse(raw);
      if (!parsed.success)
        throw ApplicationFailure.create(
          failureOf(FAILURE.InvalidInput, `invalid workflow input: ${describeIssues(parsed.error)}`),
        );
      const input = parsed.data;
      if (input.destination.type !== 'local') {
        const { table, index, checkpoint } = destinations(input);
        const expect = {
          embeddingDimensions: await embeddingDimensions(input, embedders),
          embeddingModel: input.embedding && modelNameOf(input.embedding),
        };
        await storing(() => Promise.all([table?.check(expect), index?.check(expect), checkpoint.ready()]));
      }
      if (input.destination.type === 's3') {
        const { bucket, checkpoint } = destinations(input);
        await storing(() => Promise.all([bucket?.check(), checkpoint.ready()]));
      }
      return input;
    },
  };
}
