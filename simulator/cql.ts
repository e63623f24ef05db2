// Enough CQL for ingest selections: space, type, id, title, ancestor/parent, container, label, created/lastmodified
// comparisons,
// AND/OR/NOT with parentheses, IN lists and ORDER BY. Anything else is a 400, as Confluence answers bad CQL.
import type { SimComment, SimNode } from './model';
import type { SimSite } from './site';

type Op = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~' | 'in' | 'not in';

type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; inner: Node }
  | { kind: 'clause'; field: string; op: Op; values: string[] };

export interface OrderBy {
  field: string;
  descending: boolean;
}

export interface CqlQuery {
  where: Node;
  orderBy: OrderBy[];
}

export class CqlError extends Error {}

const FIELDS = [
  'space',
  'space.key',
  'space.id',
  'type',
  'id',
  'content',
  'title',
  'ancestor',
  'parent',
  'container',
  'created',
  'lastmodified',
  'label',
  'creator',
];

/** What a search can find: pages, blog posts, folders (type folder), and comments (type comment, contained in their page). */
export type CqlContent = SimNode | SimComment;

export function isComment(content: CqlContent): content is SimComment {
  return 'location' in content;
}
const ORDER_FIELDS = ['id', 'title', 'created', 'lastmodified'];

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(!=|>=|<=|!~|[=<>~(),])|([^\s=<>~(),!"']+))/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < text.length && (m = re.exec(text))) {
    at = re.lastIndex;
    tokens.push(m[1] ?? m[2] ?? m[3]);
  }
  if (text.slice(at).trim() !== '') throw new CqlError(`unexpected text at "${text.slice(at, at + 20)}"`);
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: string[]) {}

  parse(): CqlQuery {
    const where = this.or();
    const orderBy: OrderBy[] = [];
    if (this.word('order')) {
      if (!this.word('by')) throw new CqlError('expected BY after ORDER');
      do {
        const field = this.take().toLowerCase();
        if (!ORDER_FIELDS.includes(field)) throw new CqlError(`cannot order by "${field}"`);
        let descending = false;
        if (this.word('desc')) descending = true;
        else this.word('asc');
        orderBy.push({ field, descending });
      } while (this.peek() === ',' && this.take());
    }
    if (this.pos < this.tokens.length) throw new CqlError(`unexpected "${this.tokens[this.pos]}"`);
    return { where, orderBy };
  }

  private or(): Node {
    let left = this.and();
    while (this.word('or')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): Node {
    let left = this.not();
    while (this.word('and')) left = { kind: 'and', left, right: this.not() };
    return left;
  }

  private not(): Node {
    if (this.word('not')) return { kind: 'not', inner: this.not() };
    if (this.peek() === '(') {
      this.take();
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    return this.clause();
  }

  private clause(): Node {
    const field = this.take().toLowerCase();
    if (!FIELDS.includes(field)) throw new CqlError(`field "${field}" is not supported`);
    if (this.word('in')) return { kind: 'clause', field, op: 'in', values: this.list() };
    if (this.word('not')) {
      if (!this.word('in')) throw new CqlError('expected IN after NOT');
      return { kind: 'clause', field, op: 'not in', values: this.list() };
    }
    const op = this.take();
    if (!['=', '!=', '>', '>=', '<', '<=', '~', '!~'].includes(op))
      throw new CqlError(`expected an operator after ${field}, got "${op}"`);
    return { kind: 'clause', field, op: op as Op, values: [this.value()] };
  }

  private list(): string[] {
    this.expect('(');
    const values = [this.value()];
    while (this.peek() === ',') {
      this.take();
      values.push(this.value());
    }
    this.expect(')');
    return values;
  }

  private value(): string {
    const token = this.take();
    if (/^["']/.test(token)) return token.slice(1, -1).replace(/\\(.)/g, '$1');
    if (['(', ')', ','].includes(token)) throw new CqlError(`expected a value, got "${token}"`);
    return token;
  }

  private word(w: string): boolean {
    if (this.peek()?.toLowerCase() !== w) return false;
    this.pos++;
    return true;
  }

  private expect(token: string): void {
    if (this.take() !== token) throw new CqlError(`expected "${token}"`);
  }

  private peek(): string | undefined {
    return this.tokens[this.pos];
  }

  private take(): string {
    const token = this.tokens[this.pos++];
    if (token === undefined) throw new CqlError('unexpected end of query');
    return token;
  }
}

export function parseCql(text: string): CqlQuery {
  if (text.trim() === '') throw new CqlError('the query is empty');
  return new Parser(tokenize(text)).parse();
}

/** CQL dates: yyyy-MM-dd or yyyy/MM/dd, optionally with HH:mm; read as UTC. */
function parseDate(value: string): number {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[ T](\d{2}):(\d{2}))?$/.exec(value.trim());
  if (!m) throw new CqlError(`"${value}" is not a date (use yyyy-MM-dd or "yyyy-MM-dd HH:mm")`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
}

function compare(op: Op, actual: number, expected: number): boolean {
  switch (op) {
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    default:
      throw new CqlError(`operator ${op} does not apply to dates`);
  }
}

function fieldValues(field: string, content: CqlContent, site: SimSite): string[] {
  if (isComment(content)) return commentFieldValues(field, content, site);
  const page = content;
  const space = site.space(page.spaceId)!;
  switch (field) {
    case 'space':
    case 'space.key':
      return [space.key];
    case 'space.id':
      return [space.id];
    case 'type':
      return [page.type];
    case 'id':
    case 'content':
      return [page.id];
    case 'title':
      return [page.title];
    case 'ancestor':
      return site.ancestors(page.id).map((a) => a.id);
    case 'parent':
      return page.parentId ? [page.parentId] : [];
    case 'creator':
      return creatorValues(page.authorId, site);
    case 'label':
      return site.labelsOf(page.id).map((l) => l.name);
    default:
      return []; // container: a page's container is its space, not content
  }
}

function commentFieldValues(field: string, comment: SimComment, site: SimSite): string[] {
  const page = site.page(comment.pageId)!;
  switch (field) {
    case 'type':
      return ['comment'];
    case 'id':
    case 'content':
      return [comment.id];
    case 'container':
      return [page.id];
    case 'creator':
      return creatorValues(comment.authorId, site);
    case 'title':
      return [commentTitle(comment, site)];
    case 'space':
    case 'space.key':
    case 'space.id':
      return fieldValues(field, page, site);
    default:
      return [];
  }
}

export function commentTitle(comment: SimComment, site: SimSite): string {
  return `Re: ${site.page(comment.pageId)?.title ?? ''}`;
}

function creatorValues(userId: string, site: SimSite): string[] {
  const author = site.user(userId);
  return author ? [author.id, author.userKey, author.username] : [];
}

function test(node: Node, page: CqlContent, site: SimSite): boolean {
  switch (node.kind) {
    case 'and':
      return test(node.left, page, site) && test(node.right, page, site);
    case 'or':
      return test(node.left, page, site) || test(node.right, page, site);
    case 'not':
      return !test(node.inner, page, site);
    case 'clause':
      return testClause(node, page, site);
  }
}

function testClause(node: Extract<Node, { kind: 'clause' }>, page: CqlContent, site: SimSite): boolean {
  if (node.field === 'created' || node.field === 'lastmodified') {
    const actual = Date.parse(node.field === 'created' ? page.createdAt : page.version.createdAt);
    return compare(node.op, actual, parseDate(node.values[0]));
  }
  const actual = fieldValues(node.field, page, site);
  const lower = (s: string) => s.toLowerCase();
  switch (node.op) {
    case '=':
      return actual.includes(node.values[0]);
    case '!=':
      return !actual.includes(node.values[0]);
    case 'in':
      return node.values.some((v) => actual.includes(v));
    case 'not in':
      return !node.values.some((v) => actual.includes(v));
    case '~':
      return actual.some((a) => lower(a).includes(lower(node.values[0])));
    case '!~':
      return !actual.some((a) => lower(a).includes(lower(node.values[0])));
    default:
      throw new CqlError(`operator ${node.op} does not apply to ${node.field}`);
  }
}

export function matchesCql(query: CqlQuery, page: CqlContent, site: SimSite): boolean {
  return test(query.where, page, site);
}

export function sortByCql<T extends CqlContent>(query: CqlQuery, pages: T[], site: SimSite): T[] {
  const keys: Record<string, (p: CqlContent) => string | number> = {
    id: (p) => Number(p.id),
    title: (p) => (isComment(p) ? commentTitle(p, site) : p.title),
    created: (p) => p.createdAt,
    lastmodified: (p) => p.version.createdAt,
  };
  const order = [...query.orderBy, { field: 'id', descending: false }];
  return [...pages].sort((a, b) => {
    for (const { field, descending } of order) {
      const x = keys[field](a);
      const y = keys[field](b);
      if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
    }
    return 0;
  });
}
