// Splits a table too big for one chunk into sub-tables whose text and HTML agree: whole rows while they
// fit, an oversized row cell by cell, an oversized cell by words (Unstructured's _HtmlTableSplitter for
// tables without row spans). Leading header rows are repeated on continuation chunks when affordable.
import { asHeaderRowHtml, formatTd, type HtmlCell, type HtmlRow, type HtmlTable } from './htmlTable';
import { codePointLength, hasPySpace } from '../../core/pyText';
import { makeSplitter } from './splitter';

export type TextAndHtml = [text: string, html: string];

export interface TableSplit {
  pieces: TextAndHtml[];
  /** Header rows prepended to each continuation piece. */
  carriedHeaderRows: number;
}

const rowLen = (row: HtmlRow): number => codePointLength(row.texts.join(' '));
const single = (row: HtmlRow): RowGroup => ({ rows: [row], bounds: [1] });
const wrapCells = (cellsHtml: string): string => `<table><tr>${cellsHtml}</tr></table>`;

/** Rows a rowspan binds together, each with how many rows from it to the group's end (its safe rowspan). */
interface RowGroup {
  rows: HtmlRow[];
  bounds: number[];
}

const groupLen = (group: RowGroup): number => codePointLength(group.rows.flatMap((r) => r.texts).join(' '));

/** Splitting rows a rowspan joins would leave the span claiming rows that are not in the piece. */
function rowGroups(rows: HtmlRow[]): RowGroup[] {
  const groups: RowGroup[] = [];
  let start = 0;
  let end = -1;
  rows.forEach((row, idx) => {
    const reach = row.maxRowspan === null ? rows.length - 1 : Math.min(idx + row.maxRowspan - 1, rows.length - 1);
    end = Math.max(end, reach);
    if (idx !== end) return;
    const members = rows.slice(start, idx + 1);
    groups.push({ rows: members, bounds: members.map((_, i) => end - (start + i) + 1) });
    start = idx + 1;
  });
  return groups;
}

class RowAccumulator {
  private rows: Array<{ row: HtmlRow; bound: number }> = [];
  private textLen = 0;
  constructor(private readonly maxlen: number) {}

  fits(group: RowGroup): boolean {
    // one separator per accumulated row, counting the one before the candidate
    return this.maxlen - this.rows.length - this.textLen >= groupLen(group);
  }

  add(group: RowGroup): void {
    group.rows.forEach((row, i) => this.rows.push({ row, bound: group.bounds[i]! }));
    this.textLen += groupLen(group);
  }

  flush(): TextAndHtml[] {
    if (this.rows.length === 0) return [];
    const html = this.rows
      .map(({ row, bound }) =>
        row.maxRowspan === null || row.maxRowspan > bound ? row.clippedTo(bound).html : row.html,
      )
      .join('');
    const piece: TextAndHtml = [this.rows.flatMap(({ row }) => row.texts).join(' '), `<table>${html}</table>`];
    this.rows = [];
    this.textLen = 0;
    return [piece];
  }
}

class CellAccumulator {
  private cells: HtmlCell[] = [];
  private emptyCells = 0;
  private text = '';
  constructor(private readonly maxlen: number) {}

  fits(cell: HtmlCell): boolean {
    if (!cell.text) return codePointLength(this.text) + this.emptyCells + 1 <= this.maxlen;
    return codePointLength(this.joined(cell)) + this.emptyCells <= this.maxlen;
  }

  add(cell: HtmlCell): void {
    this.cells.push(cell);
    if (cell.text) this.text = this.joined(cell);
    else this.emptyCells++;
  }

  flush(): TextAndHtml[] {
    if (this.cells.length === 0) return [];
    const piece: TextAndHtml = [this.text, wrapCells(this.cells.map((c) => c.html).join(''))];
    this.cells = [];
    this.emptyCells = 0;
    this.text = '';
    return [piece];
  }

  private joined(cell: HtmlCell): string {
    return this.text ? `${this.text} ${cell.text}` : cell.text;
  }
}

export function splitHtmlTable(table: HtmlTable, hardMax: number): TableSplit {
  const headers = new HeaderRepeat(table.rows, hardMax);
  const pieces: TextAndHtml[] = [];
  let isFirst = true;
  const emit = (made: TextAndHtml[]) => {
    for (const piece of made) {
      pieces.push(isFirst ? piece : headers.prepend(piece));
      isFirst = false;
    }
  };
  const pack = (groups: RowGroup[]) => {
    let accum = new RowAccumulator(headers.maxlen(isFirst));
    for (const group of groups) {
      if (!accum.fits(group)) {
        emit(accum.flush());
        accum = new RowAccumulator(headers.maxlen(isFirst));
      }
      if (accum.fits(group)) accum.add(group);
      else {
        if (group.rows.length === 1) emit(splitRow(group.rows[0]!.clippedTo(group.bounds[0]!), headers.maxlen(false)));
        // Unstructured re-materializes covered cells here; we split the group as independent rows
        else pack(group.rows.map((row) => single(row.clippedTo(1))));
        accum = new RowAccumulator(headers.maxlen(isFirst));
      }
    }
    emit(accum.flush());
  };
  pack(rowGroups(table.rows));
  return { pieces, carriedHeaderRows: headers.enabled ? headers.count : 0 };
}

