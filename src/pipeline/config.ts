// The one source of the pipeline's configuration: CLI flags, env vars and workflow input all parse through here.
// Nothing secret lives in these schemas: credentials are resolved by the worker (see SecretsSchema).
import { z } from 'zod';
import { ConfigError, describeIssues } from '../core/configError';
import { ChunkingConfigSchema } from '../steps/chunk/config';
import { EmbeddingConfigSchema } from '../steps/embed/config';
import { PartitionApiConfigSchema, partitionApiFromFlags, type PartitionApiFlags } from '../steps/partition/apiConfig';
import { embeddingFromFlags, type EmbeddingFlags } from '../steps/embed/config';
import { resolveAuth, type AuthInput } from '../connectors/confluence/client/auth';

export { ConfigError, describeIssues };

export const AuthModeSchema = z.enum(['api-token', 'password', 'pat', 'oauth']);
export type AuthMode = z.infer<typeof AuthModeSchema>;

/** Where the site is and how to authenticate; safe to put in workflow history. */
export const SiteSchema = z.object({
  url: z.string().url(),
  cloud: z.boolean().default(false),
  auth: AuthModeSchema,
  username: z.string().min(1).optional(),
  cloudId: z.string().min(1).optional(),
  /** Base of the OAuth gateway; overridable so tests can point it at the simulator. */
  gatewayUrl: z.string().url().default('https://api.atlassian.com'),
  /** Request rate ceiling for this site, kept by each worker process. */
  maxRequestsPerSecond: z.number().positive().optional(),
});
export type Site = z.infer<typeof SiteSchema>;

/** Secrets: held by the worker process only, never in workflow input, activity arguments or results. */
export interface Secrets {
  apiToken?: string;
  password?: string;
  token?: string;
  oauthToken?: string;
  unstructuredApiKey?: string;
  embeddingApiKey?: string;
}

export const SelectionSchema = z.object({
  spaces: z.array(z.string().min(1)).default([]),
  maxNumOfSpaces: z.number().int().positive().default(500),
  maxNumOfDocsFromEachSpace: z.number().int().positive().default(100),
  /** Only these pages (spaces are then not listed). */
  pageIds: z.array(z.string().regex(/^\d+$/, 'page ids are numbers')).default([]),
  /** Only the results of this CQL query (spaces are then not listed). */
  cql: z.string().min(1).optional(),
  includeBlogposts: z.boolean().default(false),
  includeArchived: z.boolean().default(false),
});
export type Selection = z.infer<typeof SelectionSchema>;

/** The extract step (`--extract-images`, `--extract-files`, ...): what to fetch besides the page body, and from where. */
export const ExtractSchema = z.object({
  images: z.boolean().default(false),
  files: z.boolean().default(false),
  /** Every attachment of the page from the attachments API, not only those linked from the body. */
  includeAttachments: z.boolean().default(false),
  forceDownload: z.boolean().default(false),
  /** URL prefixes that may be fetched; the site's base URL when empty. */
  allowList: z.array(z.string().url()).default([]),
  maxImageBytes: z.number().int().positive().default(10 * 1024 * 1024),
  maxFileBytes: z.number().int().positive().default(200 * 1024 * 1024),
  /** Where extracted files are saved: `<download-dir>/<SPACE>/<page-id>/<name>`. */
  downloadDir: z.string().min(1).default('.durable-ingest/downloads'),
});
export type Extract = z.infer<typeof ExtractSchema>;

/** permissions_data on every element: who may read, update, delete the page. */
export const PermissionsSchema = z.object({
  enabled: z.boolean().default(true),
  maxNumMetadataPermissions: z.number().int().positive().default(250),
  /** fail: the page fails; skip: the page is not written; omit: written without permissions_data. */
  onError: z.enum(['fail', 'skip', 'omit']).default('fail'),
});
export type Permissions = z.infer<typeof PermissionsSchema>;

