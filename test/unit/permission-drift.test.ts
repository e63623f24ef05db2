// A recorded page's permissions are checked on every run: a restriction, a move, a space grant or a group membership
// changes who may read it without a new page version. The check names what changed, and costs a few requests per
// hundred pages.
import { afterAll, describe, expect, it } from 'vitest';
import { type SimPage, startSimulator } from '../../simulator';
import { closeConfluencePools, createConfluenceClient, resolveAuth } from '../../src/connectors/confluence/client';
import { PermissionsSchema } from '../../src/connectors/confluence/config';
import { checkPermissionDrift, type DriftVerdict } from '../../src/connectors/confluence/permissionDrift';
import { decodePermissionsVersion, encodePermissionsVersion } from '../../src/core/permissionsVersion';
import { driftReasons } from '../../src/connectors/confluence/permissions';

afterAll(() => closeConfluencePools());

describe('drift reasons', () => {
  const fp = (space: string, chain: string, restrictions: string, result: string) =>
    ['p1', space, chain, restrictions, result].join('.');
  const base = fp('s', 'c', 'r', 'x');

  it('names the part that moved, a move over the restrictions it brings, and a group when only the outcome moved', () => {
    expect(driftReasons(base, base)).toEqual([]);
    expect(driftReasons(base, fp('s', 'c', 'R', 'y'))).toEqual(['restriction']);
    expect(driftReasons(base, fp('s', 'C', 'R', 'y'))).toEqual(['move']);
    expect(driftReasons(base, fp('S', 'c', 'r', 'y'))).toEqual(['space-grant']);
    expect(driftReasons(base, fp('s', 'c', 'r', 'y'))).toEqual(['group']);
    expect(driftReasons(undefined, base)).toEqual(['unrecorded']);
    expect(driftReasons('p0.a', base)).toEqual(['unrecorded']);
  });

  it('keeps a page with dependencies as JSON, and a plain fingerprint as it is', () => {
    const page = { id: '7', spaceId: '1', spaceKey: 'ENG' };
    const version = { own: base, dependencies: [{ page, fingerprint: base }] };
    expect(decodePermissionsVersion(encodePermissionsVersion(version))).toEqual(version);
    expect(encodePermissionsVersion({ own: base, dependencies: [] })).toBe(base);
    expect(decodePermissionsVersion('{"own":')).toBeUndefined();
  });
});

for (const mode of ['cloud', 'dc'] as const) {
  it(`finds a restriction that makes no page version on the page and every descendant, and nothing else (${mode})`, async () => {
    const sim = await startSimulator({
      mode,
      seed: 5,
      spaces: 1,
      pagesPerSpace: 60,
      users: 6,
      permissions: 'restricted',
    });
    try {
      const admin = sim.site.users[0];
      const { site, secrets } =
        mode === 'cloud'
          ? resolveAuth({ url: sim.url, cloud: true, username: admin.email, apiToken: admin.apiToken })
          : resolveAuth({ url: sim.url, username: admin.username, password: admin.password });
      const client = createConfluenceClient(site, secrets);
      const permissions = PermissionsSchema.parse({});
      const space = sim.site.spaces[0];
      const pages = sim.site.pages.filter((p) => p.status === 'current' && p.spaceId === space.id);
      const toCheck = (p: SimPage) => ({ id: p.id, spaceId: p.spaceId, spaceKey: space.key, contentType: p.type });
      const check = async (run: string, recorded: Map<string, string>) =>
        checkPermissionDrift(client, {
          site,
          permissions: { ...permissions, run },
          pages: pages.map((p) => ({
            page: toCheck(p),
            ...(recorded.has(p.id) ? { recorded: recorded.get(p.id) } : {}),
          })),
        });
      const changed = (verdicts: DriftVerdict[]) =>
        Object.fromEntries(verdicts.flatMap((v) => (v.state === 'changed' ? [[v.id, v.reasons]] : [])));

      const first = await check('run-1', new Map());
      expect(first.filter((v) => v.state !== 'changed')).toEqual([]);
      expect(first.every((v) => v.state === 'changed' && v.reasons[0] === 'unrecorded')).toBe(true);
      const recorded = new Map(first.map((v) => [v.id, v.state === 'changed' ? v.version : '']));
      sim.stats.reset();
      expect(changed(await check('run-2', recorded))).toEqual({});
      const requests = sim.stats.total;
      const routes = Object.fromEntries(sim.stats.byRoute);
      const searches = sim.stats.routeCount('/content/search');

      const open = pages.find((p) => p.parentId === null && p.restrictions.read.userIds.length === 0)!;
      const versionBefore = open.version.number;
      sim.site.setRestriction(open.id, 'read', { userIds: [sim.site.users[0].id, sim.site.users[1].id], groupIds: [] });
      const verdicts = await check('run-3', recorded);
      expect(open.version.number).toBe(versionBefore);
      const restricted = changed(verdicts);
      expect(restricted[open.id]).toEqual(['restriction']);
      // Its descendants read through it: they changed too, for the same reason.
      const descendants = pages.filter(
        (p) => p.id !== open.id && sim.site.ancestors(p.id).some((a) => a.id === open.id),
      );
      for (const d of descendants) expect(restricted[d.id], `descendant ${d.id}`).toEqual(['restriction']);
      expect(Object.keys(restricted).length).toBe(descendants.length + 1);
      // Per page: the batched searches; once per run: the space's grants and each group's members.
      const perPage = searches / pages.length;
      const perRun = requests - searches;
      console.log(JSON.stringify({ mode, pages: pages.length, perPage, perRun, routes }));
      expect(perPage).toBeLessThanOrEqual(0.05);
      expect(perRun).toBeLessThanOrEqual(1 + sim.site.groups.length);
    } finally {
      await sim.close();
    }
  });
}
