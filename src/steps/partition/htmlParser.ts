// Unstructured's v1 HTML parser (partition/html/parser.py) re-expressed over our lxml-shaped tree.
// Block ("flow") elements end paragraphs; phrasing (inline) elements add text segments to the
// paragraph they sit in, annotated with emphasis and links; each finished paragraph becomes one element.
import { cleanBullets, deriveTextType } from './textType';
import { ancestors, descendants, iterText, type HNode } from './htmlTree';
import { normalizeSpace, pyStrip } from '../../core/pyText';
import { cellHtml } from './tableHtml';
import type { Annotations, RawElement } from './rawElement';

interface Segment {
  text: string;
  annotations: Annotations;
}

type Item = Segment | RawElement;
type Kind =
  | 'flow'
  | 'heading'
  | 'list'
  | 'listItem'
  | 'pre'
  | 'img'
  | 'table'
  | 'removedBlock'
  | 'anchor'
  | 'bold'
  | 'italic'
  | 'br'
  | 'phrasing'
  | 'removedPhrasing'
  | 'default';

const KINDS: Record<string, Kind> = {};
const register = (kind: Kind, tags: string): void => tags.split(' ').forEach((t) => (KINDS[t] = kind));
const FLOW_TAGS = 'address article aside blockquote body center div footer header hgroup main section p dt';
register('flow', FLOW_TAGS);
register('heading', 'h1 h2 h3 h4 h5 h6');
register('list', 'dl ol ul');
register('listItem', 'li dd');
register('pre', 'pre');
register('img', 'img');
register('table', 'table');
register('anchor', 'a');
register('bold', 'b strong');
register('italic', 'em i');
register('br', 'br');
register(
  'phrasing',
  'abbr bdi bdo big cite code data dfn kbd mark meter q s samp small span strike sub sup time tt u var wbr',
);
// MathML is dropped rather than rendered: Confluence shows formulas as images, never as <math>.
register(
  'removedPhrasing',
  'button label audio canvas datalist dialog head iframe ix:header noembed noframes object select svg textarea title video xml math',
);
register('removedBlock', 'details figure hr nav template form input summary');

// Plain flow containers: the only children a list item "adopts" as its own text (Markdown loose lists).
const ADOPTABLE = new Set(FLOW_TAGS.split(' '));

function kindOf(node: HNode): Kind {
  return KINDS[node.tag] ?? 'default';
}

// Unknown tags count as phrasing: transparent, their text joins the paragraph around them.
const PHRASING_KINDS: ReadonlySet<Kind> = new Set([
  'anchor',
  'bold',
  'italic',
  'br',
  'phrasing',
  'removedPhrasing',
  'default',
]);

function isPhrasing(node: HNode): boolean {
  return PHRASING_KINDS.has(kindOf(node));
}

function isElement(item: Item): item is RawElement {
  return 'type' in item;
}

function consolidate(annotations: Annotations[]): Annotations {
  const out: Annotations = {};
  for (const a of annotations) {
    for (const key of Object.keys(a) as (keyof Annotations)[]) {
      (out[key] ??= []).push(...a[key]!);
    }
  }
  return out;
}

function emphasisAnnotation(text: string, emphasis: string): Annotations {
  const normalized = normalizeSpace(text);
  return normalized && emphasis ? { emphasized_text_contents: [normalized], emphasized_text_tags: [emphasis] } : {};
}

function addEmphasis(enclosing: string, mark: string): string {
  return [...new Set(enclosing + mark)].sort().join('');
}

const HEADING_DEPTH: Record<string, number> = { h1: 0, h2: 1, h3: 2, h4: 3, h5: 4, h6: 5 };

function categoryDepth(type: string, owner: HNode): number | undefined {
  if (type === 'ListItem') {
    if (owner.tag !== 'li' && owner.tag !== 'dd') return 0;
    return [...ancestors(owner)].filter((a) => a.tag === 'dl' || a.tag === 'ol' || a.tag === 'ul').length;
  }
  if (type === 'Title') return HEADING_DEPTH[owner.tag] ?? 0;
  return undefined;
}

/** Collects a paragraph's text segments and turns them into zero or one element. */
class Paragraph {
  private segments: Segment[] = [];
  constructor(private readonly owner: HNode) {}

  add(segment: Segment): void {
    this.segments.push(segment);
  }

  *flush(fixedType: string | undefined): Generator<RawElement> {
    const segments = this.segments;
    this.segments = [];
    let text = this.normalizedText(segments);
    if (segments.length === 0 || !text) return;
    let type = fixedType;
    if (type === undefined) {
      type = deriveTextType(text);
      if (type === undefined) return;
      if (type === 'ListItem') {
        text = cleanBullets(text);
        if (!text) return;
      }
    }
    const depth = categoryDepth(type, this.owner);
    const element: RawElement = { type, text, ...consolidate(segments.map((s) => s.annotations)) };
    if (depth !== undefined) element.category_depth = depth;
    yield element;
  }

