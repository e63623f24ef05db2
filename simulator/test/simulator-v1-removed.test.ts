// Cloud with `v1Removed`: the v1 reads Atlassian removed answer 410 Gone in v1's envelope; what v2 lacks (CQL search,
// restrictions, group members, the attachment download redirect) keeps answering, at the site and via the gateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '..';

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

describe('simulator: Cloud v1 reads removed', () => {
  let sim: RunningSimulator;
  let auth: string;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, spaces: 1, pagesPerSpace: 4, permissions: 'restricted', v1Removed: true });
    auth = basic(sim.credentials.username, sim.credentials.apiToken);
  });
  afterAll(() => sim.close());

  const status = async (url: string, authorization = auth) => {
    const res = await fetch(url, { headers: { authorization }, redirect: 'manual' });
    return { status: res.status, body: (await res.text()) || '{}' };
  };

  it('answers 410 in the v1 envelope for content, space, child lists and labels', async () => {
    const page = sim.site.pages[0];
    const key = sim.site.space(page.spaceId)!.key;
    const paths = [
      '/content',
      `/content/${page.id}`,
      `/content/${page.id}/child/page`,
      `/content/${page.id}/child/attachment`,
      `/content/${page.id}/child/comment`,
      `/content/${page.id}/label`,
      '/space',
      `/space/${key}`,
    ];
    for (const path of paths) {
      const { status: code, body } = await status(`${sim.url}/wiki/rest/api${path}`);
      expect(code, path).toBe(410);
      expect(JSON.parse(body)).toMatchObject({ statusCode: 410, reason: 'Gone', message: /GoneException/ });
    }
    const viaGateway = `${sim.origin}/ex/confluence/${sim.cloudId}/wiki/rest/api/content/${page.id}`;
    expect((await status(viaGateway, `Bearer ${sim.credentials.oauthToken}`)).status).toBe(410);
  });

  it('keeps search, restrictions, group members and the download redirect', async () => {
    const page = sim.site.pages.find((p) => p.attachments.length > 0)!;
    const attachment = page.attachments[0];
    const group = sim.site.groups[0];
    const paths = [
      `/content/search?cql=${encodeURIComponent(`id = ${page.id}`)}`,
      `/content/${page.id}/restriction/byOperation`,
      `/content/${page.id}/restriction/byOperation/read`,
      `/group/${group.id}/membersByGroupId`,
      `/content/${page.id}/child/attachment/${attachment.id}/download`,
      '/user/current',
    ];
    for (const path of paths) expect((await status(`${sim.url}/wiki/rest/api${path}`)).status, path).toBeLessThan(400);
  });

  it('leaves v1 as it was without the option', async () => {
    const open = await startSimulator({ seed: 5, spaces: 1, pagesPerSpace: 4 });
    const res = await fetch(`${open.url}/wiki/rest/api/content/${open.site.pages[0].id}`, {
      headers: { authorization: basic(open.credentials.username, open.credentials.apiToken) },
    });
    await open.close();
    expect(res.status).toBe(200);
  });
});
