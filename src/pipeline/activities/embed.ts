// The embed step (only with --embedding-provider): vectors on every element with text. One embedder per worker and
// config, since loading a local model or opening a pool is the expensive part.
import { Context } from '@temporalio/activity';
import type { IngestInput } from '../config';
import { createEmbedder, type Embedder, type EmbeddingConfig, embedElements } from '../../steps/embed';
import type { ActivityDeps } from './deps';
import { readElements, writeStepOutput, type StepOutput } from './elementFiles';

export function embedActivities(deps: ActivityDeps) {
  const embedders = new Map<string, Promise<Embedder>>();
  const embedderFor = (job: IngestInput, config: EmbeddingConfig) => {
    const key = JSON.stringify(config);
    if (!embedders.has(key)) embedders.set(key, createEmbedder(config, { apiKey: deps.secretsFor(job.site).embeddingApiKey }));
    return embedders.get(key)!;
  };
  return {
    async embedPage({ job, elementsPath }: { job: IngestInput; elementsPath: string }): Promise<StepOutput> {
      if (!job.embedding) throw new Error('embedPage called without an embedding config');
      const embedder = await embedderFor(job, job.embedding);
      const elements = await embedElements(await readElements(elementsPath), embedder, { signal: Context.current().cancellationSignal });
      return writeStepOutput(elementsPath, 'embedded', elements);
    },
  };
}
