// The `confluence` command's flags and env vars -> a job (no secrets) and the secrets (for the in-process worker).
// Every problem is one line that names the flag and the fix.
import { withCloudId } from '../connectors/confluence/client';
import { resolveAuth } from '../connectors/confluence/client/auth';
import { AuthModeSchema, type AuthMode, type ConfluenceSecrets, type Site } from '../connectors/confluence/site';
import { ConfigError, describeIssues } from '../core/configError';
import { destinationFromFlags } from '../destinations/config';
import { IngestInputSchema, type IngestInput, type Secrets } from '../pipeline/config';
import { embeddingFromFlags } from '../steps/embed/config';
import { partitionApiFromFlags } from '../steps/partition/apiConfig';
import { checkFlagConflicts } from './flagConflicts';
import {
  type ConfluenceJobFlags,
  type CREDENTIAL_OPTIONS,
  type InProcessFlags,
  JOB_OPTIONS,
} from './options/confluence';
import type { DestinationOptionFlags } from './options/destination';
import { SITE_OPTION_TABLES, type SiteFlags } from './options/site';
import { flagReader } from './options/spec';

/** The flags of a job (commander's camelCase names), as declared in the option tables, after env fallbacks. */
export type JobFlags = SiteFlags & ConfluenceJobFlags & DestinationOptionFlags & InProcessFlags;

const JOB_FLAG_OPTIONS = { ...SITE_OPTION_TABLES, ...JOB_OPTIONS } as const;
type FlagReader = ReturnType<typeof flagReader<typeof JOB_FLAG_OPTIONS>>;

