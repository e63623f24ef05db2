import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSimulator, startSimulator, type RunningSimulator } from '..';

let sim: RunningSimulator;
let auth: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 42, spaces: 3, pagesPerSpace: 40 });
  auth = basic(sim.credentials.username, sim.credentials.apiToken);
});
afterAll(() => sim.close());

function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

async function get(path: string, authorization = auth): Promise<Response> {
  return fetch(new URL(path, sim.url), { headers: authorization ? { authorization } : {} });
}

/** Follows _links.next joined to the site origin (never to _links.base, which already ends in /wiki). */
async function listAll(first: string): Promise<{ ids: string[]; calls: number }> {
  const ids: string[] = [];
  let next: string | undefined = first;
  let calls = 0;
  while (next) {
    const res = await get(next);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { id: string }[]; _links: { next?: string; base: string } };
    calls++;
    ids.push(...body.results.map((r) => r.id));
    expect(body._links.base).toBe(`${sim.url}/wiki`);
    if (body._links.next) expect(res.headers.get('link')).toContain(`<${body._links.next}>; rel="next"`);
    else expect(res.headers.get('link')).toBeNull();
    next = body._links.next;
  }
  return { ids, calls };
}

describe('simulator: auth', () => {
  it('answers 401 with the v2 error envelope without credentials, with a wrong token, and with a password', async () => {
    const attempts = [
      '',
      basic(sim.credentials.username, 'wrong-token'),
      basic(sim.credentials.username, sim.credentials.password),
      `Bearer ${sim.credentials.pat}`,
    ];
    for (const authorization of attempts) {
      const res = await get('/wiki/api/v2/spaces', authorization);
      expect(res.status).toBe(401);
      const body = (await res.json()) as { errors: { status: number; code: string }[] };
      expect(body.errors[0]).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    }
  });

  it('serves the site to email + API token', async () => {
    const res = await get('/wiki/api/v2/spaces');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { key: string }[] };
    expect(body.results.map((s) => s.key)).toEqual(['ENG', 'OPS', 'DOC']);
  });
});

describe('simulator: cursor pagination', () => {
  it('lists every page of a space exactly once across API pages', async () => {
    const space = sim.site.spaces[1];
    const { ids, calls } = await listAll(`/wiki/api/v2/spaces/${space.id}/pages?limit=7`);
    expect(calls).toBe(Math.ceil(40 / 7));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(
      sim.site
        .pagesOf(space.id)
        .map((p) => p.id)
        .sort(),
    );
  });

  it('lists all 120 pages through /pages and all spaces through /spaces', async () => {
    const pages = await listAll('/wiki/api/v2/pages?limit=25');
    expect(new Set(pages.ids).size).toBe(120);
    const spaces = await listAll('/wiki/api/v2/spaces?limit=1');
    expect(spaces.ids).toEqual(sim.site.spaces.map((s) => s.id));
  });

  it('keeps other query parameters in next, with the cursor not last', async () => {
    const space = sim.site.spaces[0];
    const res = await get(`/wiki/api/v2/spaces/${space.id}/pages?body-format=storage&limit=5`);
    const body = (await res.json()) as {
      results: { body: { storage: { value: string } } }[];
      _links: { next: string };
    };
    expect(body._links.next).toMatch(/^\/wiki\/api\/v2\/spaces\/\d+\/pages\?cursor=[^&]+&body-format=storage&limit=5$/);
    expect(body.results[0].body.storage.value).toContain('<');
  });

  it('rejects limits outside 1..250 and malformed cursors with 400', async () => {
    for (const bad of ['limit=0', 'limit=251', 'limit=ten', 'cursor=not-a-cursor']) {
      const res = await get(`/wiki/api/v2/pages?${bad}`);
      expect(res.status, bad).toBe(400);
    }
    expect((await get('/wiki/api/v2/pages?limit=250')).status).toBe(200);
  });
});

