// The check before an ingest into a store of vectors (a PostgreSQL table, an OpenSearch index): it answers, it exists,
// and it takes vectors of the job's embedding model's length (one probe of the model), or none when the job embeds
// nothing. A refusal is a ConfigError: one line, exit code 2.
import { ConfigError } from '../core/configError';
import { StoreError } from '../core/storeError';
import type { IngestInput, Secrets } from '../pipeline/config';
import { embeddingDimensions } from '../pipeline/activities/validate';
import { createEmbedder } from '../steps/embed';
import { modelNameOf } from '../steps/embed/config';

export interface VectorStore {
  /** Reads the store's layout: a wrong URL, password or name fails here, before the model loads. */
  inspect(): Promise<unknown>;
  check(expect: { embeddingDimensions?: number; embeddingModel?: string }): Promise<void>;
}

export async function checkVectorStore(store: VectorStore, input: IngestInput, secrets: Secrets): Promise<void> {
  await asConfigError(async () => {
    await store.inspect();
    const dimensions = await embeddingDimensions(input, (config) =>
      createEmbedder(config, { apiKey: secrets.embeddingApiKey }),
    );
    await store.check({
      embeddingDimensions: dimensions,
      embeddingModel: input.embedding && modelNameOf(input.embedding),
    });
  });
}

/** A destination's StoreError as the one line a user reads. */
export async function asConfigError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw err instanceof StoreError ? new ConfigError(err.message) : err;
  }
}
