// The order partition_pdf puts a page's text boxes in (sort_page_elements): first by their top-left corner, then by
// recursive XY-cut with the x direction first, on boxes cut to whole points and shrunk to 90% from their top-left
// corner. Columns that nothing spans are read one after the other; a table under a full-width heading row by row.
import type { Box } from './pdfLayout';

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const SHRINK = 0.9;

export function readingOrder(boxes: readonly Box[]): Box[] {
  const basic = [...boxes].sort((a, b) => Math.trunc(a.top) - Math.trunc(b.top) || Math.trunc(a.x0) - Math.trunc(b.x0));
  const rects = basic.map(shrunk);
  // Unstructured keeps the basic order when a box reaches outside the page.
  if (rects.some((r) => r.left < 0 || r.top < 0)) return basic;
  const order: number[] = [];
  cutColumns(
    rects.map((_, i) => i),
    rects,
    order,
  );
  // Boxes no projection covers (narrower than a point) would be lost to the cut; they keep their place at the end.
  const placed = new Set(order);
  return [...order, ...basic.map((_, i) => i).filter((i) => !placed.has(i))].map((i) => basic[i]!);
}

function shrunk(box: Box): Rect {
  const [left, top, right, bottom] = [box.x0, box.top, box.x1, box.bottom].map(Math.trunc) as [
    number,
    number,
    number,
    number,
  ];
  return {
    left,
    top,
    right: Math.trunc(right - (right - left) * (1 - SHRINK)),
    bottom: Math.trunc(bottom - (bottom - top) * (1 - SHRINK)),
  };
}

/** The covered stretches of one axis, split wherever at least one whole point is covered by no box: [start, end). */
function segments(
  ids: readonly number[],
  from: (r: Rect) => number,
  to: (r: Rect) => number,
  rects: readonly Rect[],
): [number, number][] {
  const covered = new Set<number>();
  for (const i of ids) for (let p = from(rects[i]!); p < to(rects[i]!); p++) covered.add(p);
  const points = [...covered].sort((a, b) => a - b);
  const out: [number, number][] = [];
  points.forEach((p, k) => {
    if (k === 0 || p - points[k - 1]! > 1) out.push([p, p + 1]);
    else out[out.length - 1]![1] = p + 1;
  });
  return out;
}

const byKey = (ids: readonly number[], key: (i: number) => number): number[] =>
  [...ids].sort((a, b) => key(a) - key(b));

/** recursive_xy_cut_swapped: columns left to right; in each, bands top to bottom, each band cut again. */
function cutColumns(ids: readonly number[], rects: readonly Rect[], order: number[]): void {
  const left = (r: Rect) => r.left;
  const top = (r: Rect) => r.top;
  const xSorted = byKey(ids, (i) => rects[i]!.left);
  for (const [c0, c1] of segments(xSorted, left, (r) => r.right, rects)) {
    const column = byKey(
      xSorted.filter((i) => c0 <= left(rects[i]!) && left(rects[i]!) < c1),
      (i) => rects[i]!.top,
    );
    const bands = segments(column, top, (r) => r.bottom, rects);
    if (bands.length === 0) continue;
    if (bands.length === 1) {
      order.push(...column);
      continue;
    }
    for (const [r0, r1] of bands) {
      cutColumns(
        column.filter((i) => r0 <= top(rects[i]!) && top(rects[i]!) < r1),
        rects,
        order,
      );
    }
  }
}