export const IngestInputSchema = z.object({
  site: SiteSchema,
  selection: SelectionSchema.default(SelectionSchema.parse({})),
  outputDir: z.string().min(1).default('structured-output'),
  /** Work dir for intermediate blobs (downloaded HTML, partitioned elements). */
  workDir: z.string().min(1).default('.durable-ingest/work'),
  maxInFlight: z.number().int().positive().default(32),
  /** Refs per listing call. */
  pageSize: z.number().int().min(1).max(250).default(100),
  /** Ingest every selected page even when the checkpoint holds it at the same version. */
  reprocess: z.boolean().default(false),
  /** Remove the outputs of pages that disappeared from the source. */
  deleteMissing: z.boolean().default(false),
  /** Longest one attempt of a step may take; also how soon work held by a crashed worker is retried elsewhere. */
  activityTimeoutSeconds: z.number().int().min(1).max(3600).default(60),
  /** Task queues for kinds of steps, so each can have its own worker pool; absent: the workflow's own queue. */
  taskQueues: z
    .object({ confluence: z.string().min(1).optional(), partition: z.string().min(1).optional(), embed: z.string().min(1).optional() })
    .default({}),
  /** Keep the DurableIngest* search attributes current (they must be registered on the cluster). */
  searchAttributes: z.boolean().default(false),
  extract: ExtractSchema.prefault({}),
  permissions: PermissionsSchema.prefault({}),
  /** Absent: partition locally. */
  partitionByApi: PartitionApiConfigSchema.optional(),
  /** Absent: no chunk step. */
  chunking: ChunkingConfigSchema.optional(),
  /** Absent: no embed step. */
  embedding: EmbeddingConfigSchema.optional(),
});
export type IngestInput = z.infer<typeof IngestInputSchema>;

