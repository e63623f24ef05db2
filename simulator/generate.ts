// Deterministic site generation: the same options always produce the same users, spaces, pages and attachments.
import { DAY, generateSpaceContent, iso, type IdSource } from './generate-content';
import { commentIds, generateComments, generateLabels } from './generate-discussion';
import { generateFolders } from './generate-folders';
import { generateTreeItems } from './generate-tree-items';
import { markLiveDocs } from './generate-live-docs';
import { generateIncludes } from './generate-includes';
import { defaultPermissions, restrictPages, restrictSpaces } from './generate-permissions';
import { generateRoleMode } from './generate-roles';
import type { SimGroup, SimPage, SimSpace, SimUser } from './model';
import type { SimulatorOptions } from './options';
import { Rng } from './rng';
import { SimSite } from './site';
import { GROUP_NAMES, PEOPLE, SPACE_NAMES } from './vocab';

const PERSONAL_SPACE_PAGES = 5;

export function generateSite(options: SimulatorOptions): SimSite {
  const rng = Rng.derive(options.seed, 'site');
  const epoch = Date.UTC(2022, 0, 3, 9) + (Math.abs(options.seed) % 97) * DAY;
  const users = generateUsers(rng, options);
  const groups = generateGroups(rng, users);
  const ids = new IdCounter(rng);
  const spaces: SimSpace[] = [];
  const pages: SimPage[] = [];
  const addSpace = (key: string, name: string, owner: SimUser, type: SimSpace['type'], pageCount: number) => {
    const createdAt = epoch + spaces.length * 7 * DAY;
    const space: SimSpace = {
      id: String(ids.next('space', 98304)),
      key,
      name,
      type,
      status: 'current',
      authorId: owner.id,
      createdAt: iso(createdAt),
      homepageId: '',
      permissions: defaultPermissions(groups, owner, ids),
    };
    const counts = { pages: pageCount, blogposts: options.blogpostsPerSpace, archived: options.archivedPerSpace };
    const content = generateSpaceContent(rng, space, counts, { users, ids, createdAt });
    space.homepageId = content[0].id;
    spaces.push(space);
    pages.push(...content);
  };
  for (let i = 0; i < options.spaces; i++) addSpace(...spaceName(i), users[0], 'global', options.pagesPerSpace);
  for (const owner of users.slice(1, 1 + options.personalSpaces)) {
    const key = options.mode === 'cloud' ? `~${owner.id.replace(/[^A-Za-z0-9]/g, '')}` : `~${owner.username}`;
    addSpace(key, owner.displayName, owner, 'personal', Math.min(PERSONAL_SPACE_PAGES, options.pagesPerSpace));
  }
  if (options.permissions === 'restricted') {
    const scheme = { rng: Rng.derive(options.seed, 'permissions'), users, groups, ids };
    restrictSpaces(scheme, spaces);
    restrictPages(scheme, pages);
  }
  const folders =
    options.foldersPerSpace > 0
      ? generateFolders(
          options.seed,
          options.foldersPerSpace,
          spaces,
          pages,
          users,
          options.permissions === 'restricted',
        )
      : [];
  const restricted = options.permissions === 'restricted';
  const treeItems =
    options.treeItemsPerSpace > 0
      ? generateTreeItems(options.seed, options.treeItemsPerSpace, spaces, [...pages, ...folders], users, restricted)
      : [];
  if (options.liveDocsPerSpace > 0) markLiveDocs(options.seed, options.liveDocsPerSpace, spaces, pages);
  if (options.includes) generateIncludes(options.seed, pages);
  if (options.roleModeSpaces > 0) generateRoleMode(options.seed, options.roleModeSpaces, spaces, users, groups);
  const cloudId = options.cloudId ?? uuid(Rng.derive(options.seed, 'cloud-id'));
  const labels = new Map(pages.map((p) => [p.id, generateLabels(options.seed, p)]));
  const nextComment = commentIds();
  const comments = pages.flatMap((p) => generateComments(options.seed, p, users, nextComment));
  return new SimSite({
    users,
    groups,
    spaces,
    pages: [...pages, ...folders, ...treeItems],
    cloudId,
    labels,
    comments,
    searchLagMs: options.searchLagMs,
    mode: options.mode,
  });
}

