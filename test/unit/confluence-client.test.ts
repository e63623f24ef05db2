// The client against the simulator over real HTTP: listing, paging, bodies, auth failures, unknown keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeConfluencePools,
  ConfluenceError,
  createConfluenceClient,
  resolveAuth,
  type ConfluenceClient,
  type SpaceRef,
} from '../../src/connectors/confluence/client';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { attachmentBytes } from '../../simulator/files';
import { attachmentDownload } from '../../simulator/links';

let sim: RunningSimulator;

function cloudClient(overrides: { apiToken?: string; password?: string } = {}): ConfluenceClient {
  const { site, secrets } = resolveAuth({
    url: sim.url,
    cloud: true,
    username: sim.credentials.username,
    ...(overrides.password
      ? { password: overrides.password }
      : { apiToken: overrides.apiToken ?? sim.credentials.apiToken }),
  });
  return createConfluenceClient(site, secrets, { retry: { baseDelayMs: 5 } });
}

function expectedPageIds(spaceId: string): string[] {
  const me = sim.site.users[0].id;
  return sim.site
    .pagesOf(spaceId)
    .filter((p) => p.type === 'page' && p.status === 'current' && sim.site.canView(me, p.id))
    .map((p) => p.id);
}

async function allPages(client: ConfluenceClient, space: SpaceRef, limit: number) {
  const refs = [];
  let cursor: string | undefined;
  let calls = 0;
  do {
    const page = await client.listPages(space, { cursor, limit });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    refs.push(...page.items);
    cursor = page.next;
    calls++;
  } while (cursor);
  return { refs, calls };
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, spaces: 3, pagesPerSpace: 60, v1Removed: true });
});

afterAll(async () => {
  await closeConfluencePools();
  await sim?.close();
});

describe('Cloud v2 client', () => {
  it('lists every visible space across cursor pages', async () => {
    const client = cloudClient();
    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listSpaces({ cursor, limit: 1 });
      keys.push(...page.items.map((s) => s.key));
      cursor = page.next;
    } while (cursor);
    const visible = sim.site.spaces.filter((s) => sim.site.canViewSpace(sim.site.users[0].id, s.id)).map((s) => s.key);
    expect(keys.sort()).toEqual(visible.sort());
  });

  it('reports requested space keys that do not exist', async () => {
    const client = cloudClient();
    const known = sim.site.spaces[0].key;
    const { found, missing } = await client.resolveSpaces([known, 'NOPE']);
    expect(found.map((s) => s.key)).toEqual([known]);
    expect(missing).toEqual(['NOPE']);
  });

  it('reads exactly the current visible pages of a space with small pages', async () => {
    const client = cloudClient();
    const space = sim.site.spaces[0];
    const ref = { id: space.id, key: space.key, name: space.name };
    const { refs, calls } = await allPages(client, ref, 7);
    const expected = expectedPageIds(space.id);
    expect(refs.map((r) => r.id).sort()).toEqual([...expected].sort());
    expect(new Set(refs.map((r) => r.id)).size).toBe(refs.length);
    expect(calls).toBe(Math.ceil(expected.length / 7));
    for (const r of refs) {
      expect(r.spaceKey).toBe(space.key);
      expect(r.url.startsWith(`${sim.origin}/wiki/spaces/${space.key}/pages/${r.id}`)).toBe(true);
    }
  });

  it('fetches a page body (view) with a ref equal to the listed one', async () => {
    const client = cloudClient();
    const space = sim.site.spaces[0];
    const listed = (await client.listPages({ id: space.id, key: space.key, name: space.name }, { limit: 5 })).items[0];
    const { ref, html } = await client.getPage(listed.id);
    expect(ref).toEqual(listed);
    expect(html).toContain('<');
  });

  it('names the missing page and the user on 404', async () => {
    const err = await cloudClient()
      .getPage('999999999')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfluenceError);
    expect((err as ConfluenceError).kind).toBe('not-found');
    expect((err as ConfluenceError).message).toContain(sim.credentials.username);
  });

  it('fails a wrong API token with an auth error that names the fix and hides the token', async () => {
    const err = await cloudClient({ apiToken: 'wrong-token-123' })
      .listSpaces({ limit: 5 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfluenceError);
    const e = err as ConfluenceError;
    expect([e.kind, e.status, e.retryable]).toEqual(['auth', 401, false]);
    expect(e.message).toMatch(/--api-token/);
    expect(e.message).not.toContain('wrong-token-123');
    expect(e.message).not.toMatch(/\n/);
  });

  it('tells a Cloud password user to use an API token', async () => {
    const err = await cloudClient({ password: sim.credentials.password })
      .listSpaces({ limit: 5 })
      .catch((e: unknown) => e);
    expect((err as ConfluenceError).kind).toBe('auth');
    expect((err as ConfluenceError).message).toMatch(/does not accept passwords.*--api-token/);
    expect((err as ConfluenceError).message).not.toContain(sim.credentials.password);
  });

  it('rejects a non-numeric page id before any request', async () => {
    const before = sim.stats.total;
    const err = await cloudClient()
      .getPage('../spaces')
      .catch((e: unknown) => e);
    expect((err as ConfluenceError).kind).toBe('bad-request');
    expect((err as ConfluenceError).message).toMatch(/--page-ids/);
    expect(sim.stats.total).toBe(before);
  });

  it('downloads an attachment with the site credentials and refuses other hosts', async () => {
    const client = cloudClient();
    const att = sim.site.pages.flatMap((p) => p.attachments)[0];
    const { body, contentType } = await client.download(attachmentDownload('cloud', att));
    expect(body.equals(attachmentBytes(att, sim.options.seed))).toBe(true);
    expect(contentType).toBe(att.mediaType);
    const err = await client.download('https://elsewhere.example.com/x.png').catch((e: unknown) => e);
    expect((err as ConfluenceError).kind).toBe('bad-request');
    expect((err as ConfluenceError).message).toMatch(/not this Confluence site/);
  });

  it('stops reading a download past maxBytes', async () => {
    const att = sim.site.pages.flatMap((p) => p.attachments)[0];
    const err = await cloudClient()
      .download(attachmentDownload('cloud', att), 10)
      .catch((e: unknown) => e);
    expect((err as ConfluenceError).kind).toBe('bad-request');
    expect((err as ConfluenceError).message).toMatch(/answered more than 10 bytes, over the cap/);
  });
});
