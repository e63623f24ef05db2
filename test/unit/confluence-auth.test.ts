// Every auth mode against the simulator: right credentials read, wrong ones fail with a one-line fix and no secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeConfluencePools,
  ConfluenceConfigError,
  ConfluenceError,
  createConfluenceClient,
  resolveAuth,
  withCloudId,
  type AuthInput,
} from '../../src/connectors/confluence/client';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { attachmentBytes } from '../../simulator/files';
import { toActivityFailure } from '../../src/connectors/confluence/client/failures';

let cloud: RunningSimulator;
let dc: RunningSimulator;

beforeAll(async () => {
  [cloud, dc] = await Promise.all([
    startSimulator({ mode: 'cloud', seed: 5, spaces: 2, pagesPerSpace: 5 }),
    startSimulator({ mode: 'dc', seed: 5, spaces: 2, pagesPerSpace: 5 }),
  ]);
});

afterAll(async () => {
  await closeConfluencePools();
  await Promise.all([cloud?.close(), dc?.close()]);
});

const WRONG = 'WRONG-SECRET-value';

interface Mode {
  name: string;
  input: () => AuthInput;
  wrong: () => AuthInput;
  fix: RegExp;
}

const modes: Mode[] = [
  {
    name: 'Cloud email + API token',
    input: () => ({
      url: `${cloud.url}/wiki`,
      cloud: true,
      username: cloud.credentials.username,
      apiToken: cloud.credentials.apiToken,
    }),
    wrong: () => ({ url: cloud.url, cloud: true, username: cloud.credentials.username, apiToken: WRONG }),
    fix: /check --username \(the account email on Cloud\) and --api-token/,
  },
  {
    name: 'Cloud OAuth access token through the gateway',
    input: () => ({
      url: cloud.url,
      cloud: true,
      oauthToken: cloud.credentials.oauthToken,
      cloudId: cloud.cloudId,
      gatewayUrl: cloud.origin,
    }),
    wrong: () => ({ url: cloud.url, cloud: true, oauthToken: WRONG, cloudId: cloud.cloudId, gatewayUrl: cloud.origin }),
    fix: /OAuth access token is invalid or expired; pass a fresh one with --oauth-token/,
  },
  {
    name: 'Cloud email + scoped API token through the gateway',
    input: () => ({
      url: cloud.url,
      username: cloud.credentials.username,
      apiToken: cloud.credentials.scopedApiToken,
      scopedToken: true,
      cloudId: cloud.cloudId,
      gatewayUrl: cloud.origin,
    }),
    wrong: () => ({
      url: cloud.url,
      username: cloud.credentials.username,
      apiToken: WRONG,
      scopedToken: true,
      cloudId: cloud.cloudId,
      gatewayUrl: cloud.origin,
    }),
    fix: /--api-token \(a scoped token with Confluence read scopes\) and --cloud-id/,
  },
  {
    name: 'Data Center username + password',
    input: () => ({ url: dc.url, username: dc.credentials.username, password: dc.credentials.password }),
    wrong: () => ({ url: dc.url, username: dc.credentials.username, password: WRONG }),
    fix: /check --username and --password/,
  },
  {
    name: 'Data Center personal access token',
    input: () => ({ url: dc.url, token: dc.credentials.pat }),
    wrong: () => ({ url: dc.url, token: WRONG }),
    fix: /check --token \(a Data Center personal access token/,
  },
];

describe.each(modes)('$name', (mode) => {
  it('reads spaces and a page body with the right credentials', async () => {
    const { site, secrets } = resolveAuth(mode.input());
    const client = createConfluenceClient(site, secrets);
    const spaces = await client.listSpaces({ limit: 10 });
    expect(spaces.items.length).toBe(2);
    const page = (await client.listPages(spaces.items[0], { limit: 1 })).items[0];
    const { ref, html } = await client.getPage(page.id);
    expect(ref.id).toBe(page.id);
    expect(html.length).toBeGreaterThan(0);
  });

  it('fails wrong credentials with a non-retryable auth error naming the fix', async () => {
    const { site, secrets } = resolveAuth(mode.wrong());
    const err = await createConfluenceClient(site, secrets)
      .listSpaces({ limit: 10 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfluenceError);
    const e = err as ConfluenceError;
    expect([e.kind, e.status, e.retryable]).toEqual(['auth', 401, false]);
    expect(e.message).toMatch(mode.fix);
    expect(e.message).not.toContain(WRONG);
    expect(e.message).not.toMatch(/\n/);
  });
});

it('points a 404 through the OAuth gateway at --cloud-id', async () => {
  const wrongId = resolveAuth({ ...modes[1].input(), cloudId: 'not-this-site' });
  const err = await createConfluenceClient(wrongId.site, wrongId.secrets)
    .listSpaces({ limit: 10 })
    .catch((e: unknown) => e);
  expect((err as ConfluenceError).kind).toBe('not-found');
  expect((err as ConfluenceError).message).toMatch(/, and --cloud-id$/);
});

it('downloads attachments through the OAuth gateway (v1 download API, which redirects to the media host)', async () => {
  const { site, secrets } = resolveAuth(modes[1].input());
  const client = createConfluenceClient(site, secrets);
  const page = cloud.site.pages.find((p) => p.attachments.length > 0)!;
  const [att] = (await client.listAttachments(page.id, { limit: 50 })).items;
  expect(
    att.downloadUrl.startsWith(
      `${cloud.origin}/ex/confluence/${cloud.cloudId}/wiki/rest/api/content/${page.id}/child/attachment/`,
    ),
  ).toBe(true);
  const { body } = await client.download(att.downloadUrl);
  expect(body.equals(attachmentBytes(page.attachments.find((a) => a.id === att.id)!, cloud.options.seed))).toBe(true);
});

describe('a credential that expires mid-run', () => {
  it('through the OAuth gateway (404 on v2, 403 on v1) fails as refused credentials naming the expiry, not as gone', async () => {
    const { site, secrets } = resolveAuth(modes[1].input());
    const client = createConfluenceClient(site, secrets);
    const page = cloud.site.pages.find((p) => p.type === 'page')!;
    await client.getPage(page.id);
    cloud.setFaults({ expireAfterRequests: 0 });
    try {
      const err = (await client.getPage(page.id).catch((e: unknown) => e)) as ConfluenceError;
      expect(err.kind).toBe('auth');
      expect(err.message).toMatch(
        new RegExp(
          `^${cloud.origin} no longer accepts the credentials of the OAuth token’s user: they have expired or were revoked ` +
            `\\(404 on GET /ex/confluence/${cloud.cloudId}/wiki/api/v2/pages/${page.id}, and 403 on GET [^)]+/wiki/rest/api/user/current\\); ` +
            'the OAuth access token is invalid or expired',
        ),
      );
      // The failure that stops a run (exit 3), wherever it is met.
      expect(toActivityFailure(err)).toMatchObject({ type: 'ConfluenceAuth' });
      // Held: the next read fails the same way, naming the request that met the expiry, without asking the site.
      const requests = cloud.stats.total;
      await expect(client.listSpaces({ limit: 10 })).rejects.toMatchObject({ kind: 'auth', message: err.message });
      expect(cloud.stats.total).toBe(requests);
    } finally {
      cloud.setFaults({});
    }
  });

  it('with an API token, is the 401 it always was', async () => {
    const { site, secrets } = resolveAuth(modes[0].input());
    const client = createConfluenceClient(site, secrets);
    cloud.setFaults({ expireAfterRequests: 0 });
    try {
      await expect(client.listSpaces({ limit: 10 })).rejects.toMatchObject({ kind: 'auth', status: 401 });
    } finally {
      cloud.setFaults({});
    }
  });
});

describe('scoped API tokens', () => {
  const scoped = () => ({
    url: cloud.url,
    username: cloud.credentials.username,
    apiToken: cloud.credentials.scopedApiToken,
  });

  it("reads the cloud id from the site's /_edge/tenant_info and goes through the gateway with it", async () => {
    const { site, secrets } = resolveAuth({ ...scoped(), scopedToken: true, gatewayUrl: cloud.origin });
    expect([site.cloud, site.cloudId]).toEqual([true, undefined]);
    const found = await withCloudId(site);
    expect(found.cloudId).toBe(cloud.cloudId);
    cloud.stats.reset();
    expect((await createConfluenceClient(found, secrets).listSpaces({ limit: 10 })).items.length).toBe(2);
    expect(cloud.stats.byStatus.get(200)).toBeGreaterThan(0);
    expect(cloud.stats.byStatus.get(401)).toBeUndefined();
  });

  it('is refused at the site URL, and the 401 says to pass --scoped-token', async () => {
    const { site, secrets } = resolveAuth({ ...scoped(), cloud: true });
    const err = (await createConfluenceClient(site, secrets)
      .listSpaces({ limit: 10 })
      .catch((e: unknown) => e)) as ConfluenceError;
    expect([err.kind, err.status]).toEqual(['auth', 401]);
    expect(err.message).toMatch(/a scoped API token needs --scoped-token/);
  });

  it('a classic token is refused through the gateway', async () => {
    const input = { ...scoped(), apiToken: cloud.credentials.apiToken, scopedToken: true, gatewayUrl: cloud.origin };
    const { site, secrets } = resolveAuth({ ...input, cloudId: cloud.cloudId });
    const err = await createConfluenceClient(site, secrets)
      .listSpaces({ limit: 10 })
      .catch((e: unknown) => e);
    expect((err as ConfluenceError).status).toBe(401);
  });

  it('needs an API token, and names the cloud id lookup when the site has none', async () => {
    expect(() => resolveAuth({ url: cloud.url, token: 'pat', scopedToken: true })).toThrow(
      /^--scoped-token is for a Cloud API token with scopes; pass it with --username and --api-token$/,
    );
    const nowhere = resolveAuth({ ...scoped(), url: 'http://127.0.0.1:9', scopedToken: true });
    const err = await withCloudId(nowhere.site).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfluenceConfigError);
    expect((err as Error).message).toMatch(
      /^could not read the cloud id from http:\/\/127\.0\.0\.1:9\/_edge\/tenant_info \(.*\); pass it with --cloud-id$/,
    );
  });
});
