// Partition-by-API settings, safe for workflow input: the API key is not here (the worker resolves it).
import { z } from 'zod';
import { ConfigError, describeIssues } from '../../core/configError';

export const DEFAULT_PARTITION_ENDPOINT = 'https://api.unstructuredapp.io/general/v0/general';

const AdditionalArgsSchema = z
  .record(z.string(), z.unknown())
  .refine((args) => !('files' in args), { message: 'may not set "files": the document is the file' });

/** Safe for workflow input: no key here. */
export const PartitionApiConfigSchema = z.object({
  endpoint: z
    .url({ error: 'must be a URL such as https://api.unstructuredapp.io/general/v0/general' })
    .default(DEFAULT_PARTITION_ENDPOINT),
  strategy: z.string().min(1).default('auto'),
  languages: z.array(z.string().min(1)).optional(),
  additionalArgs: AdditionalArgsSchema.default({}),
});
export type PartitionApiConfig = z.infer<typeof PartitionApiConfigSchema>;

export interface PartitionApiFlags {
  partitionByApi?: boolean;
  apiKey?: string;
  partitionEndpoint?: string;
  /** JSON object, e.g. '{"split_pdf_page": false}'. */
  additionalPartitionArgs?: string;
}

/**
 * Undefined when partitioning is local; flags win over UNSTRUCTURED_API_KEY / UNSTRUCTURED_API_URL. keyRequired false:
 * the workers hold the key (a job for a cluster).
 */
export function partitionApiFromFlags(
  flags: PartitionApiFlags,
  env: NodeJS.ProcessEnv = process.env,
  { keyRequired = true }: { keyRequired?: boolean } = {},
): { config: PartitionApiConfig; apiKey?: string } | undefined {
  if (!flags.partitionByApi) return undefined;
  const apiKey = flags.apiKey ?? env.UNSTRUCTURED_API_KEY;
  if (!apiKey && keyRequired)
    throw new ConfigError(
      '--partition-by-api needs an Unstructured API key: give --api-key or set UNSTRUCTURED_API_KEY',
    );
  const parsed = PartitionApiConfigSchema.safeParse({
    endpoint: flags.partitionEndpoint ?? env.UNSTRUCTURED_API_URL,
    additionalArgs: parseAdditionalArgs(flags.additionalPartitionArgs),
  });
  if (!parsed.success) throw new ConfigError(`invalid partition-by-API settings: ${describeIssues(parsed.error)}`);
  return { config: parsed.data, apiKey };
}

function parseAdditionalArgs(json: string | undefined): unknown {
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json) as unknown;
  } catch (err) {
    throw new ConfigError(
      `--additional-partition-args is not JSON (${(err as Error).message}); give an object such as '{"split_pdf_page": false}'`,
    );
  }
}