/** Env vars fill what flags leave out, as unstructured-ingest does. */
export function withEnvFallbacks<F extends Omit<SignInFlags, 'auth' | 'cloud'>>(
  flags: F,
  env: NodeJS.ProcessEnv = process.env,
): F {
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

function chunkingFromFlags(flags: JobFlags, read: FlagReader): unknown {
  if (!flags.chunkingStrategy) return undefined;
  return {
    strategy: flags.chunkingStrategy,
    maxCharacters: read('chunkMaxCharacters'),
    newAfterNChars: read('chunkNewAfterNChars'),
    combineTextUnderNChars: read('chunkCombineTextUnderNChars'),
    overlap: read('chunkOverlap'),
    overlapAll: flags.chunkOverlapAll,
    includeOrigElements: flags.chunkIncludeOrigElements,
    multipageSections: flags.chunkMultipageSections,
  };
}

function siteUrlOf(url: string | undefined): string {
  if (!url) throw new ConfigError('missing site URL: give --url https://your-site.atlassian.net or set CONFLUENCE_URL');
  if (!URL.canParse(url))
    throw new ConfigError(`--url "${url}" is not a URL: give it as https://your-site.atlassian.net`);
  return url;
}

export interface IngestFromFlagsOptions {
  /** The job goes to a cluster whose workers hold the secrets: none is needed here (see jobFromFlags). */
  workersHoldSecrets?: boolean;
}

/** Flags -> the workflow input (no secrets) and the secrets (for the worker only). One clear line on any problem. */
export function ingestFromFlags(
  flags: JobFlags,
  env: NodeJS.ProcessEnv = process.env,
  options: IngestFromFlagsOptions = {},
): { input: IngestInput; secrets: Secrets } {
  const { site: resolved, secrets } = resolveAuth({ ...flags, url: siteUrlOf(flags.url) });
  const read = flagReader(JOB_FLAG_OPTIONS, flags);
  const site = {
    ...resolved,
    maxRequestsPerSecond: read('maxRequestsPerSecond'),
    maxConcurrency: read('maxConcurrency'),
    batchBodies: flags.batchBodies,
  };
  const embedding = embeddingFromFlags(flags);
  const partitionApi = partitionApiFromFlags(flags, env, { keyRequired: !options.workersHoldSecrets });
  // The URL (and its password) stays with the flags: the in-process worker gets it as a worker setting (RunFlags).
  const { destination } = destinationFromFlags(flags);
  const parsed = IngestInputSchema.safeParse({
    site,
    selection: {
      spaces: read('spaces'),
      pageIds: read('pageIds'),
      cql: flags.cql,
      includeBlogposts: flags.includeBlogposts,
      includeArchived: flags.includeArchived,
      // Confluence stores labels in lower case, so --labels Draft means the label draft.
      labels: read('labels')?.map((l) => l.toLowerCase()),
      excludeLabels: read('excludeLabels')?.map((l) => l.toLowerCase()),
      contentTypes: read('contentTypes'),
      maxNumOfSpaces: read('maxNumOfSpaces'),
      maxNumOfDocsFromEachSpace: read('maxNumOfDocsFromEachSpace'),
    },
    outputDir: flags.outputDir,
    destination,
    maxInFlight: read('maxInFlight'),
    pageSize: read('pageSize'),
    reprocess: flags.reprocess,
    deleteMissing: flags.deleteMissing,
    maxDeletePercent: read('maxDelete'),
    permissionsOnly: flags.permissionsOnly,
    activityTimeoutSeconds: read('activityTimeout'),
    pageTimeoutSeconds: read('pageTimeout'),
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
      allowList: read('allowList'),
      maxImageBytes: read('maxImageBytes'),
      downloadDir: flags.downloadDir,
    },
    permissions: {
      enabled: flags.permissions,
      maxNumMetadataPermissions: read('maxNumMetadataPermissions'),
      onError: flags.onPermissionError,
    },
    partitionByApi: partitionApi?.config,
    partition: { dropEmoticons: flags.dropEmoticons },
    chunking: chunkingFromFlags(flags, read),
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
  checkFlagConflicts(flags);
  const withEnv = withEnvFallbacks(flags, env);
  const modes = AuthModeSchema.options;
  if (!flags.auth) {
    if (options.workersHoldSecrets && !modes.some((mode) => withEnv[SECRET_OF_AUTH[mode]])) {
      throw new ConfigError(`say how the workers sign in: give --auth ${modes.join('|')}`);
    }
    return ingestFromFlags(withEnv, env, options);
  }
  const held = withEnv[SECRET_OF_AUTH[flags.auth]] || undefined;
  // The mode is inferred from which secret is present: a stand-in (never sent) declares it when only the workers hold
  // it.
  const declared = options.workersHoldSecrets ? (held ?? 'held-by-workers') : held;
  const { input, secrets } = ingestFromFlags({ ...withEnv, ...onlySecret(flags.auth, declared) }, env, options);
  return { input, secrets: held ? secrets : undefined };
}

/** With --auth, that mode's secret alone: others the environment holds are set aside. */
function onlySecret(mode: AuthMode, value: string | undefined): Pick<JobFlags, (typeof SECRET_OF_AUTH)[AuthMode]> {
  return {
    apiToken: undefined,
    password: undefined,
    token: undefined,
    oauthToken: undefined,
    [SECRET_OF_AUTH[mode]]: value,
  };
}

/** The flags that say where the site is and how to sign in to it, as `confluence` takes them. */
export type SignInFlags = Pick<JobFlags, 'url' | 'username' | 'auth' | 'cloud' | keyof typeof CREDENTIAL_OPTIONS>;

/**
 * The site and this process's credential for it, from the sign-in flags after env fallbacks, for a command that only
 * reads the site (`explain --ask-site`).
 */
export async function signInFromFlags(
  flags: SignInFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ site: Site; secrets: ConfluenceSecrets }> {
  const withEnv = withEnvFallbacks(flags, env);
  const chosen = flags.auth ? { ...withEnv, ...onlySecret(flags.auth, withEnv[SECRET_OF_AUTH[flags.auth]]) } : withEnv;
  const { site, secrets } = resolveAuth({ ...chosen, url: siteUrlOf(chosen.url) });
  return { site: await withCloudId(site), secrets };
}
