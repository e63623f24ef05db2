// Which credential a worker sends where. A worker holds Confluence credentials per site and API keys per endpoint,
// each registered under a URL prefix: a site's origin (scheme, host, port) with its path (a Data Center context path,
// Cloud's /wiki), an endpoint's origin with an optional path. A job names a site and endpoints; the worker sends a
// credential only where one is registered, and a job naming anything else fails at once (NoCredentials, non-retryable)
// before a request is made. Values never appear in messages; URLs do (they say what to register).
import { ApplicationFailure } from '@temporalio/common';
import { normalizeSiteUrl } from '../connectors/confluence/client/url';
import { DEFAULT_OAUTH_GATEWAY, type AuthMode, type ConfluenceSecrets, type Site } from '../connectors/confluence/site';
import { ConfigError } from '../core/configError';
import { clusterUrlOf, type OpenSearchDestination, type PostgresDestination } from '../destinations/config';
import { postgresTarget } from '../core/postgresErrors';
import { DEFAULT_OPENAI_API_BASE, type EmbeddingConfig } from '../steps/embed/config';
import { DEFAULT_PARTITION_ENDPOINT } from '../steps/partition/apiConfig';
import { FAILURE, failureOf } from '../core/failures';
import type { IngestInput, Secrets } from './config';

/** The ApplicationFailure type of a job that names a site or endpoint the worker holds no credential for. */
export const NO_CREDENTIALS = FAILURE.NoCredentials;

/** The credentials of one site: one per sign-in mode the jobs may use. */
export interface SiteCredential extends ConfluenceSecrets {
  /** OAuth: the gateway the token may be sent through (default https://api.atlassian.com). */
  gatewayUrl?: string;
}

export interface EndpointCredential {
  apiKey: string;
}

/** Credentials by URL prefix, as the secrets file holds them. */
export interface CredentialTable {
  sites?: Record<string, SiteCredential>;
  endpoints?: Record<string, EndpointCredential>;
}

/** The lookups activities make (see ActivityDeps). */
export interface CredentialLookups {
  /** The credential for the job's sign-in mode on its site; throws NoCredentials when the worker holds none. */
  secretsFor(site: Site): ConfluenceSecrets;
  /** The API key registered for the longest prefix of the URL; undefined when none is. */
  apiKeyFor(url: string): string | undefined;
}

const SECRET_OF_MODE: Record<AuthMode, { field: keyof ConfluenceSecrets; what: string }> = {
  'api-token': { field: 'apiToken', what: 'API token' },
  password: { field: 'password', what: 'password' },
  pat: { field: 'token', what: 'personal access token' },
  oauth: { field: 'oauthToken', what: 'OAuth access token' },
};

/** Why a URL cannot be a credential's prefix, or undefined when it can. */
function prefixProblem(raw: string): string | undefined {
  if (!URL.canParse(raw)) return 'is not a URL: write it as https://host[:port][/path]';
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not hold a user name or password: put credentials in the entry';
  if (url.search || url.hash) return 'must not have a query or fragment';
  return undefined;
}

function checkedUrl(raw: string, where: string): URL {
  const problem = prefixProblem(raw);
  if (problem) throw new ConfigError(`${where} ${JSON.stringify(raw)} ${problem}`);
  return new URL(raw);
}

