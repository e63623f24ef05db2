// Generated pages, blog posts and attachments of one space.
import type { SimAttachment, SimPage, SimSpace, SimUser } from './model';
import { emptyRestriction } from './model';
import type { Rng } from './rng';
import { FILE_KINDS, FILE_STEMS, IMAGE_STEMS, KINDS, TOPICS } from './vocab';

export const DAY = 86_400_000;

export interface IdSource {
  next(kind: string, start: number): number;
}

export interface ContentCounts {
  pages: number;
  blogposts: number;
  archived: number;
}

interface ContentGenContext {
  users: SimUser[];
  ids: IdSource;
  createdAt: number;
}

export function generateSpaceContent(
  rng: Rng,
  space: SimSpace,
  counts: ContentCounts,
  ctx: ContentGenContext,
): SimPage[] {
  const titles = new Set<string>();
  const pages: SimPage[] = [];
  const childCount = new Map<string | null, number>();
  const total = counts.pages + counts.archived;
  for (let i = 0; i < total; i++) {
    const title = uniqueTitle(rng, titles, () => (i === 0 ? `${space.name} Home` : pageTitle(rng)));
    const parentId = i === 0 || rng.chance(0.08) ? null : rng.chance(0.4) ? pages[0].id : rng.pick(pages).id;
    const position = childCount.get(parentId) ?? 0;
    childCount.set(parentId, position + 1);
    const page = newContent(rng, 'page', space, title, parentId, position, ctx, i === 0);
    if (i >= counts.pages) page.status = 'archived';
    pages.push(page);
  }
  for (let i = 0; i < counts.blogposts; i++) {
    const title = uniqueTitle(rng, titles, () => `${rng.pick(TOPICS)} update`);
    pages.push(newContent(rng, 'blogpost', space, title, null, 0, ctx, false));
  }
  return pages;
}

function newContent(
  rng: Rng,
  type: SimPage['type'],
  space: SimSpace,
  title: string,
  parentId: string | null,
  position: number,
  ctx: ContentGenContext,
  isHome: boolean,
): SimPage {
  const created = ctx.createdAt + (isHome ? 0 : rng.int(60_000, 365 * DAY));
  const versions = rng.chance(0.4) ? 1 : rng.int(2, 9);
  const modified = versions === 1 ? created : created + rng.int(60_000, 200 * DAY);
  const page: SimPage = {
    id: String(ctx.ids.next('content', 131072)),
    type,
    spaceId: space.id,
    title,
    parentId,
    position,
    authorId: rng.pick(ctx.users).id,
    createdAt: iso(created),
    status: 'current',
    version: {
      number: versions,
      createdAt: iso(modified),
      authorId: rng.pick(ctx.users).id,
      message: '',
      minorEdit: false,
    },
    restrictions: { read: emptyRestriction(), update: emptyRestriction() },
    attachments: [],
  };
  page.attachments = generateAttachments(rng, page, ctx.ids);
  return page;
}

function pageTitle(rng: Rng): string {
  // Some titles carry characters that URLs, file names and HTML must escape.
  return rng.chance(0.1) ? `${rng.pick(TOPICS)}: Q&A / "Lessons"` : `${rng.pick(TOPICS)} ${rng.pick(KINDS)}`;
}

function uniqueTitle(_rng: Rng, taken: Set<string>, make: () => string): string {
  const base = make();
  let title = base;
  for (let n = 2; taken.has(title); n++) title = `${base} ${n}`;
  taken.add(title);
  return title;
}

function generateAttachments(rng: Rng, page: SimPage, ids: IdSource): SimAttachment[] {
  const names = new Set<string>();
  const out: SimAttachment[] = [];
  const count = rng.int(0, 3);
  for (let i = 0; i < count; i++) {
    const image = rng.chance(0.6);
    const [ext, mediaType] = image ? (['png', 'image/png'] as const) : rng.pick(FILE_KINDS);
    let title = `${rng.pick(image ? IMAGE_STEMS : FILE_STEMS)}.${ext}`;
    for (let n = 2; names.has(title); n++) title = title.replace(/(-\d+)?\.(\w+)$/, `-${n}.$2`);
    names.add(title);
    out.push({
      id: `att${ids.next('attachment', 294912)}`,
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

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
