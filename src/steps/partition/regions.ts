// Which region (core/document.ts REGION_ATTRIBUTE) each element's text comes from. An element read inside a region's
// container belongs to the innermost one; a container that was not read as a block of its own (inside a table, a list
// item read as one line, a removed block) lent its text to the block that read it, whose elements then cannot be told
// apart from it and are reported as MIXED, as is an element whose origin is unknown.
import { REGION_ATTRIBUTE } from '../../core/document';
import { ancestors, descendants, type HNode } from './htmlTree';
import { producerOf, wasReadAsBlock } from './htmlParser';
import type { RawElement } from './rawElement';

export const MIXED = null;
/** A region's name, undefined outside every region, MIXED when it cannot be told. */
export type RegionOf = string | undefined | typeof MIXED;

export function elementRegions(root: HNode, raw: RawElement[]): RegionOf[] {
  const marked = [...descendants(root)].filter((node) => node.attrs[REGION_ATTRIBUTE] !== undefined);
  const lent = new Map<HNode, Set<string>>();
  for (const region of marked) {
    if (wasReadAsBlock(region)) continue;
    const reader = [...ancestors(region)].find(wasReadAsBlock);
    if (!reader) continue;
    if (!lent.has(reader)) lent.set(reader, new Set());
    lent.get(reader)!.add(region.attrs[REGION_ATTRIBUTE]!);
  }
  return raw.map((element): RegionOf => {
    const producer = producerOf(element);
    if (!producer) return marked.length === 0 && !enclosingRegion(root) ? undefined : MIXED;
    const names = new Set(lent.get(producer));
    const enclosing = enclosingRegion(producer);
    if (enclosing !== undefined) names.add(enclosing);
    if (names.size > 1) return MIXED;
    return names.values().next().value;
  });
}

function enclosingRegion(node: HNode): string | undefined {
  for (let n: HNode | undefined = node; n; n = n.parent) {
    const name = n.attrs[REGION_ATTRIBUTE];
    if (name !== undefined) return name;
  }
  return undefined;
}
