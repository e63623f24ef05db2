// Who may do something, as Confluence states it: a union of users and groups. A page's readers are the
// intersection of several such unions (space permission, then the view restrictions of every page in its chain).
// intersectGrants turns that intersection back into one union that is exact: every group it names lies inside
// every level, and every user it names was checked against every level, so it never grants more than Confluence.

export interface Grant {
  users: ReadonlySet<string>;
  groups: ReadonlySet<string>;
}

/** Members of groups, fetched on demand; `has` says whether asking would cost no request. */
export interface GroupMembers {
  of(groupId: string): Promise<ReadonlySet<string>>;
  has(groupId: string): boolean;
}

export function grantOf(users: Iterable<string>, groups: Iterable<string>): Grant {
  return { users: new Set(users), groups: new Set(groups) };
}

/** In Confluence an empty restriction restricts nothing: such a level is left out, not intersected. */
export function isOpen(grant: Grant): boolean {
  return grant.users.size === 0 && grant.groups.size === 0;
}

export async function intersectGrants(levels: readonly [Grant, ...Grant[]], members: GroupMembers): Promise<Grant> {
  const needed = withoutWiderLevels(levels);
  if (needed.length === 1) return needed[0];
  const common = new Set([...needed[0].groups].filter((g) => needed.every((level) => level.groups.has(g))));
  const pivot = pickPivot(needed, common);
  const others = needed.filter((level) => level !== pivot);
  const users: string[] = [];
  for (const user of await candidates(pivot, common, members)) {
    if (await passesAll(user, others, members)) users.push(user);
  }
  return { users: new Set(users), groups: common };
}

/**
 * Levels implied by a narrower one are dropped without asking for any member: if every user and group of M is
 * also named by L, whoever satisfies M satisfies L. Of identical levels the first stays.
 */
function withoutWiderLevels(levels: readonly Grant[]): Grant[] {
  return levels.filter(
    (level, i) => !levels.some((other, j) => j !== i && within(other, level) && (j < i || !within(level, other))),
  );
}

function within(inner: Grant, outer: Grant): boolean {
  return [...inner.users].every((u) => outer.users.has(u)) && [...inner.groups].every((g) => outer.groups.has(g));
}

/**
 * Users are drawn from one level and checked against the rest; the level with the fewest groups outside `common`
 * needs the fewest member lists. Ties go to the later level (a page restriction rather than the space grant, whose
 * groups are usually the largest), so the choice, and with it the output, depends on the data alone.
 */
function pickPivot(levels: Grant[], common: ReadonlySet<string>): Grant {
  const cost = (level: Grant) => [[...level.groups].filter((g) => !common.has(g)).length, level.users.size];
  return levels.reduce((best, level) => {
    const [a, b] = cost(level);
    const [x, y] = cost(best);
    return a < x || (a === x && b <= y) ? level : best;
  });
}

/** Everyone who satisfies the pivot other than through a group of `common` (those are covered as groups). */
async function candidates(pivot: Grant, common: ReadonlySet<string>, members: GroupMembers): Promise<string[]> {
  const found = new Set(pivot.users);
  const groups = [...pivot.groups].filter((g) => !common.has(g)).sort();
  for (const list of await Promise.all(groups.map((g) => members.of(g)))) for (const user of list) found.add(user);
  return [...found].sort();
}

async function passesAll(user: string, levels: Grant[], members: GroupMembers): Promise<boolean> {
  for (const level of levels) if (!(await passes(user, level, members))) return false;
  return true;
}

async function passes(user: string, level: Grant, members: GroupMembers): Promise<boolean> {
  if (level.users.has(user)) return true;
  // Groups already known first: the answer is the same, the requests fewer.
  const groups = [...level.groups].sort(
    (a, b) => Number(members.has(b)) - Number(members.has(a)) || (a < b ? -1 : a > b ? 1 : 0),
  );
  for (const group of groups) if ((await members.of(group)).has(user)) return true;
  return false;
}