function splitRow(row: HtmlRow, maxlen: number): TextAndHtml[] {
  const out: TextAndHtml[] = [];
  const accum = new CellAccumulator(maxlen);
  for (const cell of row.cells) {
    if (!accum.fits(cell)) out.push(...accum.flush());
    if (accum.fits(cell)) accum.add(cell);
    else out.push(...splitCell(cell, maxlen));
  }
  out.push(...accum.flush());
  return out;
}

function splitCell(cell: HtmlCell, maxlen: number): TextAndHtml[] {
  const budget = Math.max(1, maxlen - codePointLength(wrapCells(formatTd('', cell.colspan))));
  const out: TextAndHtml[] = [];
  let remaining = cell.text;
  do {
    const [text, html, rest] = splitCellFragment(remaining, cell.colspan, maxlen, budget);
    out.push([text, html]);
    remaining = rest;
  } while (remaining);
  return out;
}

/** Largest word-boundary piece whose escaped single-cell table still fits maxlen (escaping grows text). */
function splitCellFragment(text: string, colspan: number, maxlen: number, budget: number): [string, string, string] {
  let lo = 1;
  let hi = budget;
  let best: [string, string, string] | null = null;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const [piece, rest] = makeSplitter(mid, 0)(text);
    const html = wrapCells(formatTd(piece, colspan));
    if (codePointLength(html) <= maxlen) {
      best = [piece, html, rest];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best ?? truncateCellFragment(text, colspan, maxlen);
}

/** Longest raw prefix that fits, ignoring word boundaries; at least one character so splitting progresses. */
function truncateCellFragment(text: string, colspan: number, maxlen: number): [string, string, string] {
  const cps = Array.from(text);
  let lo = 0;
  let hi = cps.length;
  let best = 0;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (codePointLength(wrapCells(formatTd(cps.slice(0, mid).join(''), colspan))) <= maxlen) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  best = cps.length ? Math.max(best, 1) : 0;
  const piece = cps.slice(0, best).join('');
  return [piece, wrapCells(formatTd(piece, colspan)), cps.slice(best).join('')];
}

/** Leading header rows and whether repeating them leaves room for content (Unstructured's guards). */
class HeaderRepeat {
  readonly count: number;
  readonly enabled: boolean;
  private readonly text: string;
  private readonly rowsHtml: string;
  private readonly continuationMax: number;

  constructor(
    private readonly rows: HtmlRow[],
    private readonly hardMax: number,
  ) {
    const firstBody = rows.findIndex((r) => !r.isHeader);
    this.count = firstBody < 0 ? rows.length : firstBody;
    const headerRows = rows.slice(0, this.count);
    this.text = headerRows.flatMap((r) => r.texts).join(' ');
    this.rowsHtml = this.count
      ? `<thead>${headerRows.map((r, i) => asHeaderRowHtml(r, this.count - i)).join('')}</thead>`
      : '';
    this.continuationMax = Math.max(1, hardMax - codePointLength(this.text) - 1);
    this.enabled =
      this.count > 0 &&
      Math.max(...headerRows.map(rowLen)) <= Math.floor((hardMax + 1) / 2) &&
      codePointLength(this.text) <= Math.floor((3 * hardMax) / 4) &&
      codePointLength(this.rowsHtml) <= 4 * hardMax &&
      !this.wouldStarveOversizedCell();
  }

  maxlen(isFirst: boolean): number {
    return isFirst || !this.enabled ? this.hardMax : this.continuationMax;
  }

  prepend([text, html]: TextAndHtml): TextAndHtml {
    if (!this.enabled) return [text, html];
    const chunkText = this.text && text ? `${this.text} ${text}` : this.text || text;
    const inner = html.replace(/^<table>/, '').replace(/<\/table>$/, '');
    return [chunkText, `<table>${this.rowsHtml}${inner}</table>`];
  }

  /** True when the reduced continuation window could not hold even two characters of some oversized cell. */
  private wouldStarveOversizedCell(): boolean {
    const reduced = this.reducedBudgetHeaderRows();
    if (codePointLength(this.text) > this.continuationMax && reduced.size > 0) return true;
    return this.rows.some((row, idx) => {
      if (idx < this.count && !reduced.has(idx)) return false;
      if (idx < this.count && rowLen(row) <= this.hardMax && rowLen(row) > this.continuationMax) return true;
      return row.cells.some((cell) => {
        if (codePointLength(cell.text) <= this.continuationMax) return false;
        const probe = hasPySpace(cell.text) ? "' '" : "''";
        return this.continuationMax < codePointLength(wrapCells(formatTd(probe, cell.colspan)));
      });
    });
  }

  /** Header rows that packing would push into a row/cell split at the reduced window. */
  private reducedBudgetHeaderRows(): Set<number> {
    const atRisk = new Set<number>();
    let isFirst = true;
    let accum = new RowAccumulator(this.hardMax);
    for (let idx = 0; idx < this.count; idx++) {
      const row = single(this.rows[idx]!);
      if (!accum.fits(row)) {
        if (accum.flush().length) isFirst = false;
        accum = new RowAccumulator(isFirst ? this.hardMax : this.continuationMax);
      }
      if (accum.fits(row)) accum.add(row);
      else {
        atRisk.add(idx);
        isFirst = false;
        accum = new RowAccumulator(this.continuationMax);
      }
    }
    return atRisk;
  }
}
