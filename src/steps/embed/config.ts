// Embedding settings: the flags of unstructured-ingest's embed step and their defaults. The API key is not part of
// the config (which may travel in workflow input); it is handed to createEmbedder separately, by the worker.
import { z } from 'zod';
import { ConfigError, describeIssues } from '../../core/configError';

export const EmbeddingProviderSchema = z.enum(['huggingface', 'openai', 'azure-openai'], {
  error: (issue) => `unknown embedding provider "${String(issue.input)}": use huggingface, openai or azure-openai`,
});
export type EmbeddingProvider = z.infer<typeof EmbeddingProviderSchema>;

/** unstructured-ingest's default model of each provider. */
export const DEFAULT_EMBEDDING_MODELS: Readonly<Record<EmbeddingProvider, string>> = {
  huggingface: 'sentence-transformers/all-MiniLM-L6-v2',
  openai: 'text-embedding-ada-002',
  'azure-openai': 'text-embedding-ada-002',
};

export const DEFAULT_OPENAI_API_BASE = 'https://api.openai.com/v1';
export const DEFAULT_AZURE_API_VERSION = '2024-06-01';
export const EMBEDDING_BATCH_SIZE = 32;

export const EmbeddingConfigSchema = z
  .object({
    provider: EmbeddingProviderSchema,
    /** For azure-openai this is the deployment name. */
    modelName: z.string().min(1).optional(),
    /** OpenAI-compatible server (Ollama, TEI, vLLM: ".../v1"), or the Azure resource endpoint. */
    apiBase: z.url({ error: 'must be a URL such as http://localhost:11434/v1' }).optional(),
    /** huggingface: a folder holding model.onnx and tokenizer.json. */
    modelPath: z.string().min(1).optional(),
    azureApiVersion: z.string().min(1).default(DEFAULT_AZURE_API_VERSION),
    batchSize: z.number().int().min(1).max(2048).default(EMBEDDING_BATCH_SIZE),
  })
  .superRefine((c, ctx) => {
    if (c.provider === 'azure-openai' && !c.apiBase) {
      ctx.addIssue({
        code: 'custom',
        path: ['apiBase'],
        message: 'azure-openai needs its endpoint: give --embedding-api-base https://<resource>.openai.azure.com',
      });
    }
  });
export type EmbeddingConfig = z.infer<typeof EmbeddingConfigSchema>;

export function modelNameOf(config: EmbeddingConfig): string {
  return config.modelName ?? DEFAULT_EMBEDDING_MODELS[config.provider];
}

/** The embed flags of the `confluence` command, as commander hands them over. */
export interface EmbeddingFlags {
  embeddingProvider?: string;
  embeddingModelName?: string;
  embeddingApiKey?: string;
  embeddingApiBase?: string;
  embeddingModelPath?: string;
  embeddingAzureApiVersion?: string;
}

/** Undefined when no provider is given (no embed step), as in unstructured-ingest. */
export function embeddingFromFlags(flags: EmbeddingFlags): { config: EmbeddingConfig; apiKey?: string } | undefined {
  if (!flags.embeddingProvider) return undefined;
  const parsed = EmbeddingConfigSchema.safeParse({
    provider: flags.embeddingProvider,
    modelName: flags.embeddingModelName,
    apiBase: flags.embeddingApiBase,
    modelPath: flags.embeddingModelPath,
    azureApiVersion: flags.embeddingAzureApiVersion,
  });
  if (!parsed.success) throw new ConfigError(`invalid embedding settings: ${describeIssues(parsed.error)}`);
  return { config: parsed.data, apiKey: flags.embeddingApiKey };
}
