// Reading the XML parts of Office Open XML files (PPTX, DOCX): a zip of XML parts, of which only the XML is inflated
// (zipEntries.ts: within caps, media never), read by htmlparser2 (already ours) in XML mode.
import type { Element as XmlElement } from 'domhandler';
import { strFromU8 } from 'fflate';
import { parseDocument } from 'htmlparser2';
import { flattenDeepNesting } from '../../core/htmlNesting';
import { unzipWithin } from './zipEntries';

export type { XmlElement };

/** The package's parts by path. */
export type Parts = Record<string, Uint8Array>;

const XML_PART = /\.(xml|rels)$/i;

export function unzipParts(buffer: Uint8Array): Parts {
  return unzipWithin(buffer, (name) => XML_PART.test(name));
}

/** The root element of a part, or undefined when the package has no such part. */
export function xml(parts: Parts, path: string): XmlElement | undefined {
  const data = parts[path];
  if (!data) return undefined;
  return parseDocument(flattenDeepNesting(strFromU8(data), { xml: true }), { xmlMode: true }).children.find(
    (c): c is XmlElement => c.type === 'tag',
  );
}

export function kids(node: XmlElement, name?: string): XmlElement[] {
  return node.children.filter((c): c is XmlElement => c.type === 'tag' && (name === undefined || c.name === name));
}

/** The outermost descendants named `name`, in document order. */
export function* deep(node: XmlElement, name: string): Generator<XmlElement> {
  for (const child of kids(node)) {
    if (child.name === name) yield child;
    else yield* deep(child, name);
  }
}

/** The outermost elements named `name` in a part; none when the package has no such part. */
export function findInPart(parts: Parts, path: string, name: string): XmlElement[] {
  const root = xml(parts, path);
  return root ? [...deep(root, name)] : [];
}

export function textOf(node: XmlElement): string {
  return node.children.map((c) => (c.type === 'text' ? c.data : c.type === 'tag' ? textOf(c) : '')).join('');
}

/** A part's relationships: id -> the target's path inside the package. */
export function relationships(parts: Parts, partPath: string): Map<string, string> {
  const slash = partPath.lastIndexOf('/');
  const dir = partPath.slice(0, slash);
  const rels = xml(parts, `${dir}/_rels/${partPath.slice(slash + 1)}.rels`);
  if (!rels) return new Map();
  return new Map(
    kids(rels, 'Relationship').map((r) => [r.attribs.Id ?? '', resolveTarget(dir, r.attribs.Target ?? '')]),
  );
}

function resolveTarget(dir: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const out = dir === '' ? [] : dir.split('/');
  for (const segment of target.split('/')) {
    if (segment === '..') out.pop();
    else if (segment !== '.') out.push(segment);
  }
  return out.join('/');
}
