// The 'restricted' permission scheme: spaces readable by one group only, and read/update restrictions at several
// levels of the page trees, including chains where different groups guard different levels.
import type { Restriction, SimGroup, SimPage, SimSpace, SimUser, SpacePermission } from './model';
import type { Rng } from './rng';
import type { IdSource } from './generate-content';

const SYSTEM_GROUPS = ['confluence-users', 'confluence-administrators'];

/** Default grants: everyone reads and writes, administrators delete and administer, the creator owns the space. */
export function defaultPermissions(groups: SimGroup[], owner: SimUser, ids: IdSource): SpacePermission[] {
  const everyone = groups.find((g) => g.name === 'confluence-users')!;
  const admins = groups.find((g) => g.name === 'confluence-administrators')!;
  return [
    grant(ids, 'group', everyone.id, 'read', 'space'),
    grant(ids, 'group', everyone.id, 'create', 'page'),
    grant(ids, 'group', everyone.id, 'create', 'blogpost'),
    grant(ids, 'group', everyone.id, 'create', 'attachment'),
    grant(ids, 'group', admins.id, 'delete', 'page'),
    grant(ids, 'group', admins.id, 'administer', 'space'),
    grant(ids, 'user', owner.id, 'read', 'space'),
    grant(ids, 'user', owner.id, 'delete', 'page'),
    grant(ids, 'user', owner.id, 'administer', 'space'),
  ];
}

function grant(
  ids: IdSource,
  type: 'user' | 'group',
  id: string,
  key: SpacePermission['operation']['key'],
  targetType: SpacePermission['operation']['targetType'],
): SpacePermission {
  return { id: String(ids.next('permission', 1015808)), principal: { type, id }, operation: { key, targetType } };
}

export interface Scheme {
  rng: Rng;
  users: SimUser[];
  groups: SimGroup[];
  ids: IdSource;
}

/** Narrow every third space to one group. The first user (the ingest account) keeps reading everything. */
export function restrictSpaces(scheme: Scheme, spaces: SimSpace[]): void {
  const custom = scheme.groups.filter((g) => !SYSTEM_GROUPS.includes(g.name));
  spaces.forEach((space, i) => {
    if (i % 3 !== 1 || space.type === 'personal') return;
    const group = scheme.rng.pick(custom);
    const everyone = scheme.groups.find((g) => g.name === 'confluence-users')!;
    space.permissions = space.permissions.filter((p) => p.principal.id !== everyone.id);
    space.permissions.push(
      grant(scheme.ids, 'group', group.id, 'read', 'space'),
      grant(scheme.ids, 'group', group.id, 'create', 'page'),
      grant(scheme.ids, 'group', group.id, 'delete', 'page'),
    );
  });
}

/** Read and update restrictions on some pages, and at least one chain guarded by different groups at two levels. */
export function restrictPages(scheme: Scheme, pages: SimPage[]): void {
  const { rng } = scheme;
  const primary = scheme.users[0].id;
  const others = scheme.users.slice(1).map((u) => u.id);
  const custom = scheme.groups.filter((g) => !SYSTEM_GROUPS.includes(g.name)).map((g) => g.id);
  const principals = (): Restriction => ({
    userIds: [primary, ...rng.sample(others, rng.int(0, 2))],
    groupIds: rng.sample(custom, rng.int(0, 2)),
  });
  for (const page of pages) {
    if (page.parentId === null && page.type === 'page') continue; // space roots stay open
    if (rng.chance(0.15)) page.restrictions.read = principals();
    if (rng.chance(0.12)) page.restrictions.update = principals();
  }
  forceTwoLevelChain(rng, pages, custom, primary);
}

function forceTwoLevelChain(rng: Rng, pages: SimPage[], groups: string[], primary: string): void {
  if (groups.length < 2) return;
  const byId = new Map(pages.map((p) => [p.id, p]));
  const chainOf = (page: SimPage): SimPage[] => {
    const chain = [page];
    for (let p = page; p.parentId && byId.has(p.parentId); ) chain.unshift((p = byId.get(p.parentId)!));
    return chain;
  };
  const deepest = pages.map(chainOf).sort((a, b) => b.length - a.length)[0];
  if (!deepest || deepest.length < 3) return;
  const [upper, lower] = rng.sample(groups, 2);
  deepest[1].restrictions.read = { userIds: [primary], groupIds: [upper] };
  deepest[deepest.length - 1].restrictions.read = { userIds: [primary], groupIds: [lower] };
}
