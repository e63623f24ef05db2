// The one source of the pipeline's configuration: CLI flags, env vars and workflow input all parse through here.
// Nothing secret lives in these schemas: credentials are resolved by the worker (see SecretsSchema).
import { z } from 'zod';
import { ConfigError, describeIssues } from './configError';
import { ChunkingConfigSchema } from './chunking/config';
import { EmbeddingConfigSchema } from './embedding/config';
import { PartitionApiConfigSchema } from './partition/apiConfig';

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
});
export type Site = z.infer<typeof SiteSchema>;

/** Secrets: held by the worker process only, never in workflow input, activity arguments or results. */
export interface Secrets {
  apiToken?: string;
  password?: string;
  token?: string;
  oauthToken?: string;
}

export const SelectionSchema = z.object({
  spaces: z.array(z.string().min(1)).default([]),
  maxNumOfSpaces: z.number().int().positive().default(500),
  maxNumOfDocsFromEachSpace: z.number().int().positive().default(100),
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

/** The `confluence` command's flags after env fallbacks; secrets are split off before anything reaches Temporal. */
export interface ConfluenceFlags {
  url?: string;
  username?: string;
  apiToken?: string;
  password?: string;
  token?: string;
  cloud?: boolean;
  spaces?: string;
  maxNumOfSpaces?: string;
  maxNumOfDocsFromEachSpace?: string;
  outputDir: string;
  workDir: string;
  maxInFlight?: string;
  pageSize?: string;
  reprocess?: boolean;
  deleteMissing?: boolean;
}



function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

function authMode(flags: ConfluenceFlags): Site['auth'] {
  const given = [flags.apiToken && '--api-token', flags.password && '--password', flags.token && '--token'].filter(Boolean);
  if (given.length > 1) throw new ConfigError(`give only one of ${given.join(', ')}: they are different ways to sign in`);
  if (flags.token) return 'pat';
  if (!flags.username) {
    throw new ConfigError('missing credentials: give --username with --api-token (Cloud) or --password (Data Center), or --token (a PAT)');
  }
  if (flags.apiToken) return 'api-token';
  if (flags.password) {
    if (flags.cloud) throw new ConfigError('Confluence Cloud does not accept passwords: use --api-token with --cloud');
    return 'password';
  }
  throw new ConfigError(`missing secret for user ${flags.username}: give --api-token (CONFLUENCE_API_TOKEN) or --password (CONFLUENCE_PASSWORD)`);
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
  };
}

export function ingestFromFlags(flags: ConfluenceFlags): { input: IngestInput; secrets: Secrets } {
  if (!flags.url) throw new ConfigError('missing site URL: give --url https://your-site.atlassian.net or set CONFLUENCE_URL');
  if (!URL.canParse(flags.url)) throw new ConfigError(`--url "${flags.url}" is not a URL: give it as https://your-site.atlassian.net`);
  const auth = authMode(flags);
  const parsed = IngestInputSchema.safeParse({
    site: { url: flags.url, cloud: flags.cloud ?? false, auth, username: flags.username },
    selection: {
      spaces: (flags.spaces ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      maxNumOfSpaces: positiveInt(flags.maxNumOfSpaces, '--max-num-of-spaces'),
      maxNumOfDocsFromEachSpace: positiveInt(flags.maxNumOfDocsFromEachSpace, '--max-num-of-docs-from-each-space'),
    },
    outputDir: flags.outputDir,
    workDir: flags.workDir,
    maxInFlight: positiveInt(flags.maxInFlight, '--max-in-flight'),
    pageSize: positiveInt(flags.pageSize, '--page-size'),
    reprocess: flags.reprocess,
    deleteMissing: flags.deleteMissing,
  });
  if (!parsed.success) throw new ConfigError(`invalid settings: ${describeIssues(parsed.error)}`);
  return { input: parsed.data, secrets: { apiToken: flags.apiToken, password: flags.password, token: flags.token } };
}

/** What a standalone worker knows of secrets: its own environment. */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): Secrets {
  return {
    apiToken: env.CONFLUENCE_API_TOKEN,
    password: env.CONFLUENCE_PASSWORD,
    token: env.CONFLUENCE_PERSONAL_ACCESS_TOKEN,
    oauthToken: env.CONFLUENCE_OAUTH_TOKEN,
  };
}
