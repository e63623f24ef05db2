// The permissions half of the download step against the simulator: results, the cap flag, the --on-permission-error
// policies,
// Data Center's refusal of space permissions to non-administrators, and one resolver reused across calls.
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionsSchema, type Site } from '../../src/pipeline/config';
import {
  pagePermissions as readPermissions,
  type PagePermissionsInput,
} from '../../src/connectors/confluence/pagePermissions';
import {
  closeConfluencePools,
  createConfluenceClient,
  resolveAuth,
  type ConfluenceClient,
  type PageRef,
} from '../../src/connectors/confluence/client';
import { startSimulator, type RunningSimulator, type SimPage, type SimUser } from '../../simulator';

let cloud: RunningSimulator;
let dc: RunningSimulator;
/** Data Center 8.5: no space/{key}/permissions (404); space grants from the space's expand=permissions. */
let dc85: RunningSimulator;

beforeAll(async () => {
  [cloud, dc, dc85] = await Promise.all([
    startSimulator({ mode: 'cloud', seed: 5, spaces: 3, pagesPerSpace: 10, users: 6, permissions: 'restricted' }),
    startSimulator({ mode: 'dc', seed: 5, spaces: 3, pagesPerSpace: 10, users: 6, permissions: 'restricted' }),
    startSimulator({
      mode: 'dc',
      dcVersion: '8.5',
      seed: 5,
      spaces: 3,
      pagesPerSpace: 10,
      users: 6,
      permissions: 'restricted',
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([cloud.close(), dc.close(), dc85.close()]);
  await closeConfluencePools();
});

/** One client per site, as the worker's clientCache gives; no retries of 5xx so refusals surface at once. */
function clients(as: (sim: RunningSimulator) => SimUser = (sim) => sim.site.users[0]) {
  const made = new Map<string, ConfluenceClient>();
  const sites = new Map<RunningSimulator, Site>();
  const siteOf = (sim: RunningSimulator): Site => {
    if (!sites.has(sim)) {
      const user = as(sim);
      const { site, secrets } = resolveAuth(
        sim.mode === 'cloud'
          ? { url: sim.url, cloud: true, username: user.email, apiToken: user.apiToken }
          : { url: sim.url, cloud: false, username: user.username, password: user.password },
      );
      made.set(site.url, createConfluenceClient(site, secrets, { retry: { attempts: 1 } }));
      sites.set(sim, site);
    }
    return sites.get(sim)!;
  };
  return { siteOf, client: (site: Site) => made.get(site.url)! };
}

function refOf(sim: RunningSimulator, page: SimPage): PageRef {
  const space = sim.site.space(page.spaceId)!;
  return {
    id: page.id,
    title: page.title,
    spaceId: space.id,
    spaceKey: space.key,
    version: page.version.number,
    url: `${sim.url}/x/${page.id}`,
  };
}

/** The fetch step's call, with the client the worker's cache would give for the input's site. */
function permissionActivities(client: (site: Site) => ConfluenceClient) {
  return { pagePermissions: (input: PagePermissionsInput) => readPermissions(client(input.site), input) };
}

const settings = (over: Partial<ReturnType<typeof PermissionsSchema.parse>> = {}) => PermissionsSchema.parse(over);

describe('pagePermissions', () => {
  it('returns permissions_data for a page and reuses the space permissions for the next page of the space', async () => {
    const { siteOf, client } = clients();
    const { pagePermissions } = permissionActivities(client);
    const site = siteOf(cloud);
    const [first, second] = cloud.site.pages.filter((p) => p.spaceId === cloud.site.spaces[0].id);
    const out = await pagePermissions({ site, ref: refOf(cloud, first), permissions: settings() });
    expect(out.capped).toBe(false);
    expect(out.unavailable).toBeUndefined();
    expect(out.permissionsData!.map((op) => Object.keys(op)[0])).toEqual(['read', 'update', 'delete']);
    expect(out.permissionsData![0].read.users).toContain(cloud.site.users[0].id);
    const before = cloud.stats.routeCount('/spaces/{id}/permissions');
    await pagePermissions({ site, ref: refOf(cloud, second), permissions: settings() });
    expect(cloud.stats.routeCount('/spaces/{id}/permissions') - before).toBe(0);
  });

  it('caps each list at --max-num-metadata-permissions and says it did', async () => {
    const { siteOf, client } = clients();
    const page = cloud.site.pages.find((p) => p.restrictions.read.userIds.length >= 2)!;
    const out = await permissionActivities(client).pagePermissions({
      site: siteOf(cloud),
      ref: refOf(cloud, page),
      permissions: settings({ maxNumMetadataPermissions: 1 }),
    });
    expect(out.capped).toBe(true);
    for (const op of out.permissionsData!)
      for (const set of Object.values(op)) expect(set.users.length + set.groups.length).toBeLessThanOrEqual(1);
  });

  it('asks nothing when permissions are disabled', async () => {
    const { siteOf, client } = clients();
    const before = cloud.stats.total;
    const out = await permissionActivities(client).pagePermissions({
      site: siteOf(cloud),
      ref: refOf(cloud, cloud.site.pages[0]),
      permissions: settings({ enabled: false }),
    });
    expect(out).toEqual({ capped: false });
    expect(cloud.stats.total).toBe(before);
  });

  it('rejects bad settings with one line naming the setting, without retries', async () => {
    const { siteOf, client } = clients();
    const bad = { enabled: true, maxNumMetadataPermissions: 0, onError: 'fail' } as const;
    const failure = await permissionActivities(client)
      .pagePermissions({ site: siteOf(cloud), ref: refOf(cloud, cloud.site.pages[0]), permissions: bad })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    expect((failure as ApplicationFailure).message).toMatch(
      /^invalid permissions settings: maxNumMetadataPermissions: .*; fix --max-num-metadata-permissions/,
    );
  });

  it('fails a page whose permissions cannot be read by default; skip and omit report it instead', async () => {
    const { siteOf, client } = clients();
    const { pagePermissions } = permissionActivities(client);
    const site = siteOf(cloud);
    const gone = { ...refOf(cloud, cloud.site.pages[0]), id: '999999999' };
    const failure = await pagePermissions({ site, ref: gone, permissions: settings() }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe('ConfluenceNotFound');
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    for (const onError of ['skip', 'omit'] as const) {
      const out = await pagePermissions({ site, ref: gone, permissions: settings({ onError }) });
      expect(out.permissionsData).toBeUndefined();
      expect(out.unavailable?.action).toBe(onError);
      expect(out.unavailable?.reason).toMatch(/permissions of page 999999999: .*404/);
    }
  });

  it('explains Data Center refusing space permissions to an account that does not administer the space', async () => {
    const reader = (sim: RunningSimulator) => sim.site.users[1];
    const { siteOf, client } = clients(reader);
    const site = siteOf(dc);
    const user = reader(dc);
    const space = dc.site.spaces.find(
      (s) => dc.site.canViewSpace(user.id, s.id) && !dc.site.hasSpacePermission(user.id, s.id, 'administer'),
    )!;
    const page = dc.site.pagesOf(space.id).find((p) => dc.canView(user.id, p.id))!;
    const failure = await permissionActivities(client)
      .pagePermissions({ site, ref: refOf(dc, page), permissions: settings() })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe('ConfluenceForbidden');
    expect((failure as ApplicationFailure).message).toMatch(new RegExp(`administrator of space ${space.key}`));
    expect((failure as ApplicationFailure).message).not.toContain(user.password);
  });

  it('on Data Center 9.2 reads space grants from space/{key}/permissions and says so', async () => {
    const { siteOf, client } = clients();
    const page = dc.site.pages[0];
    const out = await permissionActivities(client).pagePermissions({
      site: siteOf(dc),
      ref: refOf(dc, page),
      permissions: settings(),
    });
    expect(out.spacePermissionsSource).toBe('space-permissions-api');
    expect(out.permissionsData![0].read.users).toContain(dc.site.users[0].userKey);
  });

  it('on Data Center 8.5 falls back to expand=permissions after the 404, then asks each other space once', async () => {
    const { siteOf, client } = clients();
    const { pagePermissions } = permissionActivities(client);
    const site = siteOf(dc85);
    const [a, b] = dc85.site.spaces.map((s) => dc85.site.pagesOf(s.id)[0]);
    const listCalls = () => dc85.stats.routeCount('(unknown route)');
    const spaceCalls = () => dc85.stats.routeCount('/rest/api/space/{key}');
    const [lists, spaces] = [listCalls(), spaceCalls()];
    const first = await pagePermissions({ site, ref: refOf(dc85, a), permissions: settings() });
    expect(first.spacePermissionsSource).toBe('space-expand-permissions');
    expect(first.unavailable).toBeUndefined();
    expect(first.permissionsData![0].read.users).toContain(dc85.site.users[0].userKey);
    expect([listCalls() - lists, spaceCalls() - spaces]).toEqual([1, 1]);
    const second = await pagePermissions({ site, ref: refOf(dc85, b), permissions: settings() });
    expect(second.spacePermissionsSource).toBe('space-expand-permissions');
    expect([listCalls() - lists, spaceCalls() - spaces]).toEqual([1, 2]);
  });

  it('on Data Center 8.5 explains an expansion that lists no grant (not a space administrator); omit writes the page without permissions', async () => {
    const reader = (sim: RunningSimulator) => sim.site.users[1];
    const { siteOf, client } = clients(reader);
    const site = siteOf(dc85);
    const user = reader(dc85);
    const space = dc85.site.spaces.find(
      (s) => dc85.site.canViewSpace(user.id, s.id) && !dc85.site.hasSpacePermission(user.id, s.id, 'administer'),
    )!;
    const page = dc85.site.pagesOf(space.id).find((p) => dc85.canView(user.id, p.id))!;
    const { pagePermissions } = permissionActivities(client);
    const failure = await pagePermissions({ site, ref: refOf(dc85, page), permissions: settings() }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe('ConfluenceForbidden');
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    expect((failure as ApplicationFailure).message).toMatch(
      new RegExp(`older than 9.1 .*administrator of space ${space.key}`),
    );
    const omitted = await pagePermissions({ site, ref: refOf(dc85, page), permissions: settings({ onError: 'omit' }) });
    expect(omitted.permissionsData).toBeUndefined();
    expect(omitted.unavailable?.action).toBe('omit');
  });
});