/** The `confluence` command's flags (commander's camelCase names) after env fallbacks. */
export interface ConfluenceFlags extends Partial<AuthInput>, EmbeddingFlags, PartitionApiFlags {
  spaces?: string;
  pageIds?: string;
  cql?: string;
  includeBlogposts?: boolean;
  includeArchived?: boolean;
  maxNumOfSpaces?: string;
  maxNumOfDocsFromEachSpace?: string;
  outputDir: string;
  workDir: string;
  maxInFlight?: string;
  pageSize?: string;
  reprocess?: boolean;
  deleteMissing?: boolean;
  activityTimeout?: string;
  maxRequestsPerSecond?: string;
  confluenceTaskQueue?: string;
  partitionTaskQueue?: string;
  embedTaskQueue?: string;
  searchAttributes?: boolean;
  extractImages?: boolean;
  extractFiles?: boolean;
  includeAttachments?: boolean;
  forceDownload?: boolean;
  allowList?: string;
  maxImageBytes?: string;
  downloadDir?: string;
  permissions?: boolean;
  maxNumMetadataPermissions?: string;
  onPermissionError?: string;
  chunkingStrategy?: string;
  chunkMaxCharacters?: string;
  chunkNewAfterNChars?: string;
  chunkCombineTextUnderNChars?: string;
  chunkOverlap?: string;
  chunkOverlapAll?: boolean;
  chunkIncludeOrigElements?: boolean;
  chunkMultipageSections?: boolean;
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${flag} must be a whole number, got "${value}"`);
  return n;
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Env vars fill what flags leave out, as unstructured-ingest does. */
export function withEnvFallbacks(flags: ConfluenceFlags, env: NodeJS.ProcessEnv = process.env): ConfluenceFlags {
  return {
    ...flags,
    url: flags.url ?? env.CONFLUENCE_URL,
    username: flags.username ?? env.CONFLUENCE_USERNAME,
    apiToken: flags.apiToken ?? env.CONFLUENCE_API_TOKEN,
    password: flags.password ?? env.CONFLUENCE_PASSWORD,
    token: flags.token ?? env.CONFLUENCE_PERSONAL_ACCESS_TOKEN,
    oauthToken: flags.oauthToken ?? env.CONFLUENCE_OAUTH_TOKEN,
  };
}

function chunkingFromFlags(flags: ConfluenceFlags): unknown {
  if (!flags.chunkingStrategy) return undefined;
  return {
    strategy: flags.chunkingStrategy,
    maxCharacters: positiveInt(flags.chunkMaxCharacters, '--chunk-max-characters'),
    newAfterNChars: positiveInt(flags.chunkNewAfterNChars, '--chunk-new-after-n-chars'),
    combineTextUnderNChars: positiveInt(flags.chunkCombineTextUnderNChars, '--chunk-combine-text-under-n-chars'),
    overlap: positiveInt(flags.chunkOverlap, '--chunk-overlap'),
    overlapAll: flags.chunkOverlapAll,
    includeOrigElements: flags.chunkIncludeOrigElements,
    multipageSections: flags.chunkMultipageSections,
  };
}

/** Flags -> the workflow input (no secrets) and the secrets (for the worker only). One clear line on any problem. */
export function ingestFromFlags(flags: ConfluenceFlags, env: NodeJS.ProcessEnv = process.env): { input: IngestInput; secrets: Secrets } {
  if (!flags.url) throw new ConfigError('missing site URL: give --url https://your-site.atlassian.net or set CONFLUENCE_URL');
  if (!URL.canParse(flags.url)) throw new ConfigError(`--url "${flags.url}" is not a URL: give it as https://your-site.atlassian.net`);
  const { site: resolved, secrets } = resolveAuth({ ...flags, url: flags.url });
  const rate = flags.maxRequestsPerSecond === undefined ? undefined : Number(flags.maxRequestsPerSecond);
  if (rate !== undefined && !(rate > 0)) throw new ConfigError(`--max-requests-per-second must be a positive number, got "${flags.maxRequestsPerSecond}"`);
  const site = { ...resolved, maxRequestsPerSecond: rate };
  const embedding = embeddingFromFlags(flags);
  const partitionApi = partitionApiFromFlags(flags, env);
  const parsed = IngestInputSchema.safeParse({
    site,
    selection: {
      spaces: list(flags.spaces),
      pageIds: list(flags.pageIds),
      cql: flags.cql,
      includeBlogposts: flags.includeBlogposts,
      includeArchived: flags.includeArchived,
      maxNumOfSpaces: positiveInt(flags.maxNumOfSpaces, '--max-num-of-spaces'),
      maxNumOfDocsFromEachSpace: positiveInt(flags.maxNumOfDocsFromEachSpace, '--max-num-of-docs-from-each-space'),
    },
    outputDir: flags.outputDir,
    workDir: flags.workDir,
    maxInFlight: positiveInt(flags.maxInFlight, '--max-in-flight'),
    pageSize: positiveInt(flags.pageSize, '--page-size'),
    reprocess: flags.reprocess,
    deleteMissing: flags.deleteMissing,
    activityTimeoutSeconds: positiveInt(flags.activityTimeout, '--activity-timeout'),
    searchAttributes: flags.searchAttributes,
    taskQueues: { confluence: flags.confluenceTaskQueue, partition: flags.partitionTaskQueue, embed: flags.embedTaskQueue },
    extract: {
      images: flags.extractImages,
      files: flags.extractFiles,
      includeAttachments: flags.includeAttachments,
      forceDownload: flags.forceDownload,
      allowList: flags.allowList === undefined ? undefined : list(flags.allowList),
      maxImageBytes: positiveInt(flags.maxImageBytes, '--max-image-bytes'),
      downloadDir: flags.downloadDir,
    },
    permissions: {
      enabled: flags.permissions,
      maxNumMetadataPermissions: positiveInt(flags.maxNumMetadataPermissions, '--max-num-metadata-permissions'),
      onError: flags.onPermissionError,
    },
    partitionByApi: partitionApi?.config,
    chunking: chunkingFromFlags(flags),
    embedding: embedding?.config,
  });
  if (!parsed.success) throw new ConfigError(`invalid settings: ${describeIssues(parsed.error)}`);
  return { input: parsed.data, secrets: { ...secrets, unstructuredApiKey: partitionApi?.apiKey, embeddingApiKey: embedding?.apiKey } };
}

/** What a standalone worker knows of secrets: its own environment. */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): Secrets {
  return {
    apiToken: env.CONFLUENCE_API_TOKEN,
    password: env.CONFLUENCE_PASSWORD,
    token: env.CONFLUENCE_PERSONAL_ACCESS_TOKEN,
    oauthToken: env.CONFLUENCE_OAUTH_TOKEN,
    unstructuredApiKey: env.UNSTRUCTURED_API_KEY,
    embeddingApiKey: env.EMBEDDING_API_KEY,
  };
}
