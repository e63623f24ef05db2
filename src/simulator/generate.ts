// Deterministic site generation: the same options always produce the same users, spaces, pages and attachments.
import type { SimAttachment, SimGroup, SimPage, SimSpace, SimUser, SpacePermission } from './model';
import { emptyRestriction } from './model';
import type { SimulatorOptions } from './options';
import { Rng } from './rng';
import { SimSite } from './site';
import { FILE_KINDS, FILE_STEMS, GROUP_NAMES, IMAGE_STEMS, KINDS, PEOPLE, SPACE_NAMES, TOPICS } from './vocab';

const DAY = 86_400_000;

export function generateSite(options: SimulatorOptions): SimSite {
  const rng = Rng.derive(options.seed, 'site');
  const epoch = Date.UTC(2022, 0, 3, 9) + (Math.abs(options.seed) % 97) * DAY;
  const users = generateUsers(rng, options);
  const groups = generateGroups(rng, users);
  const ids = new IdCounter(rng);
  const spaces: SimSpace[] = [];
  const pages: SimPage[] = [];
  for (let i = 0; i < options.spaces; i++) {
    const [key, name] = spaceName(i);
    const createdAt = epoch + i * 7 * DAY;
    const space: SimSpace = {
      id: String(ids.next('space', 98304)),
      key,
      name,
      type: 'global',
      status: 'current',
      authorId: users[0].id,
      createdAt: iso(createdAt),
      homepageId: '',
      permissions: [],
    };
    space.permissions = defaultPermissions(space, groups, users[0], ids);
    const tree = generatePages(rng, space, options.pagesPerSpace, { users, ids, createdAt });
    space.homepageId = tree[0].id;
    spaces.push(space);
    pages.push(...tree);
  }
  return new SimSite({ users, groups, spaces, pages });
}

class IdCounter {
  private readonly counters = new Map<string, number>();
  constructor(private readonly rng: Rng) {}

  /** Increasing ids with small random gaps, as on a real site where other content takes ids in between. */
  next(kind: string, start: number): number {
    const value = (this.counters.get(kind) ?? start) + this.rng.int(1, 4);
    this.counters.set(kind, value);
    return value;
  }
}

function spaceName(index: number): readonly [string, string] {
  const [key, name] = SPACE_NAMES[index % SPACE_NAMES.length];
  const round = Math.floor(index / SPACE_NAMES.length);
  return round === 0 ? [key, name] : [`${key}${round + 1}`, `${name} ${round + 1}`];
}

function generateUsers(rng: Rng, options: SimulatorOptions): SimUser[] {
  const users: SimUser[] = [];
  for (let i = 0; i < options.users; i++) {
    const displayName = i === 0 ? 'Ingest Bot' : PEOPLE[(i - 1) % PEOPLE.length] + (i > PEOPLE.length ? ` ${Math.ceil(i / PEOPLE.length)}` : '');
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
    });
  }
  const overrides = options.credentials;
  const primary = users[0];
  if (overrides.username) {
    if (options.mode === 'cloud') primary.email = overrides.username;
    else primary.username = overrides.username;
  }
  Object.assign(primary, pickDefined({ apiToken: overrides.apiToken, password: overrides.password, pat: overrides.pat }));
  return users;
}

function pickDefined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function loginName(displayName: string): string {
  const [first, ...rest] = displayName.toLowerCase().normalize('NFKD').replace(/[^a-z0-9 ]/g, '').split(' ');
  return `${first.charAt(0)}${rest.join('')}`;
}

function generateGroups(rng: Rng, users: SimUser[]): SimGroup[] {
  const uuid = () => `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`;
  const groups: SimGroup[] = [
    { id: uuid(), name: 'confluence-users', memberIds: users.map((u) => u.id) },
    { id: uuid(), name: 'confluence-administrators', memberIds: [users[0].id] },
  ];
  const others = users.slice(1).map((u) => u.id);
  for (const name of GROUP_NAMES) {
    groups.push({ id: uuid(), name, memberIds: rng.sample(others, rng.int(1, Math.max(1, Math.ceil(others.length / 2)))) });
  }
  return groups;
}

