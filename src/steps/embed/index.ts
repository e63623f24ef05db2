// The embed step: vectors for elements' texts, in batches, put in each element's top-level `embeddings`.
import type { Element } from '../../core/elements';
import { EMBEDDING_BATCH_SIZE, type EmbeddingConfig, modelNameOf } from './config';
import { createLocalEmbedder } from './huggingface';
import { createOpenAiEmbedder, type HttpEmbedderOptions } from './openai';
import type { Embedder } from './types';

export * from './config';
export type { Embedder } from './types';
export { ServiceError } from '../../core/httpRetry';

export interface EmbedderSecrets {
  apiKey?: string;
}

export async function createEmbedder(
  config: EmbeddingConfig,
  secrets: EmbedderSecrets = {},
  options: HttpEmbedderOptions = {},
): Promise<Embedder> {
  switch (config.provider) {
    case 'huggingface':
      return createLocalEmbedder(modelNameOf(config), config.modelPath);
    case 'openai':
    case 'azure-openai':
      return createOpenAiEmbedder(config, secrets.apiKey, options);
  }
}

export interface EmbedElementsOptions {
  batchSize?: number;
  signal?: AbortSignal;
}

/**
 * New elements, each with non-empty text carrying `embeddings`; elements without text pass unchanged,
 * as unstructured-ingest skips them.
 */
export async function embedElements(
  elements: readonly Element[],
  embedder: Embedder,
  options: EmbedElementsOptions = {},
): Promise<Element[]> {
  const batchSize = options.batchSize ?? EMBEDDING_BATCH_SIZE;
  const out = elements.map((e) => ({ ...e }));
  const withText = out.filter((e) => e.text.length > 0);
  for (let start = 0; start < withText.length; start += batchSize) {
    const batch = withText.slice(start, start + batchSize);
    const vectors = await embedder.embed(
      batch.map((e) => e.text),
      options.signal,
    );
    batch.forEach((e, i) => (e.embeddings = vectors[i]));
  }
  return out;
}