describe('simulator: pages and 404', () => {
  it('answers 404 for unknown page and space ids', async () => {
    for (const path of ['/wiki/api/v2/pages/999999999', '/wiki/api/v2/spaces/999999999/pages', '/wiki/api/v2/nope']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      const body = (await res.json()) as { errors: { status: number }[] };
      expect(body.errors[0].status).toBe(404);
    }
  });

  it('renders body.view with the structures Confluence emits, and serves the embedded image bytes', async () => {
    const page = sim.site.pages.find((p) => p.attachments.some((a) => a.mediaType === 'image/png'))!;
    const res = await get(`/wiki/api/v2/pages/${page.id}?body-format=view`);
    const body = (await res.json()) as { title: string; body: { view: { value: string } }; _links: { base: string } };
    expect(body.title).toBe(page.title);
    expect(body._links.base).toBe(`${sim.url}/wiki`);
    const html = body.body.view.value;
    expect(html).toMatch(/<h2 id="[^"]+">/);
    expect(html).toContain('class="confluence-embedded-image"');
    const src = /<img class="confluence-embedded-image"[^>]* src="([^"]+)"/.exec(html)![1].replace(/&amp;/g, '&');
    expect(src.startsWith(`${sim.url}/wiki/download/attachments/${page.id}/`)).toBe(true);
    const image = await get(src);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await image.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.subarray(12, 16).toString()).toBe('IHDR');
    expect((await get(src, '')).status).toBe(401);
  });

  it('covers every block kind across the generated site', async () => {
    const html = await Promise.all(
      sim.site
        .pagesOf(sim.site.spaces[0].id)
        .slice(0, 15)
        .map(async (p) => {
          const res = await get(`/wiki/api/v2/pages/${p.id}?body-format=view`);
          return ((await res.json()) as { body: { view: { value: string } } }).body.view.value;
        }),
    );
    const all = html.join('');
    for (const marker of [
      'class="confluenceTable"',
      'class="syntaxhighlighter-pre"',
      'confluence-information-macro-',
      '<ul>',
      '<ol>',
      '<li>',
      '<strong>',
      '<em>',
      'class="external-link"',
      'class="confluence-embedded-file"',
      'class="confluence-embedded-image"',
    ]) {
      expect(all, marker).toContain(marker);
    }
  });

  it('editPage bumps version and modification time, changes the body, and the stats count body reads', async () => {
    const page = sim.site.pagesOf(sim.site.spaces[2].id)[5];
    const before = { version: page.version.number, modified: page.version.createdAt };
    const read = async () =>
      (await (await get(`/wiki/api/v2/pages/${page.id}?body-format=storage`)).json()) as {
        version: { number: number; createdAt: string };
        body: { storage: { value: string } };
      };
    const first = await read();
    sim.site.editPage(page.id, { title: `${page.title} (edited)` });
    const second = await read();
    expect(second.version.number).toBe(before.version + 1);
    expect(Date.parse(second.version.createdAt)).toBeGreaterThan(Date.parse(before.modified));
    expect(second.body.storage.value).not.toBe(first.body.storage.value);
    expect(sim.stats.pageBodyRequests.get(page.id)).toBe(2);
    expect(sim.stats.byRoute.get('GET /api/v2/pages/{id}')).toBeGreaterThanOrEqual(2);
  });
});

describe('simulator: determinism', () => {
  it('generates the same site from the same seed and a different one from another seed', async () => {
    const shape = (s: RunningSimulator) =>
      s.site.pages.map((p) => `${p.id}|${p.title}|${p.parentId}|${p.version.number}`);
    const [a, b, c] = await Promise.all([
      startSimulator({ seed: 5, spaces: 2, pagesPerSpace: 10 }),
      startSimulator({ seed: 5, spaces: 2, pagesPerSpace: 10 }),
      startSimulator({ seed: 6, spaces: 2, pagesPerSpace: 10 }),
    ]);
    try {
      expect(shape(a)).toEqual(shape(b));
      expect(shape(a)).not.toEqual(shape(c));
      expect(a.credentials).toEqual(b.credentials);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('rejects bad options with a one-line error naming the field', async () => {
    await expect(startSimulator({ spaces: 0 })).rejects.toThrow(/^Invalid simulator option spaces: /);
  });
});

describe('simulator: describeSimulator', () => {
  it('prints the URL, mode, username and API token of a Cloud site', () => {
    const text = describeSimulator(sim).join('\n');
    for (const part of [sim.url, 'cloud', sim.credentials.username, sim.credentials.apiToken, sim.cloudId])
      expect(text).toContain(part);
    expect(text).not.toContain(sim.credentials.password);
  });

  it('prints the password and PAT of a Data Center site instead of an API token', async () => {
    const dc = await startSimulator({ mode: 'dc', spaces: 1, pagesPerSpace: 2 });
    try {
      const text = describeSimulator(dc).join('\n');
      for (const part of [dc.url, 'dc', dc.credentials.username, dc.credentials.password, dc.credentials.pat])
        expect(text).toContain(part);
      expect(text).not.toContain(dc.credentials.apiToken);
    } finally {
      await dc.close();
    }
  });
});

describe('simulator: archived pages and personal spaces', () => {
  it('lists archived pages only when the status asks for them, and personal spaces by ~key', async () => {
    const extra = await startSimulator({
      seed: 8,
      spaces: 1,
      pagesPerSpace: 6,
      archivedPerSpace: 2,
      personalSpaces: 2,
    });
    try {
      const authorization = basic(extra.credentials.username, extra.credentials.apiToken);
      const list = async (path: string) =>
        (
          (await (await fetch(`${extra.url}/wiki/api/v2${path}`, { headers: { authorization } })).json()) as {
            results: { id: string; key?: string; status?: string }[];
          }
        ).results;
      const space = extra.site.spaces[0];
      expect((await list(`/spaces/${space.id}/pages?limit=50`)).length).toBe(8);
      const current = await list(`/spaces/${space.id}/pages?limit=50&status=current`);
      expect(current.length).toBe(6);
      expect(current.every((p) => p.status === 'current')).toBe(true);
      const personal = await list('/spaces?type=personal');
      expect(personal.map((s) => s.key)).toEqual(
        extra.site.spaces.filter((s) => s.type === 'personal').map((s) => s.key),
      );
      expect(personal.length).toBe(2);
      expect(personal.every((s) => /^~[A-Za-z0-9]+$/.test(s.key!))).toBe(true);
    } finally {
      await extra.close();
    }
  });
});
