// XLSX (exceljs: maintained, pure JS, reads cell values and shared strings) and CSV (csv-parse) -> elements as
// partition_xlsx and partition_csv write them: a workbook's tables found sheet by sheet (subtables.ts), with
// page_number = sheet position and page_name = sheet name; a CSV file as one Table.
import { parse } from 'csv-parse/sync';
import { normalizeSpace } from '../../core/pyText';
import type { RawElement } from './rawElement';
import { type Subtable, subtables } from './subtables';
import { tableFromRows } from './tableHtml';
import { cellTextType, cleanBullets } from './textType';
import { checkZipWithin } from './zipEntries';

export async function xlsxRawElements(buffer: Buffer): Promise<RawElement[]> {
  checkZipWithin(buffer); // exceljs inflates every entry whole
  // Loaded on first use, as the other file readers: most workers never see a workbook.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook.worksheets.flatMap((sheet, index) => {
    const grid: string[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) cells.push(row.getCell(c).text ?? '');
      grid[row.number - 1] = cells;
    });
    const where = { page_number: index + 1, page_name: sheet.name };
    return subtables(Array.from(grid, (row) => row ?? [])).flatMap((sub) =>
      subtableElements(sub).map((e) => ({ ...e, ...where })),
    );
  });
}

function subtableElements({ leading, rows, trailing }: Subtable): RawElement[] {
  const table = tableFromRows(rows);
  return [...leading.map(cellElement), ...(table ? [table] : []), ...trailing.map(cellElement)];
}

function cellElement(text: string): RawElement {
  const clean = normalizeSpace(text);
  const type = cellTextType(clean);
  return { type, text: type === 'ListItem' ? cleanBullets(clean) : clean };
}

// Python's csv.Sniffer, which partition_csv asks about the first non-blank line, prefers these in this order.
const PREFERRED_DELIMITERS = [',', '\t', ';', ' ', ':'];

/**
 * The delimiter partition_csv would find in the file's first non-blank line; none (one column) when no usual one is
 * there.
 */
function sniffDelimiter(text: string): string | undefined {
  const first = text.split(/\r?\n|\r/).find((line) => line.trim() !== '') ?? '';
  return PREFERRED_DELIMITERS.find((d) => first.includes(d));
}

export function csvRawElements(text: string): RawElement[] {
  // With no usual delimiter the file is one column, as partition_csv reads it (NUL never occurs in text).
  const delimiter = sniffDelimiter(text.replace(/^\uFEFF/, '')) ?? '\u0000';
  const rows = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true, delimiter }) as string[][];
  const table = tableFromRows(rows);
  return table ? [table] : [];
}