/** Origin and path without a trailing slash: the form prefixes are compared in. */
function prefixOf(url: URL): string {
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** A site key: its origin and context path (a pasted UI or REST path after the context is dropped). */
export function siteKey(raw: string, where = 'site'): string {
  checkedUrl(raw, where);
  const { origin, context } = normalizeSiteUrl(raw, false);
  return origin + context;
}

/** An endpoint key: its origin and path. */
export function endpointKey(raw: string, where = 'endpoint'): string {
  return prefixOf(checkedUrl(raw, where));
}

function covers(prefix: string, url: string): boolean {
  return url === prefix || url.startsWith(`${prefix}/`);
}

/** The entry of the longest registered prefix of the URL. */
function longestMatch<T>(table: ReadonlyMap<string, T>, url: string): { prefix: string; entry: T } | undefined {
  let best: { prefix: string; entry: T } | undefined;
  for (const [prefix, entry] of table) {
    if (covers(prefix, url) && (!best || prefix.length > best.prefix.length)) best = { prefix, entry };
  }
  return best;
}

function noCredentials(message: string): ApplicationFailure {
  return ApplicationFailure.create(failureOf(NO_CREDENTIALS, message));
}

/** Where the site's requests go (its origin and context; Cloud's is /wiki), as a credential prefix must cover it. */
function siteBase(site: Site): string {
  const { origin, context } = normalizeSiteUrl(site.url, site.cloud);
  return origin + context;
}

export class WorkerCredentials implements CredentialLookups {
  private readonly sites = new Map<string, SiteCredential>();
  private readonly endpoints = new Map<string, string>();

  /**
   * Later tables win where they register the same prefix. Keys are checked here (a bad one is a ConfigError naming it).
   */
  constructor(...tables: CredentialTable[]) {
    for (const table of tables) {
      for (const [url, entry] of Object.entries(table.sites ?? {})) {
        const gatewayUrl =
          entry.gatewayUrl === undefined ? undefined : endpointKey(entry.gatewayUrl, `gatewayUrl of site ${url}`);
        this.sites.set(siteKey(url), { ...entry, gatewayUrl });
      }
      for (const [url, entry] of Object.entries(table.endpoints ?? {}))
        this.endpoints.set(endpointKey(url), entry.apiKey);
    }
  }

  /** The two lookups as plain functions, for ActivityDeps. */
  lookups(): CredentialLookups {
    return { secretsFor: (site) => this.secretsFor(site), apiKeyFor: (url) => this.apiKeyFor(url) };
  }

  /** The sites and endpoints registered, without their values (for the worker's start-up log). */
  describe(): { sites: string[]; endpoints: string[] } {
    return { sites: [...this.sites.keys()], endpoints: [...this.endpoints.keys()] };
  }

  secretsFor(site: Site): ConfluenceSecrets {
    const base = siteBase(site);
    const match = longestMatch(this.sites, base);
    if (!match) {
      throw noCredentials(
        `this worker holds no credentials for Confluence site ${base}; register it under "sites" in the worker's secrets file (--secrets-file), or start the worker with CONFLUENCE_URL=${base} for its CONFLUENCE_* variables`,
      );
    }
    const { field, what } = SECRET_OF_MODE[site.auth];
    const secret = match.entry[field];
    if (!secret) {
      throw noCredentials(
        `this worker's credentials for Confluence site ${match.prefix} hold no ${what} (the job signs in with ${site.auth}); add "${field}" to that site in the worker's secrets file`,
      );
    }
    if (site.auth === 'oauth' || site.scopedToken) {
      // Through the gateway every API call goes where the job names: the token may go only where it is registered to.
      const allowed = match.entry.gatewayUrl ?? DEFAULT_OAUTH_GATEWAY;
      const asked = endpointKey(site.gatewayUrl, 'gatewayUrl');
      if (asked !== allowed) {
        throw noCredentials(
          `this worker sends the ${what} of Confluence site ${match.prefix} only through ${allowed}, not ${asked}; set "gatewayUrl" of that site in the worker's secrets file to allow another gateway`,
        );
      }
    }
    return { [field]: secret };
  }

  apiKeyFor(url: string): string | undefined {
    return longestMatch(this.endpoints, endpointKey(url))?.entry;
  }

  /** The embedded mode's: what the flags gave, for the one site and the endpoints of the one job they describe. */
  static forJob(input: IngestInput, secrets: Secrets): WorkerCredentials {
    const { apiToken, password, token, oauthToken, unstructuredApiKey, embeddingApiKey } = secrets;
    return new WorkerCredentials(
      oneSiteTable(
        {
          siteUrl: input.site.url,
          gatewayUrl: input.site.gatewayUrl,
          unstructuredApiUrl: input.partitionByApi?.endpoint,
          embeddingApiBase: input.embedding?.apiBase,
        },
        { apiToken, password, token, oauthToken, unstructuredApiKey, embeddingApiKey },
      ),
    );
  }
}

/** Where flat credentials (one of each, as in CONFLUENCE_* env vars) apply. */
export interface FlatScope {
  /** The one site the Confluence secrets are for; required when there are any. */
  siteUrl?: string;
  gatewayUrl?: string;
  /** Default Unstructured's partition endpoint. */
  unstructuredApiUrl?: string;
  /** Default OpenAI's API base. */
  embeddingApiBase?: string;
}

/** Flat credentials bound to the one site and the endpoints they are for. */
export function oneSiteTable(scope: FlatScope, secrets: Secrets): CredentialTable {
  const defined = <T extends object>(value: T) =>
    Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
  const site = defined({
    apiToken: secrets.apiToken,
    password: secrets.password,
    token: secrets.token,
    oauthToken: secrets.oauthToken,
  });
  const table: Required<CredentialTable> = { sites: {}, endpoints: {} };
  if (Object.keys(site).length > 0) {
    if (!scope.siteUrl) {
      throw new ConfigError(
        `the worker's Confluence credentials (${Object.keys(site).join(', ')}, from CONFLUENCE_* variables or a flat secrets file) are for one site, and none is named: set CONFLUENCE_URL (or --url) to that site, or register sites in the secrets file ({"sites": {"https://...": {...}}})`,
      );
    }
    siteKey(scope.siteUrl, 'CONFLUENCE_URL (--url)');
    table.sites[scope.siteUrl] = { ...site, gatewayUrl: scope.gatewayUrl };
  }
  const endpoint = (url: string | undefined, fallback: string, name: string, apiKey: string) => {
    if (url !== undefined) endpointKey(url, name);
    table.endpoints[url ?? fallback] = { apiKey };
  };
  if (secrets.unstructuredApiKey)
    endpoint(scope.unstructuredApiUrl, DEFAULT_PARTITION_ENDPOINT, 'UNSTRUCTURED_API_URL', secrets.unstructuredApiKey);
  if (secrets.embeddingApiKey)
    endpoint(scope.embeddingApiBase, DEFAULT_OPENAI_API_BASE, 'EMBEDDING_API_BASE', secrets.embeddingApiKey);
  return table;
}

/**
 * The Unstructured API key for the job's partition endpoint; fails the step (NoCredentials) when none is registered.
 */
export function partitionApiKey(deps: Pick<CredentialLookups, 'apiKeyFor'>, endpoint: string): string {
  const key = deps.apiKeyFor(endpoint);
  if (key) return key;
  throw noCredentials(
    `this worker holds no API key for the Unstructured API at ${new URL(endpoint).origin}; register it under "endpoints" in the worker's secrets file (--secrets-file), or start the worker with UNSTRUCTURED_API_URL=${endpoint} for its UNSTRUCTURED_API_KEY`,
  );
}

/**
 * The embedding API key for the job's API base. An OpenAI-compatible server of the job's own (Ollama, TEI, vLLM) may
 * need no key, so with none registered it is called without one; OpenAI itself and Azure always need one.
 */
export function embeddingApiKey(
  deps: Pick<CredentialLookups, 'apiKeyFor'>,
  config: EmbeddingConfig,
): string | undefined {
  if (config.provider === 'huggingface') return undefined;
  const base = config.apiBase ?? DEFAULT_OPENAI_API_BASE;
  const key = deps.apiKeyFor(base);
  const keyless = config.provider === 'openai' && endpointKey(base) !== endpointKey(DEFAULT_OPENAI_API_BASE);
  if (key || keyless) return key;
  throw noCredentials(
    `this worker holds no API key for the embedding API at ${new URL(base).origin}; register it under "endpoints" in the worker's secrets file (--secrets-file), or start the worker with EMBEDDING_API_BASE=${base} for its EMBEDDING_API_KEY`,
  );
}

/**
 * The worker's database URL (with its password) for a job's PostgreSQL destination, which names the database without
 * it: the same host, port and database (the user may be spelled differently, e.g. left to PGUSER on one side). Fails
 * the step (NoCredentials) when the worker holds no such URL.
 */
export function databaseUrlFor(databaseUrl: string | undefined, destination: PostgresDestination): string {
  const where = (url: string) => {
    const { host, port, database } = postgresTarget(url, 'destination');
    return `${host}:${port}/${database}`;
  };
  if (databaseUrl && where(databaseUrl) === where(destination.database)) return databaseUrl;
  const held = databaseUrl ? `; it holds one for ${where(databaseUrl)}` : '';
  throw noCredentials(
    `this worker holds no database URL for ${where(destination.database)}${held}: start it with --database-url (or DURABLE_INGEST_DATABASE_URL) set to that database's URL with its password`,
  );
}

/**
 * The worker's URL (with its user and password) for a job's OpenSearch cluster, which the job names without them; a
 * worker that holds no URL reaches the cluster as the job names it (one without security). Fails the step
 * (NoCredentials) when the worker holds a URL for another cluster.
 */
export function opensearchUrlFor(opensearchUrl: string | undefined, destination: OpenSearchDestination): string {
  if (!opensearchUrl) return destination.url;
  if (clusterUrlOf(opensearchUrl) === destination.url) return opensearchUrl;
  throw noCredentials(
    `this worker holds an OpenSearch URL for ${clusterUrlOf(opensearchUrl)}, not ${destination.url}: start it with --opensearch-url (or DURABLE_INGEST_OPENSEARCH_URL) set to that cluster's URL`,
  );
}