  private normalizedText(segments: Segment[]): string {
    const joined = segments.map((s) => s.text).join('');
    if (this.owner.tag !== 'pre') return normalizeSpace(joined);
    // Code keeps its whitespace; only the newline after <pre> and the one before </pre> go.
    return joined.slice(joined.startsWith('\n') ? 1 : 0, joined.endsWith('\n') ? -1 : undefined);
  }
}

const FIXED_TYPE: Partial<Record<Kind, string>> = { heading: 'Title', listItem: 'ListItem', pre: 'CodeSnippet' };

// Where each element came from, for regions.ts: the innermost block node whose reading produced it, and every node
// read as a block (one that was not had its text read by an enclosing block, a table or a list item).
const producers = new WeakMap<RawElement, HNode>();
const readAsBlock = new WeakSet<HNode>();

export function producerOf(element: RawElement): HNode | undefined {
  return producers.get(element);
}

export function wasReadAsBlock(node: HNode): boolean {
  return readAsBlock.has(node);
}

/** The elements a block node produces (Flow.iter_elements and its overrides). */
export function* blockElements(node: HNode): Generator<RawElement> {
  readAsBlock.add(node);
  for (const element of producedBy(node)) {
    if (!producers.has(element)) producers.set(element, node);
    yield element;
  }
}

function* producedBy(node: HNode): Generator<RawElement> {
  const kind = kindOf(node);
  if (kind === 'img') yield* imageElement(node);
  else if (kind === 'table') yield* tableElement(node);
  else if (kind === 'removedBlock' || kind === 'removedPhrasing') return;
  else if (kind === 'listItem' && adoptsChild(node)) yield* adoptedListItem(node);
  else yield* flowElements(node, FIXED_TYPE[kind]);
}

function* flowElements(node: HNode, fixedType: string | undefined): Generator<RawElement> {
  const paragraph = new Paragraph(node);
  const queue = [...node.children];
  yield* paragraphFrom(paragraph, node.text, queue, fixedType);
  while (queue.length > 0) {
    const block = queue.shift()!;
    yield* blockElements(block);
    yield* paragraphFrom(paragraph, block.tail, queue, undefined);
  }
}

function* paragraphFrom(
  paragraph: Paragraph,
  text: string,
  queue: HNode[],
  fixedType: string | undefined,
): Generator<RawElement> {
  for (const item of leadingSegments(text, queue)) {
    if (isElement(item)) {
      yield* paragraph.flush(fixedType);
      yield item;
    } else {
      paragraph.add(item);
    }
  }
  yield* paragraph.flush(fixedType);
}

function* leadingSegments(text: string, queue: HNode[]): Generator<Item> {
  yield { text, annotations: {} };
  while (queue.length > 0 && isPhrasing(queue[0]!)) yield* phrasingSegments(queue.shift()!, '');
}

function adoptsChild(li: HNode): boolean {
  if (li.children.length !== 1 || pyStrip(li.text) !== '') return false;
  const child = li.children[0]!;
  return ADOPTABLE.has(child.tag) && pyStrip(child.tail) === '' && [...descendants(child)].every(isPhrasing);
}

function* adoptedListItem(li: HNode): Generator<RawElement> {
  const child = li.children[0]!;
  yield* paragraphFrom(new Paragraph(li), child.text, [...child.children], 'ListItem');
}

// -- phrasing ------------------------------------------------------------------------------------

function* phrasingSegments(node: HNode, enclosing: string): Generator<Item> {
  const kind = kindOf(node);
  if (kind === 'anchor') {
    yield* anchorSegments(node, enclosing);
    return;
  }
  if (kind === 'br') yield { text: '\n', annotations: {} };
  else if (kind !== 'removedPhrasing') {
    const inside =
      kind === 'bold' ? addEmphasis(enclosing, 'b') : kind === 'italic' ? addEmphasis(enclosing, 'i') : enclosing;
    if (node.text) yield { text: node.text, annotations: emphasisAnnotation(node.text, inside) };
    yield* childSegments(node, inside);
  }
  if (node.tail) yield { text: node.tail, annotations: emphasisAnnotation(node.tail, enclosing) };
}

function* childSegments(node: HNode, emphasis: string): Generator<Item> {
  const queue = [...node.children];
  while (queue.length > 0) {
    const child = queue.shift()!;
    if (isPhrasing(child)) {
      yield* phrasingSegments(child, emphasis);
      continue;
    }
    // A block inside inline markup (invalid but common) is its own paragraph, as browsers show it.
    yield* blockElements(child);
    if (child.tail) yield { text: child.tail, annotations: emphasisAnnotation(child.tail, emphasis) };
    while (queue.length > 0 && isPhrasing(queue[0]!)) yield* phrasingSegments(queue.shift()!, emphasis);
  }
}

