// Credentials bound to their site: a worker sends a Confluence credential only to the site it is registered for, and an
// API key only to its endpoint; a job naming anything else fails at once (NoCredentials, non-retryable), in one line
// that names the URL and the fix, never a value.
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { workerCredentials } from '../../src/cli/secretsFile';
import { IngestInputSchema, type Site, SiteSchema } from '../../src/pipeline/config';
import { embeddingApiKey, NO_CREDENTIALS, partitionApiKey, WorkerCredentials } from '../../src/pipeline/credentials';
import { EmbeddingConfigSchema } from '../../src/steps/embed/config';
import { errorOf } from '../support/errors';

const cloud = (url: string, extra: Partial<Site> = {}) =>
  SiteSchema.parse({ url, cloud: true, auth: 'api-token', username: 'me@example.com', ...extra });
const dc = (url: string, extra: Partial<Site> = {}) => SiteSchema.parse({ url, cloud: false, auth: 'pat', ...extra });

/** The failure a lookup throws, checked to be NoCredentials, non-retryable and one line free of every secret value. */
function noCredentials(run: () => unknown): string {
  let failure: unknown;
  try {
    run();
  } catch (err) {
    failure = err;
  }
  expect(failure).toBeInstanceOf(ApplicationFailure);
  const { type, nonRetryable, message } = failure as ApplicationFailure;
  expect({ type, nonRetryable }).toEqual({ type: NO_CREDENTIALS, nonRetryable: true });
  expect(message).not.toContain('\n');
  for (const value of ['tok-', 'pat-', 'pw-', 'key-', 'oauth-']) expect(message).not.toContain(value);
  return message;
}

