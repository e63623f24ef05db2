// XLSX (exceljs: maintained, pure JS, reads cell values and shared strings) and CSV (csv-parse) ->
// one Table per sheet, page_number = sheet position and page_name = sheet name, as partition_xlsx.
import { parse } from 'csv-parse/sync';
import type { RawElement } from './rawElement';
import { tableFromRows } from './tableHtml';

export async function xlsxRawElements(buffer: Buffer): Promise<RawElement[]> {
  // Loaded on first use, as the other file readers: most workers never see a workbook.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const out: RawElement[] = [];
  workbook.worksheets.forEach((sheet, index) => {
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) cells.push(row.getCell(c).text ?? '');
      rows.push(cells);
    });
    const table = tableFromRows(rows);
    if (table) out.push({ ...table, page_number: index + 1, page_name: sheet.name });
  });
  return out;
}

export function csvRawElements(text: string): RawElement[] {
  const rows = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  const table = tableFromRows(rows);
  return table ? [table] : [];
}
