// Labels and comments of generated pages. Each page draws from a generator derived from (seed, page id), so adding
// them left every other generated value (users, pages, bodies, attachments) as it was.
import type { CommentLocation, SimComment, SimLabel, SimPage, SimUser } from './model';
import { Rng } from './rng';
import { LABEL_NAMES, RARE_LABEL_NAMES, WORDS } from './vocab';

/** Comment ids share Confluence's content id space; generated ones start far above generated page ids. */
export const FIRST_COMMENT_ID = 40_000_000;

export function labelId(name: string): string {
  let h = 0x811c9dc5;
  for (const ch of name) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return String(h % 1_000_000_000);
}

export function label(name: string): SimLabel {
  return { id: labelId(name), name, prefix: 'global' };
}

export function generateLabels(seed: number, page: SimPage): SimLabel[] {
  const rng = Rng.derive(seed, `labels:${page.id}`);
  const names = rng.sample(LABEL_NAMES, rng.int(0, 3));
  if (rng.chance(0.12)) names.push(rng.pick(RARE_LABEL_NAMES));
  return names.sort().map(label);
}

interface CommentIds {
  next(): string;
}

export function commentIds(start = FIRST_COMMENT_ID): CommentIds {
  let id = start;
  return { next: () => String(++id) };
}

/** Footer threads (replies up to two deep) and inline threads (one reply at most), dated after the page was created. */
export function generateComments(seed: number, page: SimPage, users: SimUser[], ids: CommentIds): SimComment[] {
  const rng = Rng.derive(seed, `comments:${page.id}`);
  if (rng.chance(0.45)) return [];
  const out: SimComment[] = [];
  const start = Date.parse(page.createdAt);
  const make = (location: CommentLocation, parent: SimComment | null, at: number): SimComment => {
    const authorId = rng.pick(users).id;
    const versions = rng.chance(0.8) ? 1 : rng.int(2, 3);
    const createdAt = new Date(at).toISOString();
    const modified = versions === 1 ? createdAt : new Date(at + rng.int(60_000, 3 * 86_400_000)).toISOString();
    const comment: SimComment = {
      id: ids.next(),
      pageId: page.id,
      location,
      parentId: parent?.id ?? null,
      authorId,
      createdAt,
      version: { number: versions, createdAt: modified, authorId, message: '', minorEdit: false },
      text: commentText(rng),
    };
    if (location === 'inline' && !parent) {
      comment.inline = {
        selection: rng.sample(WORDS, 2).join(' '),
        markerRef: rng.hex(36),
        resolution: rng.chance(0.3) ? 'resolved' : 'open',
      };
    }
    out.push(comment);
    return comment;
  };
  let at = start + rng.int(60_000, 86_400_000);
  const later = () => (at += rng.int(60_000, 86_400_000));
  for (let t = rng.int(0, 3); t > 0; t--) {
    const root = make('footer', null, later());
    for (let r = rng.int(0, 2); r > 0; r--) {
      const reply = make('footer', root, later());
      if (rng.chance(0.3)) make('footer', reply, later());
    }
  }
  for (let t = rng.int(0, 2); t > 0; t--) {
    const root = make('inline', null, later());
    if (rng.chance(0.5)) make('inline', root, later());
  }
  return out;
}

export function commentText(rng: Rng): string {
  const words = rng.sample(WORDS, rng.int(5, 14)).join(' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}.`;
}
