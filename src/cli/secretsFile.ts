// A worker's credentials: its secrets file and its environment, each credential bound to the site or endpoint it is
// for.
// The file is JSON, {"sites": {"<site URL>": {"apiToken": ...}}, "endpoints": {"<API URL>": {"apiKey": ...}}}, or the
// flat form (JSON keys or KEY=value lines, as the CONFLUENCE_* env vars), whose one set is for the site in
// CONFLUENCE_URL.
// Errors name the file, the line or the key, never a value: the file's content is secret.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../core/configError';
import { assertOwnerOnly } from '../core/ownerOnly';
import type { Secrets } from '../pipeline/config';
import {
  type CredentialTable,
  endpointKey,
  type FlatScope,
  oneSiteTable,
  siteKey,
  WorkerCredentials,
} from '../pipeline/credentials';

/** JSON keys and the env-style names of the same secrets (those the worker reads from its environment). */
export const SECRET_ENV_NAMES: Record<keyof Secrets, string> = {
  apiToken: 'CONFLUENCE_API_TOKEN',
  password: 'CONFLUENCE_PASSWORD',
  token: 'CONFLUENCE_PERSONAL_ACCESS_TOKEN',
  oauthToken: 'CONFLUENCE_OAUTH_TOKEN',
  unstructuredApiKey: 'UNSTRUCTURED_API_KEY',
  embeddingApiKey: 'EMBEDDING_API_KEY',
};

/** Where the flat secrets apply, and the env-style names that say so (in the environment or KEY=value lines). */
const SCOPE_ENV_NAMES: Record<keyof Omit<FlatScope, 'gatewayUrl'>, string> = {
  siteUrl: 'CONFLUENCE_URL',
  unstructuredApiUrl: 'UNSTRUCTURED_API_URL',
  embeddingApiBase: 'EMBEDDING_API_BASE',
};

const SECRET_KEYS = Object.keys(SECRET_ENV_NAMES) as (keyof Secrets)[];

/** What a worker's environment holds of secrets. */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): Secrets {
  return definedOnly(
    Object.fromEntries(SECRET_KEYS.map((key) => [key, env[SECRET_ENV_NAMES[key]] || undefined])) as Secrets,
  );
}
const SITE_SECRET_KEYS = ['apiToken', 'password', 'token', 'oauthToken'] as const;
const SITE_KEYS = [...SITE_SECRET_KEYS, 'gatewayUrl'];
const TOP_KEYS = ['sites', 'endpoints', ...SECRET_KEYS];

const secret = z.string().min(1);

const SiteEntrySchema = z
  .strictObject({
    apiToken: secret.optional(),
    password: secret.optional(),
    token: secret.optional(),
    oauthToken: secret.optional(),
    gatewayUrl: secret.optional(),
  })
  .refine((entry) => SITE_SECRET_KEYS.some((key) => entry[key] !== undefined), { params: { noCredential: true } });

const EndpointEntrySchema = z.strictObject({ apiKey: secret });

const JsonSecretsSchema = z.strictObject({
  sites: z.record(z.string(), SiteEntrySchema).optional(),
  endpoints: z.record(z.string(), EndpointEntrySchema).optional(),
  ...(Object.fromEntries(SECRET_KEYS.map((key) => [key, secret.optional()])) as Record<
    keyof Secrets,
    z.ZodOptional<z.ZodString>
  >),
});

/** What a secrets file holds. */
export interface SecretsFile {
  /** The flat secrets (flat JSON keys or KEY=value lines): one set, for the site in CONFLUENCE_URL. */
  flat: Secrets;
  /**
   * KEY=value lines may say where the flat secrets apply (CONFLUENCE_URL, UNSTRUCTURED_API_URL, EMBEDDING_API_BASE).
   */
  scope: FlatScope;
  /** Credentials by site and endpoint (JSON). */
  table: CredentialTable;
}

export function loadSecretsFile(file: string): SecretsFile {
  assertOwnerOnly(file, 'secrets file');
  const text = readFileSync(file, 'utf8');
  const loaded = text.trimStart().startsWith('{') ? parseJson(text, file) : parseEnvStyle(text, file);
  const entries = Object.keys(loaded.table.sites ?? {}).length + Object.keys(loaded.table.endpoints ?? {}).length;
  if (entries === 0 && Object.values(loaded.flat).every((v) => v === undefined)) {
    throw new ConfigError(
      `secrets file ${file} holds no secret: give "sites" and "endpoints" or one of ${SECRET_KEYS.join(', ')} (JSON), or ${Object.values(SECRET_ENV_NAMES).join(', ')} (KEY=value lines)`,
    );
  }
  return loaded;
}

/**
 * The worker's credentials: the secrets file's sites and endpoints, and the flat secrets (its environment, with the
 * file's flat secrets winning) for the one site named by --url, else the file's CONFLUENCE_URL, else the environment's.
 * Where both name the same site or endpoint, the file's entry wins.
 */
