// pdfminer's layout analysis (LAParams defaults), which partition_pdf's "fast" strategy reads a page with: runs of
// text become lines, lines become text boxes, and each text box becomes one element. Re-expressed over pdf.js runs
// so that a PDF splits into the same elements as in the reference: a table's cells apart, a paragraph's lines
// together only when they sit as close as pdfminer requires.

/** A run of text as pdf.js reads it, in page coordinates measured down from the top edge. */
export interface Run {
  text: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  /** The font size: pdfminer's glyph height. */
  size: number;
}

export interface Box {
  text: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
}

// pdfminer's LAParams defaults.
const CHAR_MARGIN = 2.0;
const LINE_MARGIN = 0.5;
const WORD_MARGIN = 0.1;
const LINE_OVERLAP = 0.5;

const height = (b: Box): number => b.bottom - b.top;
const charWidth = (r: Run): number => (r.x1 - r.x0) / Math.max(1, [...r.text].length);
const verticalOverlap = (a: Box, b: Box): number => Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);

/**
 * Consecutive runs on one baseline and close enough (CHAR_MARGIN glyphs apart) form a line, as pdfminer groups
 * characters.
 */
export function lines(runs: readonly Run[]): Box[] {
  const out: Box[] = [];
  let line: Box | undefined;
  let last: Run | undefined;
  for (const run of runs) {
    const gap = last ? run.x0 - last.x1 : 0;
    const sameLine =
      line !== undefined &&
      last !== undefined &&
      verticalOverlap(last, run) > Math.min(height(last), height(run)) * LINE_OVERLAP &&
      gap < Math.max(charWidth(last), charWidth(run)) * CHAR_MARGIN;
    if (line && last && sameLine) {
      // pdfminer inserts a space where glyphs are further apart than WORD_MARGIN of a glyph.
      const space =
        gap > WORD_MARGIN * Math.max(charWidth(run), run.size) && !/\s$/.test(line.text) && !/^\s/.test(run.text);
      Object.assign(line, {
        text: line.text + (space ? ' ' : '') + run.text,
        x1: Math.max(line.x1, run.x1),
        top: Math.min(line.top, run.top),
        bottom: Math.max(line.bottom, run.bottom),
      });
    } else {
      line = { ...run };
      out.push(line);
    }
    last = run;
  }
  return out;
}

/**
 * pdfminer's LTTextLineHorizontal.find_neighbors: `b` is within LINE_MARGIN of `a`'s height above or below it, overlaps
 * it horizontally, is about as tall, and is aligned with it on the left, the right or the centre.
 */
function neighbours(a: Box, b: Box): boolean {
  const d = LINE_MARGIN * height(a);
  const overlaps = b.x0 < a.x1 && a.x0 < b.x1 && b.top < a.bottom + d && a.top - d < b.bottom;
  const aligned =
    Math.abs(a.x0 - b.x0) <= d || Math.abs(a.x1 - b.x1) <= d || Math.abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2) <= d;
  return overlaps && Math.abs(height(a) - height(b)) <= d && aligned;
}

/**
 * Lines joined into text boxes (neighbours of neighbours included), each box's lines top-down and joined by newlines.
 */
export function textBoxes(all: readonly Box[]): Box[] {
  const group = all.map((_, i) => i);
  const root = (i: number): number => (group[i] === i ? i : (group[i] = root(group[i]!)));
  all.forEach((a, i) =>
    all.forEach((b, j) => {
      if (i !== j && neighbours(a, b)) group[root(j)] = root(i);
    }),
  );
  const members = new Map<number, Box[]>();
  all.forEach((line, i) => members.set(root(i), [...(members.get(root(i)) ?? []), line]));
  return [...members.values()].map((boxLines) => {
    const sorted = [...boxLines].sort((a, b) => a.top - b.top);
    return {
      text: sorted.map((l) => l.text).join('\n'),
      x0: Math.min(...sorted.map((l) => l.x0)),
      x1: Math.max(...sorted.map((l) => l.x1)),
      top: Math.min(...sorted.map((l) => l.top)),
      bottom: Math.max(...sorted.map((l) => l.bottom)),
    };
  });
}
