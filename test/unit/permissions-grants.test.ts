// The permission algebra on its own: intersections of user/group unions come back exact (checked against brute force
// on random sites), ask for group members only when a group cannot be kept as a group, and caps only take away.
import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src/connectors/confluence/permissions/cache';
import {
  grantOf,
  intersectGrants,
  type Grant,
  type GroupMembers,
} from '../../src/connectors/confluence/permissions/grants';
import { toPermissionsData } from '../../src/connectors/confluence/permissions/permissionsData';
import { spaceGrants } from '../../src/connectors/confluence/permissions/spaceGrants';

/** Group members from a table, counting how many member lists were asked for. */
function membersFrom(table: Record<string, string[]>): GroupMembers & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    has: (id) => asked.includes(id),
    of: async (id) => {
      if (!asked.includes(id)) asked.push(id);
      return new Set(table[id] ?? []);
    },
  };
}

const canRead = (user: string, grant: Grant, table: Record<string, string[]>) =>
  grant.users.has(user) || [...grant.groups].some((g) => (table[g] ?? []).includes(user));

/** A tiny seeded generator (mulberry32), so a failure names a case that can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('intersectGrants', () => {
  it('returns a single level as it is, without asking for any member', async () => {
    const members = membersFrom({});
    const out = await intersectGrants([grantOf(['u1'], ['everyone'])], members);
    expect([...out.users]).toEqual(['u1']);
    expect([...out.groups]).toEqual(['everyone']);
    expect(members.asked).toEqual([]);
  });

  it('keeps a group named at every level as a group, and asks for no member', async () => {
    const members = membersFrom({ team: ['a', 'b'], everyone: ['a', 'b', 'c'] });
    const out = await intersectGrants(
      [grantOf(['owner'], ['team', 'everyone']), grantOf(['owner'], ['team']), grantOf(['owner', 'x'], ['team'])],
      members,
    );
    expect([...out.groups]).toEqual(['team']);
    expect([...out.users]).toEqual(['owner']);
    expect(members.asked).toEqual([]);
  });

  it('drops a level that a narrower one implies, without asking for members', async () => {
    const members = membersFrom({ everyone: ['a', 'b', 'c'] });
    const out = await intersectGrants([grantOf(['a'], ['everyone']), grantOf(['a'], [])], members);
    expect([...out.users]).toEqual(['a']);
    expect(out.groups.size).toBe(0);
    expect(members.asked).toEqual([]);
  });

  it('emits exact users when different groups guard different levels', async () => {
    const table = { everyone: ['o', 'x', 'a1', 'b1', 'ab'], A: ['a1', 'ab', 'outsider'], B: ['b1', 'ab'] };
    const members = membersFrom(table);
    const out = await intersectGrants(
      [grantOf(['o'], ['everyone']), grantOf(['o', 'x'], ['A']), grantOf(['o'], ['B'])],
      members,
    );
    expect([...out.users].sort()).toEqual(['ab', 'o']);
    expect(out.groups.size).toBe(0);
  });

  it('grants nobody when the levels share no one', async () => {
    const out = await intersectGrants([grantOf([], ['A']), grantOf([], ['B'])], membersFrom({ A: ['a'], B: ['b'] }));
    expect(out.users.size + out.groups.size).toBe(0);
  });

  it('agrees with brute force on 400 random sites: never more, never less', async () => {
    const random = rng(20240607);
    const pick = <T>(items: T[], p: number) => items.filter(() => random() < p);
    const users = Array.from({ length: 9 }, (_, i) => `u${i}`);
    const groups = ['g0', 'g1', 'g2', 'g3', 'g4'];
    for (let trial = 0; trial < 400; trial++) {
      const table = Object.fromEntries(groups.map((g) => [g, pick(users, 0.45)]));
      const levels = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
        grantOf(pick(users, 0.2), pick(groups, 0.35)),
      );
      const out = await intersectGrants(levels as [Grant, ...Grant[]], membersFrom(table));
      for (const u of users) {
        const truth = levels.every((level) => canRead(u, level, table));
        expect(canRead(u, out, table), `trial ${trial}, user ${u}`).toBe(truth);
      }
      // Every group emitted lies inside every level, so it stays exact whatever its membership becomes.
      for (const g of out.groups)
        expect(
          levels.every((level) => level.groups.has(g)),
          `trial ${trial}, group ${g}`,
        ).toBe(true);
    }
  });
});

describe('spaceGrants', () => {
  const p = (type: 'user' | 'group' | 'role', id: string, operation: string, targetType: string) => ({
    principal: { type, id },
    operation,
    targetType,
  });
  const perms = [
    p('group', 'everyone', 'read', 'space'),
    p('role', 'ANONYMOUS', 'read', 'space'),
    p('group', 'everyone', 'create', 'page'),
    p('group', 'bloggers', 'create', 'blogpost'),
    p('group', 'admins', 'administer', 'space'),
    p('user', 'owner', 'delete', 'page'),
    p('group', 'bloggers', 'delete', 'blogpost'),
  ];

  it('reads space view, edit (add/edit or administer) and delete rights per content type; roles are left out', () => {
    const page = spaceGrants(perms, 'page');
    expect([...page.read.groups]).toEqual(['everyone']);
    expect(page.read.users.size).toBe(0);
    expect([...page.edit.groups].sort()).toEqual(['admins', 'everyone']);
    expect([...page.delete.users]).toEqual(['owner']);
    const blog = spaceGrants(perms, 'blogpost');
    expect([...blog.edit.groups].sort()).toEqual(['admins', 'bloggers']);
    expect([...blog.delete.groups]).toEqual(['bloggers']);
  });
});

describe('toPermissionsData', () => {
  const grants = {
    read: grantOf(['u3', 'u1', 'u2'], ['g2', 'g1']),
    update: grantOf(['u1'], []),
    delete: grantOf([], []),
  };

  it('sorts every list and reports no cap when everything fits', () => {
    const { permissionsData, capped } = toPermissionsData(grants, 5);
    expect(permissionsData).toEqual([
      { read: { users: ['u1', 'u2', 'u3'], groups: ['g1', 'g2'] } },
      { update: { users: ['u1'], groups: [] } },
      { delete: { users: [], groups: [] } },
    ]);
    expect(capped).toBe(false);
  });

  it('cuts each operation at the cap, groups first, and says so', () => {
    const { permissionsData, capped } = toPermissionsData(grants, 3);
    expect(permissionsData[0]).toEqual({ read: { users: ['u1'], groups: ['g1', 'g2'] } });
    expect(capped).toBe(true);
    expect(() => toPermissionsData(grants, 0)).toThrow(/positive integer/);
  });
});

describe('BoundedCache', () => {
  it('shares one in-flight load, forgets failures, evicts the least recently used and expires old entries', async () => {
    let clock = 0;
    const cache = new BoundedCache<string, number>({ maxEntries: 2, maxAgeMs: 100, now: () => clock });
    let loads = 0;
    const load = (v: number) => async () => {
      loads++;
      return v;
    };
    const [a, b] = await Promise.all([cache.get('a', load(1)), cache.get('a', load(2))]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    await expect(cache.get('bad', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(cache.has('bad')).toBe(false);
    await cache.get('b', load(3));
    await cache.get('a', load(9)); // a is now the most recently used
    await cache.get('c', load(4)); // evicts b
    expect([cache.has('a'), cache.has('b'), cache.has('c'), cache.size]).toEqual([true, false, true, 2]);
    clock = 100;
    expect(cache.has('a')).toBe(false);
    expect(await cache.get('a', load(5))).toBe(5);
  });
});
