// A parsed HTML tree in lxml's shape (element text + child tails), which is the shape Unstructured's
// v1 parser reasons in. Built from htmlparser2's DOM; comments are dropped and the tags Unstructured
// strips (script, style, ...) are removed with their contents while the text after them is kept.
import { parseDocument } from 'htmlparser2';
import { flattenDeepNesting } from '../../core/htmlNesting';
import type { ChildNode, Element as DomElement } from 'domhandler';

export interface HNode {
  tag: string;
  attrs: Record<string, string>;
  /** Text before the first child element. */
  text: string;
  children: HNode[];
  /** Text after this element's end tag, up to the next sibling element. */
  tail: string;
  parent?: HNode;
}

const STRIPPED = new Set(['del', 'link', 'meta', 'noscript', 'script', 'style']);
// Deeper markup is read as plain text: the walk over the tree is recursive, and libxml2 (behind
// Unstructured) gives up on such documents entirely, returning no elements at all.
const MAX_DEPTH = 256;

function isElement(node: ChildNode): node is DomElement {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** Text of a subtree without recursion (it may be arbitrarily deep), skipping stripped tags. */
function flatText(root: ChildNode): string {
  const parts: string[] = [];
  const stack: ChildNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'text') parts.push(node.data);
    else if (node.type === 'cdata' || (isElement(node) && !STRIPPED.has(node.name.toLowerCase()))) {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  return parts.join('');
}

function build(
  dom: DomElement | { children: ChildNode[] },
  tag: string,
  attrs: Record<string, string>,
  parent?: HNode,
  depth = 0,
): HNode {
  const node: HNode = { tag, attrs, text: '', children: [], tail: '', parent };
  const appendText = (value: string): void => {
    const last = node.children[node.children.length - 1];
    if (last) last.tail += value;
    else node.text += value;
  };
  for (const child of dom.children) {
    if (child.type === 'text') appendText(child.data);
    else if (child.type === 'cdata') child.children.forEach((c) => c.type === 'text' && appendText(c.data));
    else if (isElement(child) && !STRIPPED.has(child.name.toLowerCase())) {
      if (depth >= MAX_DEPTH) appendText(flatText(child));
      else node.children.push(build(child, child.name.toLowerCase(), child.attribs, node, depth + 1));
    }
  }
  return node;
}

export function parseHtmlTree(html: string): HNode {
  const doc = parseDocument(flattenDeepNesting(html), {
    decodeEntities: true,
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
  });
  return build(doc, 'html', {});
}

export function* descendants(node: HNode): Generator<HNode> {
  for (const child of node.children) {
    yield child;
    yield* descendants(child);
  }
}

export function* ancestors(node: HNode): Generator<HNode> {
  for (let p = node.parent; p; p = p.parent) yield p;
}

/** Unstructured starts at the first <main>, else the first <body>, else the whole document. */
export function contentRoot(root: HNode): HNode {
  let body: HNode | undefined;
  for (const node of descendants(root)) {
    if (node.tag === 'main') return node;
    if (node.tag === 'body' && !body) body = node;
  }
  return body ?? root;
}

/** All text inside a node, in document order (lxml's itertext()). */
export function* iterText(node: HNode): Generator<string> {
  if (node.text) yield node.text;
  for (const child of node.children) {
    yield* iterText(child);
    if (child.tail) yield child.tail;
  }
}

/** Removes the matching elements with their contents; the text after each stays where it was. */
export function removeWhere(node: HNode, matches: (node: HNode) => boolean): void {
  const kept: HNode[] = [];
  for (const child of node.children) {
    if (!matches(child)) {
      removeWhere(child, matches);
      kept.push(child);
      continue;
    }
    const previous = kept[kept.length - 1];
    if (previous) previous.tail += child.tail;
    else node.text += child.tail;
  }
  node.children = kept;
}

export function classList(node: HNode): string[] {
  return (node.attrs.class ?? '').split(/\s+/).filter(Boolean);
}
