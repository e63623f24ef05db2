// REST v1 (Cloud and Data Center), the OAuth gateway, CQL and attachment downloads, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '..';

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

interface V1List {
  results: { id: string | number; title?: string; type?: string }[];
  start: number;
  limit: number;
  size: number;
  _links: { base: string; context: string; next?: string };
}

async function getJson<T>(url: string, authorization: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers: { authorization }, redirect: 'manual' });
  return { status: res.status, body: (await res.json()) as T };
}

describe('simulator: Data Center', () => {
  let dc: RunningSimulator;
  let pat: string;
  beforeAll(async () => {
    dc = await startSimulator({ mode: 'dc', seed: 3, spaces: 2, pagesPerSpace: 1234, v1MaxLimit: 100 });
    pat = `Bearer ${dc.credentials.pat}`;
  });
  afterAll(() => dc.close());

  it('serves under the context path and accepts username + password or a PAT, nothing else', async () => {
    expect(dc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/confluence$/);
    const path = `${dc.url}/rest/api/space`;
    const { username, password, apiToken } = dc.credentials;
    expect((await fetch(path, { headers: { authorization: basic(username, password) } })).status).toBe(200);
    expect((await fetch(path, { headers: { authorization: pat } })).status).toBe(200);
    for (const bad of [basic(username, 'nope'), basic(username, apiToken), 'Bearer nope', '']) {
      const res = await fetch(path, { headers: bad ? { authorization: bad } : {} });
      expect(res.status, bad).toBe(401);
      expect(((await res.json()) as { statusCode: number }).statusCode).toBe(401);
    }
    expect((await fetch(`${dc.origin}/wiki/rest/api/space`, { headers: { authorization: pat } })).status).toBe(404);
    expect((await fetch(`${dc.url}/api/v2/spaces`, { headers: { authorization: pat } })).status).toBe(404);
  });

  it('reads a space of 1,234 pages with limit 25 exactly once each by recomputing offsets until an empty page', async () => {
    const space = dc.site.spaces[0];
    const ids: string[] = [];
    let emptyPageHadNoNext = false;
    for (let start = 0; ; ) {
      const { body } = await getJson<V1List>(
        `${dc.url}/rest/api/content?spaceKey=${space.key}&type=page&limit=25&start=${start}`,
        pat,
      );
      if (body.results.length === 0) {
        emptyPageHadNoNext = body._links.next === undefined;
        break;
      }
      ids.push(...body.results.map((r) => String(r.id)));
      start += body.results.length;
    }
    expect(ids.length).toBe(1234);
    expect(new Set(ids).size).toBe(1234);
    expect(emptyPageHadNoNext).toBe(true);
  });

  it('has the unreliable next links of CONFSERVER-95272: on the last full page, and built from the requested limit', async () => {
    const space = dc.site.spaces[0];
    // 1234 = 12 * 100 + 34: asking 200 gets 100 (the cap), and next claims start=200 (skipping 100 items).
    const capped = await getJson<V1List>(`${dc.url}/rest/api/content?spaceKey=${space.key}&limit=200`, pat);
    expect(capped.body.limit).toBe(100);
    expect(capped.body.size).toBe(100);
    expect(capped.body._links.next).toContain('start=200');
    // An exactly full last page still advertises a next page, which is empty.
    const lastFull = await getJson<V1List>(`${dc.url}/rest/api/content?spaceKey=${space.key}&limit=34&start=1200`, pat);
    expect(lastFull.body.size).toBe(34);
    expect(lastFull.body._links.next).toBeDefined();
    const after = await getJson<V1List>(`${dc.url}${lastFull.body._links.next}`, pat);
    expect(after.body.results).toEqual([]);
  });

  it('identifies people by userKey and username, groups by name, and links pages under /display', async () => {
    const page = dc.site.pagesOf(dc.site.spaces[1].id).find((p) => /^[A-Za-z0-9 ]+$/.test(p.title))!;
    const { body } = await getJson<{
      version: { by: { userKey: string; username: string; accountId?: string } };
      _links: { webui: string };
    }>(`${dc.url}/rest/api/content/${page.id}?expand=version,space,history`, pat);
    expect(body.version.by.userKey).toMatch(/^[0-9a-f]{32}$/);
    expect(body.version.by.accountId).toBeUndefined();
    expect(body._links.webui).toBe(`/display/${dc.site.spaces[1].key}/${page.title.replace(/ /g, '+')}`);
    const html = await fetch(`${dc.url}${body._links.webui}`, { headers: { authorization: pat } });
    expect(html.status).toBe(200);
    expect(await html.text()).toContain(`<h1 id="title-text">${page.title}</h1>`);
    const members = await getJson<V1List>(`${dc.url}/rest/api/group/engineering/member?limit=50`, pat);
    const engineering = dc.site.groups.find((g) => g.name === 'engineering')!;
    expect(members.body.results.map((u) => (u as unknown as { userKey: string }).userKey).sort()).toEqual(
      engineering.memberIds.map((id) => dc.site.user(id)!.userKey).sort(),
    );
  });

  it('renders image src relative to the host in body.view', async () => {
    const page = dc.site.pages.find((p) => p.attachments.some((a) => a.mediaType === 'image/png'))!;
    const { body } = await getJson<{ body: { view: { value: string } } }>(
      `${dc.url}/rest/api/content/${page.id}?expand=body.view`,
      pat,
    );
    expect(body.body.view.value).toContain(`src="/confluence/download/attachments/${page.id}/`);
  });
});

