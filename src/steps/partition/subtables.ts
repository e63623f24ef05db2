// How partition_xlsx reads a worksheet (its find_subtable default): blocks of populated cells joined up, down, left or
// right are tables of their own, blocks whose rows overlap are one, and the rows of a block holding a single cell at
// its top (a title) or bottom (a note) are text elements rather than table rows.

/** A worksheet as rows of cell texts, '' for an empty cell. */
export type Grid = readonly (readonly string[])[];

export interface Subtable {
  /** Single-cell rows above the table, top-down: titles, captions. */
  leading: string[];
  /** The table's rows, cut to the block's columns; empty when every row held a single cell. */
  rows: string[][];
  /** Single-cell rows under the table, top-down: notes, totals. */
  trailing: string[];
}

interface Block {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

const filled = (grid: Grid, r: number, c: number): boolean => (grid[r]?.[c] ?? '') !== '';

/** Each 4-connected block of populated cells, as its bounding box, in row-major order of the cell it was found from. */
function connectedBlocks(grid: Grid): Block[] {
  const seen = new Set<string>();
  const blocks: Block[] = [];
  grid.forEach((row, r0) =>
    row.forEach((_, c0) => {
      if (!filled(grid, r0, c0) || seen.has(`${r0},${c0}`)) return;
      const block = { top: r0, bottom: r0, left: c0, right: c0 };
      const stack: [number, number][] = [[r0, c0]];
      seen.add(`${r0},${c0}`);
      while (stack.length > 0) {
        const [r, c] = stack.pop()!;
        Object.assign(block, {
          top: Math.min(block.top, r),
          bottom: Math.max(block.bottom, r),
          left: Math.min(block.left, c),
          right: Math.max(block.right, c),
        });
        for (const [nr, nc] of [
          [r - 1, c],
          [r + 1, c],
          [r, c - 1],
          [r, c + 1],
        ] as const) {
          if (!filled(grid, nr, nc) || seen.has(`${nr},${nc}`)) continue;
          seen.add(`${nr},${nc}`);
          stack.push([nr, nc]);
        }
      }
      blocks.push(block);
    }),
  );
  return blocks;
}

/** Blocks sorted by their top row, each merged into the one before when their rows overlap. */
function mergeOverlapping(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (const block of [...blocks].sort((a, b) => a.top - b.top)) {
    const last = out[out.length - 1];
    if (last && block.top <= last.bottom) {
      out[out.length - 1] = {
        top: last.top,
        bottom: Math.max(last.bottom, block.bottom),
        left: Math.min(last.left, block.left),
        right: Math.max(last.right, block.right),
      };
    } else {
      out.push(block);
    }
  }
  return out;
}

function subtable(grid: Grid, { top, bottom, left, right }: Block): Subtable {
  const rows: string[][] = [];
  for (let r = top; r <= bottom; r++)
    rows.push(Array.from({ length: right - left + 1 }, (_, i) => grid[r]?.[left + i] ?? ''));
  const single = (row: string[]): boolean => row.filter((c) => c !== '').length === 1;
  const onlyCell = (row: string[]): string => row.find((c) => c !== '')!;
  let start = 0;
  while (start < rows.length && single(rows[start]!)) start++;
  let end = rows.length;
  // When every row is a single cell, they all count as leading.
  while (end > start && single(rows[end - 1]!)) end--;
  return {
    leading: rows.slice(0, start).map(onlyCell),
    rows: rows.slice(start, end),
    trailing: rows.slice(end).map(onlyCell),
  };
}

export function subtables(grid: Grid): Subtable[] {
  return mergeOverlapping(connectedBlocks(grid)).map((block) => subtable(grid, block));
}