function defaultPermissions(space: SimSpace, groups: SimGroup[], owner: SimUser, ids: IdCounter): SpacePermission[] {
  const everyone = groups.find((g) => g.name === 'confluence-users')!;
  const admins = groups.find((g) => g.name === 'confluence-administrators')!;
  const grant = (type: 'user' | 'group', id: string, key: SpacePermission['operation']['key'], targetType: SpacePermission['operation']['targetType']) => ({
    id: String(ids.next('permission', 1015808)),
    principal: { type, id },
    operation: { key, targetType },
  });
  return [
    grant('group', everyone.id, 'read', 'space'),
    grant('group', everyone.id, 'create', 'page'),
    grant('group', everyone.id, 'create', 'blogpost'),
    grant('group', everyone.id, 'create', 'attachment'),
    grant('group', admins.id, 'delete', 'page'),
    grant('group', admins.id, 'administer', 'space'),
    grant('user', owner.id, 'read', 'space'),
    grant('user', owner.id, 'delete', 'page'),
    grant('user', owner.id, 'administer', 'space'),
  ];
}

interface PageGenContext {
  users: SimUser[];
  ids: IdCounter;
  createdAt: number;
}

function generatePages(rng: Rng, space: SimSpace, count: number, ctx: PageGenContext): SimPage[] {
  const titles = new Set<string>();
  const pages: SimPage[] = [];
  const childCount = new Map<string | null, number>();
  for (let i = 0; i < count; i++) {
    const title = i === 0 ? `${space.name} Home` : uniqueTitle(rng, titles);
    titles.add(title);
    const parentId = i === 0 || rng.chance(0.08) ? null : rng.chance(0.4) ? pages[0].id : rng.pick(pages).id;
    const position = childCount.get(parentId) ?? 0;
    childCount.set(parentId, position + 1);
    const author = rng.pick(ctx.users);
    const created = ctx.createdAt + (i === 0 ? 0 : rng.int(60_000, 365 * DAY));
    const versions = rng.chance(0.4) ? 1 : rng.int(2, 9);
    const modified = versions === 1 ? created : created + rng.int(60_000, 200 * DAY);
    const page: SimPage = {
      id: String(ctx.ids.next('content', 131072)),
      type: 'page',
      spaceId: space.id,
      title,
      parentId,
      position,
      authorId: author.id,
      createdAt: iso(created),
      status: 'current',
      version: { number: versions, createdAt: iso(modified), authorId: rng.pick(ctx.users).id, message: '', minorEdit: false },
      restrictions: { read: emptyRestriction(), update: emptyRestriction() },
      attachments: [],
    };
    page.attachments = generateAttachments(rng, page, ctx.ids);
    pages.push(page);
  }
  return pages;
}

function uniqueTitle(rng: Rng, taken: Set<string>): string {
  const base = rng.chance(0.1) ? `${rng.pick(TOPICS)}: Q&A / "Lessons"` : `${rng.pick(TOPICS)} ${rng.pick(KINDS)}`;
  let title = base;
  for (let n = 2; taken.has(title); n++) title = `${base} ${n}`;
  return title;
}

function generateAttachments(rng: Rng, page: SimPage, ids: IdCounter): SimAttachment[] {
  const names = new Set<string>();
  const out: SimAttachment[] = [];
  const count = rng.int(0, 3);
  for (let i = 0; i < count; i++) {
    const image = rng.chance(0.6);
    const [ext, mediaType] = image ? (['png', 'image/png'] as const) : rng.pick(FILE_KINDS);
    let title = `${rng.pick(image ? IMAGE_STEMS : FILE_STEMS)}.${ext}`;
    for (let n = 2; names.has(title); n++) title = title.replace(/(-\d+)?\.(\w+)$/, `-${n}.$2`);
    names.add(title);
    const id = ids.next('attachment', 294912);
    out.push({
      id: `att${id}`,
      pageId: page.id,
      title,
      mediaType,
      createdAt: page.createdAt,
      version: 1,
      comment: '',
      fileId: `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`,
    });
  }
  return out;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