describe('simulator: Cloud REST v1, OAuth and CQL', () => {
  let sim: RunningSimulator;
  let auth: string;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, spaces: 3, pagesPerSpace: 30, blogpostsPerSpace: 3 });
    auth = basic(sim.credentials.username, sim.credentials.apiToken);
  });
  afterAll(() => sim.close());

  const search = (cql: string, extra = '') =>
    getJson<V1List>(`${sim.url}/wiki/rest/api/content/search?cql=${encodeURIComponent(cql)}${extra}`, auth);

  it('answers CQL on space, type, id, title and dates, and pages search results by cursor', async () => {
    const [eng, ops] = sim.site.spaces;
    const engPages = sim.site.pagesOf(eng.id).filter((p) => p.type === 'page');
    expect((await search(`space = ${eng.key} and type = page`, '&limit=100')).body.size).toBe(engPages.length);
    expect((await search(`space in (${eng.key}, "${ops.key}") and type = blogpost`, '&limit=100')).body.size).toBe(6);
    const picked = engPages.slice(3, 6).map((p) => p.id);
    const byId = await search(`id in (${picked.join(',')})`);
    expect(byId.body.results.map((r) => r.id).sort()).toEqual([...picked].sort());
    const edited = sim.site.editPage(engPages[7].id);
    const since = new Date(Date.parse(edited.version.createdAt) - 60_000).toISOString().slice(0, 16).replace('T', ' ');
    expect((await search(`lastmodified > "${since}"`)).body.results.map((r) => r.id)).toEqual([edited.id]);
    const ids: string[] = [];
    let next: string | undefined =
      `/rest/api/content/search?cql=${encodeURIComponent(`space = ${eng.key} order by title`)}&limit=7`;
    while (next) {
      const page: { body: V1List } = await getJson<V1List>(`${sim.url}/wiki${next}`, auth);
      ids.push(...page.body.results.map((r) => String(r.id)));
      next = page.body._links.next;
      if (next) expect(next).toMatch(/cursor=/);
    }
    // As on Confluence, a search without a type finds the space's comments too.
    const comments = sim.site.pagesOf(eng.id).flatMap((p) => sim.site.commentsOf(p.id));
    expect(new Set(ids).size).toBe(sim.site.pagesOf(eng.id).length + comments.length);
  });

  it('rejects CQL it cannot parse with 400 and the v1 error envelope', async () => {
    for (const bad of ['space = ', 'space = ENG and', 'nonsense = 1', 'lastmodified > "yesterday"']) {
      const { status, body } = await search(bad);
      expect(status, bad).toBe(400);
      expect((body as unknown as { statusCode: number }).statusCode).toBe(400);
    }
  });

  it('goes through the OAuth gateway with a bearer token only, and writes /wiki links there as Confluence does', async () => {
    const gateway = `${sim.origin}/ex/confluence/${sim.cloudId}/wiki`;
    const bearer = `Bearer ${sim.credentials.oauthToken}`;
    const ok = await getJson<{ _links: { next: string; base: string } }>(`${gateway}/api/v2/pages?limit=5`, bearer);
    expect(ok.status).toBe(200);
    expect(ok.body._links.next.startsWith('/wiki/api/v2/pages?')).toBe(true);
    expect((await fetch(`${gateway}/api/v2/pages`, { headers: { authorization: auth } })).status).toBe(401);
    expect((await fetch(`${sim.url}/wiki/api/v2/pages`, { headers: { authorization: bearer } })).status).toBe(401);
    expect(
      (
        await fetch(`${sim.origin}/ex/confluence/not-this-site/wiki/api/v2/pages`, {
          headers: { authorization: bearer },
        })
      ).status,
    ).toBe(404);
    expect(
      (await fetch(`${gateway}/rest/api/user/current`, { headers: { authorization: 'Bearer wrong' } })).status,
    ).toBe(401);
  });

  it('redirects the v1 attachment download to a signed media link that serves the bytes', async () => {
    const page = sim.site.pages.find((p) => p.attachments.length > 0)!;
    const att = page.attachments[0];
    const res = await fetch(`${sim.url}/wiki/rest/api/content/${page.id}/child/attachment/${att.id}/download`, {
      headers: { authorization: auth },
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    const media = await fetch(location);
    expect(media.status).toBe(200);
    expect(media.headers.get('content-type')).toBe(att.mediaType);
    const list = await getJson<{ results: { id: string; extensions: { fileSize: number } }[] }>(
      `${sim.url}/wiki/rest/api/content/${page.id}/child/attachment`,
      auth,
    );
    expect(list.body.results.find((a) => a.id === att.id)!.extensions.fileSize).toBe(
      (await media.arrayBuffer()).byteLength,
    );
    const forged = new URL(location);
    forged.searchParams.set('token', 'forged');
    expect((await fetch(forged)).status).toBe(401);
  });

  it('lists blog posts through v2 and v1 and leaves them out of page lists', async () => {
    const space = sim.site.spaces[2];
    const v2 = await getJson<{ results: { id: string }[] }>(
      `${sim.url}/wiki/api/v2/spaces/${space.id}/blogposts`,
      auth,
    );
    const v1 = await getJson<V1List>(`${sim.url}/wiki/rest/api/content?spaceKey=${space.key}&type=blogpost`, auth);
    const expected = sim.site
      .pagesOf(space.id)
      .filter((p) => p.type === 'blogpost')
      .map((p) => p.id)
      .sort();
    expect(v2.body.results.map((r) => r.id).sort()).toEqual(expected);
    expect(v1.body.results.map((r) => String(r.id)).sort()).toEqual(expected);
    const pages = await getJson<{ results: { id: string }[] }>(
      `${sim.url}/wiki/api/v2/spaces/${space.id}/pages?limit=250`,
      auth,
    );
    expect(pages.body.results.some((r) => expected.includes(r.id))).toBe(false);
  });
});
