// The embed step (only with --embedding-provider): vectors on every element with text. One embedder per worker and
// config, since loading a local model or opening a pool is the expensive part.
import { Context } from '@temporalio/activity';
import type { Handoff } from '../../core/handoff';
import { createEmbedder, type Embedder, type EmbeddingConfig, embedElements } from '../../steps/embed';
import type { Site } from '../config';
import { embeddingApiKey } from '../credentials';
import type { ActivityDeps } from './deps';
import { readElements, type StepOutput, writeStepOutput } from './elementFiles';
import type { Handoffs } from './handoff';

export interface EmbedInput {
  /** The page's site (the API key is the worker's for embedding.apiBase). */
  site: Site;
  embedding: EmbeddingConfig;
  elements: Handoff;
  /** The output travels inline: the next step may run on another machine. */
  inline: boolean;
}

export type Embedders = (config: EmbeddingConfig) => Promise<Embedder>;

/** A new embedder with the worker's API key for the config's endpoint; the caller closes it. */
export function newEmbedder(deps: Pick<ActivityDeps, 'apiKeyFor'>): Embedders {
  return (config) => createEmbedder(config, { apiKey: embeddingApiKey(deps, config) });
}

/** The worker's embedders, one per config, created when first asked for. */
export function embedderCache(deps: Pick<ActivityDeps, 'apiKeyFor'>): Embedders {
  const embedders = new Map<string, Promise<Embedder>>();
  return (config) => {
    const key = JSON.stringify(config);
    if (!embedders.has(key)) embedders.set(key, newEmbedder(deps)(config));
    return embedders.get(key)!;
  };
}

export function embedActivities(embedderFor: Embedders, handoffs: Handoffs) {
  return {
    async embedPage({ embedding, elements, inline }: EmbedInput): Promise<StepOutput> {
      const embedder = await embedderFor(embedding);
      const embedded = await embedElements(await readElements(handoffs, elements), embedder, {
        signal: Context.current().cancellationSignal,
      });
      return writeStepOutput(handoffs, handoffs.nextPath(elements, 'embedded'), embedded, inline);
    },
  };
}
