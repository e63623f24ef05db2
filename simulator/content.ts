// Page content as a block tree, generated from (seed, page id, version): a new version yields a new body.
// Storage format and body.view are both rendered from the same blocks (see render/*.ts).
import type { SimAttachment, SimInclude, SimMacro, SimPage } from './model';
import { Rng } from './rng';
import { EXTERNAL_LINKS, LANGUAGES, PANELS, TOPICS, UNICODE_WORDS, WORDS } from './vocab';

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'strong'; text: string }
  | { kind: 'em'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'link'; href: string; text: string }
  | { kind: 'pageLink'; page: PageTarget; text: string };

export type PageTarget = Pick<SimPage, 'id' | 'title' | 'type' | 'createdAt'> & { spaceKey: string };

export interface ListItem {
  inlines: Inline[];
  children?: ListBlock;
}

export interface ListBlock {
  kind: 'list';
  ordered: boolean;
  items: ListItem[];
}

export type Block =
  | { kind: 'heading'; level: 2 | 3; text: string }
  | { kind: 'paragraph'; inlines: Inline[] }
  | ListBlock
  | { kind: 'table'; header: string[]; rows: string[][] }
  | { kind: 'code'; language: string; lines: string[] }
  | { kind: 'panel'; panel: (typeof PANELS)[number]; title?: string; inlines: Inline[] }
  | { kind: 'image'; attachment: SimAttachment }
  | { kind: 'file'; attachment: SimAttachment }
  /** The excerpt macro around the page's first paragraph: what Excerpt Include shows of this page elsewhere. */
  | { kind: 'excerpt'; inlines: Inline[] }
  | { kind: 'include'; macro: SimInclude['macro']; source: PageTarget }
  /** A link to an attachment of another page. */
  | { kind: 'attachmentLink'; attachment: SimAttachment; container: PageTarget }
  /** A macro rendered late or from outside the page: see render/lateMacros.ts. */
  | { kind: 'macro'; macro: SimMacro };

/** What a page body may point at besides its own attachments. */
export interface ContentContext {
  page: SimPage;
  /** Other pages of the site that links may target. */
  linkTargets: PageTarget[];
  /** The page's include macros, links to other pages' attachments and late macros, in the order they were added. */
  embeds?: Block[];
}

export function buildBlocks(seed: number, ctx: ContentContext): Block[] {
  const rng = Rng.derive(seed, `body:${ctx.page.id}:v${ctx.page.version.number}`);
  const opening = richText(rng, ctx);
  const blocks: Block[] = [
    ctx.page.excerpt ? { kind: 'excerpt', inlines: opening } : { kind: 'paragraph', inlines: opening },
  ];
  const images = ctx.page.attachments.filter((a) => a.mediaType.startsWith('image/'));
  const files = ctx.page.attachments.filter((a) => !a.mediaType.startsWith('image/'));
  const sections = rng.int(2, 5);
  for (let s = 0; s < sections; s++) {
    blocks.push({
      kind: 'heading',
      level: 2,
      text: `${rng.pick(TOPICS)} ${rng.pick(['details', 'steps', 'context', 'outcome', 'owners'])}`,
    });
    for (const make of rng.sample(BLOCK_MAKERS, rng.int(2, 4))) blocks.push(...make(rng, ctx));
    const image = images[s];
    if (image) blocks.push({ kind: 'image', attachment: image });
  }
  for (const image of images.slice(sections)) blocks.push({ kind: 'image', attachment: image });
  if (files.length > 0) {
    blocks.push({ kind: 'heading', level: 3, text: 'Attachments' });
    for (const file of files) blocks.push({ kind: 'file', attachment: file });
  }
  return [...blocks, ...(ctx.embeds ?? [])];
}

type BlockMaker = (rng: Rng, ctx: ContentContext) => Block[];

const BLOCK_MAKERS: BlockMaker[] = [
  (rng, ctx) => [
    { kind: 'paragraph', inlines: richText(rng, ctx) },
    { kind: 'paragraph', inlines: richText(rng, ctx) },
  ],
  (rng) => [list(rng, 0)],
  (rng) => [table(rng)],
  (rng) => {
    const [language, lines] = rng.pick(LANGUAGES);
    return [{ kind: 'code', language, lines }];
  },
  (rng, ctx) => [
    {
      kind: 'panel',
      panel: rng.pick(PANELS),
      title: rng.chance(0.3) ? 'Heads up' : undefined,
      inlines: richText(rng, ctx),
    },
  ],
  (rng, ctx) => [
    { kind: 'heading', level: 3, text: sentence(rng, 3).replace(/\.$/, '') },
    { kind: 'paragraph', inlines: richText(rng, ctx) },
  ],
];

function sentence(rng: Rng, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(rng.chance(0.03) ? rng.pick(UNICODE_WORDS) : rng.pick(WORDS));
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function richText(rng: Rng, ctx: ContentContext): Inline[] {
  const inlines: Inline[] = [{ kind: 'text', text: `${sentence(rng, rng.int(6, 16))} ` }];
  const extras = rng.int(1, 3);
  for (let i = 0; i < extras; i++) {
    const choice = rng.int(0, 4);
    if (choice === 0) inlines.push({ kind: 'strong', text: sentence(rng, 2).replace(/\.$/, '') });
    else if (choice === 1) inlines.push({ kind: 'em', text: sentence(rng, 3).replace(/\.$/, '') });
    else if (choice === 2) inlines.push({ kind: 'code', text: `${rng.pick(WORDS)}_${rng.pick(WORDS)}` });
    else if (choice === 3) inlines.push({ kind: 'link', href: rng.pick(EXTERNAL_LINKS), text: 'see the reference' });
    else if (ctx.linkTargets.length > 0) {
      const page = rng.pick(ctx.linkTargets);
      inlines.push({ kind: 'pageLink', page, text: page.title });
    }
    inlines.push({ kind: 'text', text: ` ${sentence(rng, rng.int(4, 10))} ` });
  }
  return inlines;
}

function list(rng: Rng, depth: number): ListBlock {
  const items: ListItem[] = [];
  const count = rng.int(2, 5);
  for (let i = 0; i < count; i++) {
    const item: ListItem = { inlines: [{ kind: 'text', text: sentence(rng, rng.int(3, 9)) }] };
    if (depth < 2 && rng.chance(0.25)) item.children = list(rng, depth + 1);
    items.push(item);
  }
  return { kind: 'list', ordered: rng.chance(0.4), items };
}

function table(rng: Rng): Block {
  const columns = rng.int(2, 4);
  const header = ['Name', 'Owner', 'Status', 'Notes'].slice(0, columns);
  const rows: string[][] = [];
  const count = rng.int(2, 5);
  for (let r = 0; r < count; r++) {
    rows.push(header.map((_, c) => (c === 0 ? `${rng.pick(TOPICS)} ${r + 1}` : sentence(rng, rng.int(1, 4)))));
  }
  return { kind: 'table', header, rows };
}