class IdCounter implements IdSource {
  private readonly counters = new Map<string, number>();
  constructor(private readonly rng: Rng) {}

  /** Increasing ids with small random gaps, as on a real site where other content takes ids in between. */
  next(kind: string, start: number): number {
    const value = (this.counters.get(kind) ?? start) + this.rng.int(1, 4);
    this.counters.set(kind, value);
    return value;
  }
}

function uuid(rng: Rng): string {
  return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`;
}

function spaceName(index: number): [string, string] {
  const [key, name] = SPACE_NAMES[index % SPACE_NAMES.length];
  const round = Math.floor(index / SPACE_NAMES.length);
  return round === 0 ? [key, name] : [`${key}${round + 1}`, `${name} ${round + 1}`];
}

function generateUsers(rng: Rng, options: SimulatorOptions): SimUser[] {
  const users: SimUser[] = [];
  for (let i = 0; i < options.users; i++) {
    const displayName =
      i === 0
        ? 'Ingest Bot'
        : PEOPLE[(i - 1) % PEOPLE.length] + (i > PEOPLE.length ? ` ${Math.ceil(i / PEOPLE.length)}` : '');
    const username = i === 0 ? 'ingest-bot' : loginName(displayName);
    users.push({
      id: `712020:${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`,
      userKey: rng.hex(32),
      username,
      email: `${username}@example.com`,
      displayName,
      apiToken: `ATATT3xFfGF0${rng.hex(48).toUpperCase()}`,
      password: `pw-${rng.hex(16)}`,
      pat: Buffer.from(`${rng.int(100000000000, 999999999999)}:${rng.hex(24)}`).toString('base64'),
      oauthToken: oauthToken(Rng.derive(options.seed, `oauth:${i}`)),
      scopedApiToken: `ATATT3xFfGF0${Rng.derive(options.seed, `scoped:${i}`).hex(48).toUpperCase()}`,
    });
  }
  const overrides = options.credentials;
  const primary = users[0];
  if (overrides.username) {
    if (options.mode === 'cloud') primary.email = overrides.username;
    else primary.username = overrides.username;
  }
  Object.assign(
    primary,
    pickDefined({
      apiToken: overrides.apiToken,
      password: overrides.password,
      pat: overrides.pat,
      oauthToken: overrides.oauthToken,
      scopedApiToken: overrides.scopedApiToken,
    }),
  );
  return users;
}

/** Shaped like a JWT (header.payload.signature) without being one. */
function oauthToken(rng: Rng): string {
  const part = (n: number) => Buffer.from(rng.hex(n)).toString('base64url');
  return `eyJraWQiOiJzaW11bGF0b3IiLCJhbGciOiJSUzI1NiJ9.${part(48)}.${part(64)}`;
}

function pickDefined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function loginName(displayName: string): string {
  const [first, ...rest] = displayName
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9 ]/g, '')
    .split(' ');
  return `${first.charAt(0)}${rest.join('')}`;
}

function generateGroups(rng: Rng, users: SimUser[]): SimGroup[] {
  const groups: SimGroup[] = [
    { id: uuid(rng), name: 'confluence-users', memberIds: users.map((u) => u.id) },
    { id: uuid(rng), name: 'confluence-administrators', memberIds: [users[0].id] },
  ];
  const others = users.slice(1).map((u) => u.id);
  for (const name of GROUP_NAMES) {
    groups.push({
      id: uuid(rng),
      name,
      memberIds: rng.sample(others, rng.int(1, Math.max(1, Math.ceil(others.length / 2)))),
    });
  }
  return groups;
}
