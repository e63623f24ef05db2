// The openai and azure-openai providers: the embeddings REST protocol over undici. OpenAI-compatible servers
// (Ollama, TEI, vLLM) are reached through apiBase, and may need no key.
import { z } from 'zod';
import { ConfigError } from '../../core/configError';
import { DEFAULT_OPENAI_API_BASE, type EmbeddingConfig, modelNameOf } from './config';
import { fetchJsonWithRetry, type RetryPolicy, ServiceError } from '../../core/httpRetry';
import type { Embedder } from './types';

const EmbeddingsResponseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
});

export interface HttpEmbedderOptions {
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
}

interface Endpoint {
  service: string;
  url: string;
  headers: Record<string, string>;
  /** Azure names the model in the URL (the deployment); OpenAI in the body. */
  bodyModel?: string;
  keyFlagHint: string;
}

export function createOpenAiEmbedder(
  config: EmbeddingConfig,
  apiKey: string | undefined,
  options: HttpEmbedderOptions = {},
): Embedder {
  const endpoint = config.provider === 'azure-openai' ? azureEndpoint(config, apiKey) : openAiEndpoint(config, apiKey);
  const secrets = apiKey ? [apiKey] : [];
  return {
    provider: config.provider,
    model: modelNameOf(config),
    async embed(texts, signal) {
      if (!texts.length) return [];
      const body = await fetchJsonWithRetry({
        service: endpoint.service,
        url: endpoint.url,
        init: () => ({
          method: 'POST',
          headers: { 'content-type': 'application/json', ...endpoint.headers },
          body: JSON.stringify({ input: texts, ...(endpoint.bodyModel ? { model: endpoint.bodyModel } : {}) }),
        }),
        secrets,
        hint: (status) =>
          status === 401 || status === 403
            ? endpoint.keyFlagHint
            : 'check --embedding-model-name and --embedding-api-base',
        retry: options.retry,
        timeoutMs: options.timeoutMs ?? 120_000,
        signal,
      });
      return vectorsInOrder(endpoint.service, body, texts.length);
    },
    close: async () => {},
  };
}

function openAiEndpoint(config: EmbeddingConfig, apiKey: string | undefined): Endpoint {
  // api.openai.com always wants a key; a self-hosted compatible server often does not.
  if (!apiKey && !config.apiBase)
    throw new ConfigError(
      'openai embeddings need an API key: give --embedding-api-key (or --embedding-api-base for a keyless compatible server)',
    );
  return {
    service: 'OpenAI embeddings API',
    url: `${trimSlash(config.apiBase ?? DEFAULT_OPENAI_API_BASE)}/embeddings`,
    headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    bodyModel: modelNameOf(config),
    keyFlagHint: 'check --embedding-api-key',
  };
}

function azureEndpoint(config: EmbeddingConfig, apiKey: string | undefined): Endpoint {
  if (!apiKey) throw new ConfigError('azure-openai embeddings need the resource key: give --embedding-api-key');
  if (!config.apiBase)
    throw new ConfigError(
      'azure-openai needs its endpoint: give --embedding-api-base https://<resource>.openai.azure.com',
    );
  const deployment = encodeURIComponent(modelNameOf(config));
  const version = encodeURIComponent(config.azureApiVersion);
  return {
    service: 'Azure OpenAI embeddings API',
    url: `${trimSlash(config.apiBase)}/openai/deployments/${deployment}/embeddings?api-version=${version}`,
    headers: { 'api-key': apiKey },
    keyFlagHint: 'check --embedding-api-key, and that --embedding-model-name names a deployment of that resource',
  };
}

/** The protocol tags each vector with the index of its input; servers need not answer in order. */
function vectorsInOrder(service: string, body: unknown, expected: number): number[][] {
  const parsed = EmbeddingsResponseSchema.safeParse(body);
  if (!parsed.success)
    throw new ServiceError(
      `${service} answered without a data[].embedding list; check --embedding-api-base points at an embeddings API`,
      { retryable: false },
    );
  const out: number[][] = new Array<number[]>(expected);
  for (const item of parsed.data.data) if (item.index < expected) out[item.index] = item.embedding;
  const missing = expected - out.filter(Boolean).length;
  if (missing)
    throw new ServiceError(
      `${service} returned ${parsed.data.data.length} vectors for ${expected} inputs (${missing} missing); the server dropped inputs`,
      {
        retryable: false,
      },
    );
  return out;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
