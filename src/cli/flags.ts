// The `confluence` command's flags and env vars -> a job (no secrets) and the secrets (for the in-process worker).
// Every problem is one line that names the flag and the fix.
import { resolveAuth, type AuthInput } from '../connectors/confluence/client/auth';
import { AuthModeSchema, type AuthMode } from '../connectors/confluence/site';
import { ConfigError, describeIssues } from '../core/configError';
import { destinationFromFlags, type DestinationFlags } from '../destinations/config';
import { IngestInputSchema, type IngestInput, type Secrets } from '../pipeline/config';
import { embeddingFromFlags, type EmbeddingFlags } from '../steps/embed/config';
import { partitionApiFromFlags, type PartitionApiFlags } from '../steps/partition/apiConfig';

/** The `confluence` command's flags (commander's camelCase names) after env fallbacks. */
export interface ConfluenceFlags extends Partial<AuthInput>, EmbeddingFlags, PartitionApiFlags, DestinationFlags {
  spaces?: string;
  pageIds?: string;
  cql?: string;
  includeBlogposts?: boolean;
  includeArchived?: boolean;
  labels?: string;
  excludeLabels?: string;
  maxNumOfSpaces?: string;
  maxNumOfDocsFromEachSpace?: string;
  outputDir: string;
  /** The in-process worker's scratch space (embedded mode). */
  workDir: string;
  maxInFlight?: string;
  pageSize?: string;
  reprocess?: boolean;
  deleteMissing?: boolean;
  activityTimeout?: string;
  pageTimeout?: string;
  maxRequestsPerSecond?: string;
  maxConcurrency?: string;
  batchBodies?: boolean;
  confluenceTaskQueue?: string;
  partitionTaskQueue?: string;
  embedTaskQueue?: string;
  searchAttributes?: boolean;
  extractImages?: boolean;
  extractFiles?: boolean;
  includeAttachments?: boolean;
  includeComments?: boolean;
  forceDownload?: boolean;
  allowList?: string;
  maxImageBytes?: string;
  downloadDir?: string;
  permissions?: boolean;
  maxNumMetadataPermissions?: string;
  onPermissionError?: string;
  dropEmoticons?: boolean;
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
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
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

export interface IngestFromFlagsOptions {
  /** The job goes to a cluster whose workers hold the secrets: none is needed here (see jobFromFlags). */
  workersHoldSecrets?: boolean;
}

/** Flags -> the workflow input (no secrets) and the secrets (for the worker only). One clear line on any problem. */
export function ingestFromFlags(
  flags: ConfluenceFlags,
  env: NodeJS.ProcessEnv = process.env,
  options: IngestFromFlagsOptions = {},
): { input: IngestInput; secrets: Secrets } {
  if (!flags.url)
    throw new ConfigError('missing site URL: give --url https://your-site.atlassian.net or set CONFLUENCE_URL');
  if (!URL.canParse(flags.url))
    throw new ConfigError(`--url "${flags.url}" is not a URL: give it as https://your-site.atlassian.net`);
  const { site: resolved, secrets } = resolveAuth({ ...flags, url: flags.url });
  const rate = flags.maxRequestsPerSecond === undefined ? undefined : Number(flags.maxRequestsPerSecond);
  if (rate !== undefined && !(rate > 0))
    throw new ConfigError(`--max-requests-per-second must be a positive number, got "${flags.maxRequestsPerSecond}"`);
  const site = {
    ...resolved,
    maxRequestsPerSecond: rate,
    maxConcurrency: positiveInt(flags.maxConcurrency, '--max-concurrency'),
    batchBodies: flags.batchBodies,
  };
  const embedding = embeddingFromFlags(flags);
  const partitionApi = partitionApiFromFlags(flags, env, { keyRequired: !options.workersHoldSecrets });
  // The URL (and its password) stays with the flags: the in-process worker gets it as a worker setting (RunFlags).
  const { destination } = destinationFromFlags(flags);
  const parsed = IngestInputSchema.safeParse({
    site,
    selection: {
      spaces: list(flags.spaces),
      pageIds: list(flags.pageIds),
      cql: flags.cql,
      includeBlogposts: flags.includeBlogposts,
      includeArchived: flags.includeArchived,
      // Confluence stores labels in lower case, so --labels Draft means the label draft.
      labels: list(flags.labels).map((l) => l.toLowerCase()),
      excludeLabels: list(flags.excludeLabels).map((l) => l.toLowerCase()),
      maxNumOfSpaces: positiveInt(flags.maxNumOfSpaces, '--max-num-of-spaces'),
      maxNumOfDocsFromEachSpace: positiveInt(flags.maxNumOfDocsFromEachSpace, '--max-num-of-docs-from-each-space'),
    },
    outputDir: flags.outputDir,
    destination,
    maxInFlight: positiveInt(flags.maxInFlight, '--max-in-flight'),
    pageSize: positiveInt(flags.pageSize, '--page-size'),
    reprocess: flags.reprocess,
    deleteMissing: flags.deleteMissing,
    activityTimeoutSeconds: positiveInt(flags.activityTimeout, '--activity-timeout'),
    pageTimeoutSeconds: positiveInt(flags.pageTimeout, '--page-timeout'),
    searchAttributes: flags.searchAttributes,
    taskQueues: {
      confluence: flags.confluenceTaskQueue,
      partition: flags.partitionTaskQueue,
      embed: flags.embedTaskQueue,
    },
    extract: {
      images: flags.extractImages,
      files: flags.extractFiles,
      includeAttachments: flags.includeAttachments,
      comments: flags.includeComments,
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
    partition: { dropEmoticons: flags.dropEmoticons },
    chunking: chunkingFromFlags(flags),
    embedding: embedding?.config,
  });
  if (!parsed.success) throw new ConfigError(`invalid settings: ${describeIssues(parsed.error)}`);
  return {
    input: parsed.data,
    secrets: { ...secrets, unstructuredApiKey: partitionApi?.apiKey, embeddingApiKey: embedding?.apiKey },
  };
}

/** Which secret stands for each sign-in mode. */
const SECRET_OF_AUTH: Record<AuthMode, 'apiToken' | 'password' | 'token' | 'oauthToken'> = {
  'api-token': 'apiToken',
  password: 'password',
  pat: 'token',
  oauth: 'oauthToken',
};

/** The flags of a job that may go to a cluster: `--auth` says how the workers sign in. */
export interface JobFlags extends ConfluenceFlags {
  auth?: AuthMode;
}

/**
 * The job, and the Confluence credential this process holds for it: undefined when it holds none, which only a job for
 * a cluster may (its workers hold the credentials; workersHoldSecrets). With --auth only that mode's secret is used;
 * without it the mode is inferred from the one secret given, as unstructured-ingest does.
 */
export function jobFromFlags(
  flags: JobFlags,
  options: IngestFromFlagsOptions,
  env: NodeJS.ProcessEnv = process.env,
): { input: IngestInput; secrets?: Secrets } {
  const withEnv = withEnvFallbacks(flags, env);
  const modes = AuthModeSchema.options;
  if (!flags.auth) {
    if (options.workersHoldSecrets && !modes.some((mode) => withEnv[SECRET_OF_AUTH[mode]])) {
      throw new ConfigError(`say how the workers sign in: give --auth ${modes.join('|')}`);
    }
    return ingestFromFlags(withEnv, env, options);
  }
  const field = SECRET_OF_AUTH[flags.auth];
  const held = withEnv[field] || undefined;
  // The mode is inferred from which secret is present: a stand-in (never sent) declares it when only the workers hold
  // it.
  const declared = options.workersHoldSecrets ? (held ?? 'held-by-workers') : held;
  const only = { apiToken: undefined, password: undefined, token: undefined, oauthToken: undefined, [field]: declared };
  const { input, secrets } = ingestFromFlags({ ...withEnv, ...only }, env, options);
  return { input, secrets: held ? secrets : undefined };
}