export function workerCredentials(
  options: { env?: NodeJS.ProcessEnv; file?: SecretsFile; url?: string } = {},
): WorkerCredentials {
  const { env = process.env, file, url } = options;
  const flat = { ...secretsFromEnv(env), ...definedOnly(file?.flat ?? {}) };
  const scope: FlatScope = {
    siteUrl: url || file?.scope.siteUrl || env.CONFLUENCE_URL || undefined,
    unstructuredApiUrl: file?.scope.unstructuredApiUrl || env.UNSTRUCTURED_API_URL || undefined,
    embeddingApiBase: file?.scope.embeddingApiBase || env.EMBEDDING_API_BASE || undefined,
  };
  return new WorkerCredentials(oneSiteTable(scope, flat), file?.table ?? {});
}

function parseJson(text: string, file: string): SecretsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the mistake, which may be a secret.
    throw new ConfigError(`secrets file ${file} is not valid JSON: check its quotes, commas and braces`);
  }
  const parsed = JsonSecretsSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(`secrets file ${file}: ${parsed.error.issues.map(describeIssue).join('; ')}`);
  const { sites, endpoints, ...flat } = parsed.data;
  const table = { sites, endpoints };
  checkKeys(table, file);
  return { flat: definedOnly(flat), scope: {}, table };
}

/** Every key a URL, and no two naming the same site or endpoint (e.g. with and without a trailing slash). */
function checkKeys(table: CredentialTable, file: string): void {
  const check = (section: 'sites' | 'endpoints', normalize: (url: string, where: string) => string) => {
    const seen = new Map<string, string>();
    for (const url of Object.keys(table[section] ?? {})) {
      const key = normalize(url, `secrets file ${file}: ${section} key`);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        throw new ConfigError(
          `secrets file ${file}: ${section} keys ${JSON.stringify(earlier)} and ${JSON.stringify(url)} name the same URL; keep one`,
        );
      }
      seen.set(key, url);
    }
  };
  check('sites', siteKey);
  check('endpoints', endpointKey);
  for (const [url, entry] of Object.entries(table.sites ?? {})) {
    if (entry.gatewayUrl !== undefined)
      endpointKey(entry.gatewayUrl, `secrets file ${file}: ${pathText(['sites', url, 'gatewayUrl'])}`);
  }
}

/** sites["https://x.atlassian.net"].apiToken: keys that are URLs hold dots, so they are quoted. */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (i === 1 ? `[${JSON.stringify(String(part))}]` : `${i > 1 ? '.' : ''}${String(part)}`))
    .join('');
}

/** The keys an object at this path may hold. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return TOP_KEYS;
  return path[0] === 'sites' ? SITE_KEYS : ['apiKey'];
}

/** Only paths and zod's issue codes: zod's messages for some issues repeat the offending value. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const where = pathText(issue.path) || '(top level)';
  if (issue.code === 'unrecognized_keys')
    return `${where}: unknown key(s) ${issue.keys.join(', ')}; known keys are ${knownKeys(issue.path).join(', ')}`;
  if (issue.code === 'custom') return `${where} holds no credential: give one of ${SITE_SECRET_KEYS.join(', ')}`;
  switch (issue.path.length) {
    case 0:
      return `${where} must be an object, e.g. {"sites": {"https://x.atlassian.net": {"apiToken": "..."}}}`;
    case 1:
      return issue.path[0] === 'sites' || issue.path[0] === 'endpoints'
        ? `${where} must be an object of URLs to entries`
        : `${where} must be a non-empty string`;
    case 2:
      return `${where} must be an object, e.g. ${issue.path[0] === 'sites' ? '{"apiToken": "..."}' : '{"apiKey": "..."}'}`;
    default:
      return `${where} must be a non-empty string`;
  }
}

const ENV_LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/** KEY=value lines (the format of docker's env_file and of dotenv): # comments, optional quotes, `export ` allowed. */
function parseEnvStyle(text: string, file: string): SecretsFile {
  const secretByEnvName = new Map(SECRET_KEYS.map((key) => [SECRET_ENV_NAMES[key], key]));
  const scopeByEnvName = new Map(
    Object.entries(SCOPE_ENV_NAMES).map(([key, name]) => [name, key as keyof typeof SCOPE_ENV_NAMES]),
  );
  const flat: Secrets = {};
  const scope: FlatScope = {};
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = ENV_LINE.exec(trimmed);
    if (!match)
      throw new ConfigError(
        `secrets file ${file} line ${index + 1} is not KEY=value (nor JSON): fix or remove that line`,
      );
    const secretKey = secretByEnvName.get(match[1]);
    const scopeKey = scopeByEnvName.get(match[1]);
    // Other settings (TEMPORAL_ADDRESS, ...) may share the file, as in a compose env_file.
    if (secretKey) flat[secretKey] = unquote(match[2]);
    if (scopeKey) scope[scopeKey] = unquote(match[2]);
  });
  return { flat: definedOnly(flat), scope: definedOnly(scope), table: {} };
}

function unquote(value: string): string | undefined {
  const quoted = /^(['"])(.*)\1$/.exec(value);
  const result = quoted ? quoted[2] : value.replace(/\s+#.*$/, '');
  return result === '' ? undefined : result;
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
