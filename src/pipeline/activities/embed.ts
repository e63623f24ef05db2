// The embed step (only with --embedding-provider): vectors on every element with text. One embedder per worker and
// config, since loading a local model or opening a pool is the expensive part.
import { Context } from '@temporalio/activity';
import { createEmbedder, type Embedder, type EmbeddingConfig, embedElements } from '../../steps/embed';
import type { Site } from '../config';
import type { ActivityDeps } from './deps';
import { readElements, writeStepOutput, type StepOutput } from './elementFiles';

export interface EmbedInput {
  /** Whose worker-held embedding API key to use. */
  site: Site;
  embedding: EmbeddingConfig;
  elementsPath: string;
}

export function embedActivities(deps: ActivityDeps) {
  const embedders = new Map<string, Promise<Embedder>>();
  const embedderFor = (site: Site, config: EmbeddingConfig) => {
    const key = JSON.stringify(config);
    if (!embedders.has(key)) embedders.set(key, createEmbedder(config, { apiKey: deps.secretsFor(site).embeddingApiKey }));
    return embedders.get(key)!;
  };
  return {
    async embedPage({ site, embedding, elementsPath }: EmbedInput): Promise<StepOutput> {
      const embedder = await embedderFor(site, embedding);
      const elements = await embedElements(await readElements(elementsPath), embedder, { signal: Context.current().cancellationSignal });
      return writeStepOutput(elementsPath, 'embedded', elements);
    },
  };
}