/** A link annotates only its first non-blank phrase (or nested element), never several elements. */
function* anchorSegments(node: HNode, enclosing: string): Generator<Item> {
  const href = node.attrs.href;
  const items = [...anchorPhrases(node, enclosing)];
  while (items.length > 0) {
    const item = items.shift()!;
    if (!Array.isArray(item)) {
      yield linkElement(item, href);
      break;
    }
    const linked = linkSegment(item, href);
    if (linked) {
      yield linked;
      break;
    }
    yield* item;
  }
  for (const item of items) {
    if (Array.isArray(item)) yield* item;
    else yield item;
  }
  if (node.tail) yield { text: node.tail, annotations: emphasisAnnotation(node.tail, enclosing) };
}

function* anchorPhrases(node: HNode, emphasis: string): Generator<Segment[] | RawElement> {
  const queue = [...node.children];
  yield* phrases(node.text, queue, emphasis);
  while (queue.length > 0) {
    const block = queue.shift()!;
    yield* blockElements(block);
    yield* phrases(block.tail, queue, emphasis);
  }
}

function* phrases(text: string, queue: HNode[], emphasis: string): Generator<Segment[] | RawElement> {
  let phrase: Segment[] = text ? [{ text, annotations: emphasisAnnotation(text, emphasis) }] : [];
  while (queue.length > 0 && isPhrasing(queue[0]!)) {
    for (const item of phrasingSegments(queue.shift()!, emphasis)) {
      if (!isElement(item)) {
        phrase.push(item);
        continue;
      }
      if (phrase.length > 0) yield phrase;
      phrase = [];
      yield item;
    }
  }
  if (phrase.length > 0) yield phrase;
}

function linkSegment(phrase: Segment[], href: string | undefined): Segment | undefined {
  const text = phrase.map((s) => s.text).join('');
  const linkText = normalizeSpace(text);
  if (!linkText || !href) return undefined;
  return {
    text,
    annotations: consolidate([{ link_texts: [linkText], link_urls: [href] }, ...phrase.map((s) => s.annotations)]),
  };
}

function linkElement(element: RawElement, href: string | undefined): RawElement {
  if (!element.text || !href) return element;
  const linked = {
    ...element,
    link_texts: [...(element.link_texts ?? []), element.text],
    link_urls: [...(element.link_urls ?? []), href],
  };
  const producer = producers.get(element);
  if (producer) producers.set(linked, producer);
  return linked;
}

// -- images and tables ---------------------------------------------------------------------------

const DATA_IMAGE = /^data:(image\/[^;]+);base64,(.*)/;

function* imageElement(node: HNode): Generator<RawElement> {
  const src = pyStrip(node.attrs['data-src'] ?? '') || pyStrip(node.attrs.src ?? '');
  if (!src) return;
  const data = DATA_IMAGE.exec(src);
  const element: RawElement = { type: 'Image', text: pyStrip(node.attrs.alt ?? '') };
  if (data?.[2]) {
    element.image_base64 = data[2];
    element.image_mime_type = data[1];
  } else {
    element.image_url = src;
  }
  yield element;
}

function cellTextAndHtml(cell: HNode): [string, string] {
  const text = [...iterText(cell)].map(pyStrip).filter(Boolean).join(' ');
  return [text, cellHtml(cell.tag, text)];
}

// Nested tables flatten into the text of the cell that holds them, as in Unstructured.
function* tableElement(table: HNode): Generator<RawElement> {
  const html = ['<table>'];
  const captions: string[] = [];
  const rows: string[] = [];
  const addRow = (tr: HNode): void => {
    const cells = tr.children.filter((c) => c.tag === 'th' || c.tag === 'td').map(cellTextAndHtml);
    rows.push(
      cells
        .map(([t]) => t)
        .filter(Boolean)
        .join(' '),
    );
    if (cells.length > 0) html.push('<tr>', cells.map(([, h]) => h).join(''), '</tr>');
  };
  for (const child of table.children) {
    if (child.tag === 'caption') {
      const [text, cellHtml] = cellTextAndHtml(child);
      if (text) {
        captions.push(text);
        html.push(cellHtml);
      }
    } else if (child.tag === 'tr') {
      addRow(child);
    } else if (child.tag === 'thead' || child.tag === 'tbody' || child.tag === 'tfoot') {
      html.push(`<${child.tag}>`);
      child.children.filter((tr) => tr.tag === 'tr').forEach(addRow);
      html.push(`</${child.tag}>`);
    }
  }
  if (pyStrip(rows.join(' ')) === '') return;
  html.push('</table>');
  yield { type: 'Table', text: pyStrip([...captions, ...rows].join(' ')), text_as_html: html.join('') };
}