describe('sites', () => {
  const credentials = new WorkerCredentials({
    sites: {
      'https://x.atlassian.net': { apiToken: 'tok-x' },
      'https://host.example.com': { token: 'pat-root' },
      'https://host.example.com/confluence/': { token: 'pat-confluence', password: 'pw-confluence' },
      'https://y.atlassian.net': { oauthToken: 'oauth-y' },
      'https://z.atlassian.net/wiki': { oauthToken: 'oauth-z', gatewayUrl: 'http://127.0.0.1:9/' },
    },
  });

  it("gives a site's credential to the site as users copy its URL, and only the job's mode", () => {
    expect(credentials.secretsFor(cloud('https://x.atlassian.net'))).toEqual({ apiToken: 'tok-x' });
    expect(credentials.secretsFor(cloud('https://X.atlassian.net/wiki/spaces/ENG/overview'))).toEqual({
      apiToken: 'tok-x',
    });
    expect(credentials.secretsFor(dc('https://host.example.com/confluence/display/ENG'))).toEqual({
      token: 'pat-confluence',
    });
    expect(
      credentials.secretsFor(dc('https://host.example.com/confluence', { auth: 'password', username: 'u' })),
    ).toEqual({ password: 'pw-confluence' });
  });

  it('takes the longest registered prefix: a context path has its own credential', () => {
    expect(credentials.secretsFor(dc('https://host.example.com'))).toEqual({ token: 'pat-root' });
    expect(credentials.secretsFor(dc('https://host.example.com/wiki2'))).toEqual({ token: 'pat-root' });
    expect(credentials.secretsFor(dc('https://host.example.com/confluence'))).toEqual({ token: 'pat-confluence' });
  });

  it('gives nothing to another scheme, host, port or a look-alike host, naming the site and the fix', () => {
    for (const url of [
      'http://x.atlassian.net',
      'https://x.atlassian.net.evil.example',
      'https://x.atlassian.net:8443',
    ]) {
      const message = noCredentials(() => credentials.secretsFor(cloud(url)));
      expect(message).toContain(`Confluence site ${new URL(url).origin}/wiki;`);
      expect(message).toMatch(/register it under "sites" in the worker's secrets file \(--secrets-file\)/);
    }
    expect(noCredentials(() => credentials.secretsFor(dc('https://evil.example/host.example.com')))).toContain(
      'site https://evil.example/host.example.com;',
    );
  });

  it("fails when the site's entry holds no secret of the job's mode", () => {
    const message = noCredentials(() => credentials.secretsFor(cloud('https://x.atlassian.net', { auth: 'password' })));
    expect(message).toMatch(
      /credentials for Confluence site https:\/\/x\.atlassian\.net hold no password.*add "password"/,
    );
  });

  it('sends an OAuth token only through the gateway registered for it', () => {
    const oauth = (url: string, gatewayUrl?: string) =>
      cloud(url, { auth: 'oauth', username: undefined, cloudId: 'c1', gatewayUrl });
    expect(credentials.secretsFor(oauth('https://y.atlassian.net'))).toEqual({ oauthToken: 'oauth-y' });
    expect(credentials.secretsFor(oauth('https://z.atlassian.net', 'http://127.0.0.1:9'))).toEqual({
      oauthToken: 'oauth-z',
    });
    expect(
      noCredentials(() => credentials.secretsFor(oauth('https://y.atlassian.net', 'https://evil.example'))),
    ).toMatch(
      /OAuth access token of Confluence site https:\/\/y\.atlassian\.net only through https:\/\/api\.atlassian\.com, not https:\/\/evil\.example/,
    );
    // A scoped API token goes through the gateway too: the same rule keeps it from a gateway the worker does not trust.
    const scoped = cloud('https://x.atlassian.net', {
      scopedToken: true,
      cloudId: 'c1',
      gatewayUrl: 'https://evil.example',
    });
    expect(noCredentials(() => credentials.secretsFor(scoped))).toMatch(
      /API token of Confluence site https:\/\/x\.atlassian\.net only through https:\/\/api\.atlassian\.com, not https:\/\/evil\.example/,
    );
    expect(() => credentials.secretsFor(oauth('https://z.atlassian.net'))).toThrow(
      /only through http:\/\/127\.0\.0\.1:9, not https:\/\/api\.atlassian\.com/,
    );
  });
});

describe('endpoints', () => {
  const credentials = new WorkerCredentials({
    endpoints: {
      'https://api.unstructuredapp.io': { apiKey: 'key-unstructured' },
      'https://api.openai.com/v1': { apiKey: 'key-openai' },
      'https://res.openai.azure.com': { apiKey: 'key-azure' },
      'http://gpu.internal:8080/team-a': { apiKey: 'key-team-a' },
    },
  });
  const embedding = (config: object) => EmbeddingConfigSchema.parse(config);

  it('finds a key by the longest prefix of the URL, on path boundaries', () => {
    expect(partitionApiKey(credentials, 'https://api.unstructuredapp.io/general/v0/general')).toBe('key-unstructured');
    expect(credentials.apiKeyFor('http://gpu.internal:8080/team-a/v1')).toBe('key-team-a');
    expect(credentials.apiKeyFor('http://gpu.internal:8080/team-ab/v1')).toBeUndefined();
    expect(credentials.apiKeyFor('https://api.unstructuredapp.io.evil.example/general/v0/general')).toBeUndefined();
  });

  it('fails a partition endpoint with no key, naming its origin and the fix', () => {
    const message = noCredentials(() => partitionApiKey(credentials, 'https://evil.example/general/v0/general'));
    expect(message).toMatch(
      /no API key for the Unstructured API at https:\/\/evil\.example; register it under "endpoints" in the worker's secrets file/,
    );
  });

  it("gives embedding keys to their API base only; a job's own OpenAI-compatible server is called without one", () => {
    expect(embeddingApiKey(credentials, embedding({ provider: 'openai' }))).toBe('key-openai');
    expect(
      embeddingApiKey(credentials, embedding({ provider: 'azure-openai', apiBase: 'https://res.openai.azure.com/' })),
    ).toBe('key-azure');
    expect(embeddingApiKey(credentials, embedding({ provider: 'huggingface' }))).toBeUndefined();
    expect(
      embeddingApiKey(credentials, embedding({ provider: 'openai', apiBase: 'http://localhost:11434/v1' })),
    ).toBeUndefined();
    expect(
      noCredentials(() =>
        embeddingApiKey(
          credentials,
          embedding({ provider: 'azure-openai', apiBase: 'https://other.openai.azure.com' }),
        ),
      ),
    ).toMatch(/no API key for the embedding API at https:\/\/other\.openai\.azure\.com/);
    expect(noCredentials(() => embeddingApiKey(new WorkerCredentials(), embedding({ provider: 'openai' })))).toMatch(
      /https:\/\/api\.openai\.com/,
    );
  });
});

describe("the worker's flat credentials (CONFLUENCE_* env vars, a flat secrets file)", () => {
  const env = {
    CONFLUENCE_URL: 'https://x.atlassian.net',
    CONFLUENCE_API_TOKEN: 'tok-env',
    UNSTRUCTURED_API_KEY: 'key-env-unstructured',
    EMBEDDING_API_KEY: 'key-env-embedding',
  };

  it("are for the site in CONFLUENCE_URL and the default endpoints (UNSTRUCTURED_API_URL's, EMBEDDING_API_BASE's when set)", () => {
    const credentials = workerCredentials({ env });
    expect(credentials.secretsFor(cloud('https://x.atlassian.net/wiki'))).toEqual({ apiToken: 'tok-env' });
    noCredentials(() => credentials.secretsFor(cloud('https://other.atlassian.net')));
    expect(credentials.apiKeyFor('https://api.unstructuredapp.io/general/v0/general')).toBe('key-env-unstructured');
    expect(credentials.apiKeyFor('https://api.openai.com/v1')).toBe('key-env-embedding');
    const moved = workerCredentials({
      env: {
        ...env,
        UNSTRUCTURED_API_URL: 'http://unstructured.internal/general/v0/general',
        EMBEDDING_API_BASE: 'http://llm.internal/v1',
      },
    });
    expect(moved.apiKeyFor('https://api.unstructuredapp.io/general/v0/general')).toBeUndefined();
    expect(moved.apiKeyFor('http://unstructured.internal/general/v0/general')).toBe('key-env-unstructured');
    expect(moved.apiKeyFor('http://llm.internal/v1')).toBe('key-env-embedding');
  });

  it('name their site by --url first, then a KEY=value file, then the environment; file entries win for their site', () => {
    const file = {
      flat: { apiToken: 'tok-file' },
      scope: { siteUrl: 'https://file.atlassian.net' },
      table: { sites: { 'https://registered.atlassian.net': { apiToken: 'tok-registered' } } },
    };
    const byFlag = workerCredentials({ env, file, url: 'https://flag.atlassian.net' });
    expect(byFlag.secretsFor(cloud('https://flag.atlassian.net'))).toEqual({ apiToken: 'tok-file' });
    expect(byFlag.describe().sites.sort()).toEqual(['https://flag.atlassian.net', 'https://registered.atlassian.net']);
    expect(workerCredentials({ env, file }).secretsFor(cloud('https://file.atlassian.net'))).toEqual({
      apiToken: 'tok-file',
    });
    const both = workerCredentials({
      env,
      file: {
        ...file,
        scope: {},
        table: { sites: { 'https://x.atlassian.net/wiki': { apiToken: 'tok-registered' } } },
      },
    });
    expect(both.secretsFor(cloud('https://x.atlassian.net'))).toEqual({ apiToken: 'tok-registered' });
  });

  it('refuse to start when no site is named for them, in one line', () => {
    const message = errorOf(() => workerCredentials({ env: { CONFLUENCE_API_TOKEN: 'tok-env' } }));
    expect(message).toMatch(
      /the worker's Confluence credentials \(apiToken, .*\) are for one site, and none is named: set CONFLUENCE_URL \(or --url\)/,
    );
    expect(message).not.toContain('tok-env');
    expect(workerCredentials({ env: { UNSTRUCTURED_API_KEY: 'key-env' } }).describe()).toEqual({
      sites: [],
      endpoints: [expect.stringContaining('unstructuredapp')],
    });
    expect(errorOf(() => workerCredentials({ env: { ...env, CONFLUENCE_URL: 'x.atlassian.net' } }))).toMatch(
      /CONFLUENCE_URL \(--url\) "x\.atlassian\.net" is not a URL/,
    );
  });
});

it("the embedded mode's credentials are the flags', for the job's own site and endpoints", () => {
  const job = IngestInputSchema.parse({
    site: { url: 'https://x.atlassian.net', cloud: true, auth: 'api-token', username: 'me@example.com' },
    partitionByApi: { endpoint: 'http://unstructured.internal/general/v0/general' },
    embedding: { provider: 'openai', apiBase: 'http://llm.internal/v1' },
  });
  const credentials = WorkerCredentials.forJob(job, {
    apiToken: 'tok-flag',
    unstructuredApiKey: 'key-u',
    embeddingApiKey: 'key-e',
  });
  expect(credentials.secretsFor(job.site)).toEqual({ apiToken: 'tok-flag' });
  expect(partitionApiKey(credentials, job.partitionByApi!.endpoint)).toBe('key-u');
  expect(embeddingApiKey(credentials, job.embedding!)).toBe('key-e');
  noCredentials(() => credentials.secretsFor(cloud('https://y.atlassian.net')));
});
