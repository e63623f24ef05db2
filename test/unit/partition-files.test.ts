import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partitionFile, type FilePartitionResult } from '../../src/steps/partition/file';

const FILES = join(__dirname, '..', 'fixtures', 'partition', 'files');
const scratch = mkdtempSync(join(tmpdir(), 'partition-files-'));

function partitioned(result: FilePartitionResult) {
  if (result.status !== 'partitioned') throw new Error(`expected elements, got skip: ${result.reason}`);
  return result.elements;
}

const summary = (result: FilePartitionResult) =>
  partitioned(result).map((e) => [e.type, e.text, e.metadata.page_number]);

describe('partitionFile', () => {
  it('reads PDF text page by page with page_number', async () => {
    // partition_pdf (unstructured 0.27.35) makes the same of this file: the headings sit in the top 7% of their
    // pages, which Unstructured reads as page headers.
    expect(summary(await partitionFile(join(FILES, 'report.pdf')))).toEqual([
      ['Header', 'Annual security review', 1],
      [
        'NarrativeText',
        'The review covered access control, logging and incident response for all production systems.',
        1,
      ],
      ['Header', 'Findings', 2],
      ['NarrativeText', 'Two findings were rated medium. Both were fixed before the end of the quarter.', 2],
    ]);
  });

  it('reads DOCX through HTML with the element ids Python Unstructured gives the same file', async () => {
    const result = await partitionFile(join(FILES, 'runbook.docx'));
    const els = partitioned(result);
    expect(els.map((e) => e.type)).toEqual([
      'Title',
      'NarrativeText',
      'Title',
      'ListItem',
      'ListItem',
      'ListItem',
      'NarrativeText',
      'Table',
    ]);
    expect(els[0]!.metadata.filetype).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    // Ids from partition_docx (unstructured 0.27.35) on this file.
    expect(els[0]!.element_id).toBe('ae2f7c24a446bf354fcd435519808688');
    expect(els[2]!.element_id).toBe('021684ce3318422652365a46e4bee34f');
    expect(els[6]!.metadata).toMatchObject({
      emphasized_text_contents: ['twenty minutes'],
      emphasized_text_tags: ['b'],
    });
    expect(els[7]!.metadata.text_as_html).toBe(
      '<table><tr><td>System</td><td>RPO</td></tr><tr><td>orders</td><td>15 min</td></tr></table>',
    );
  });

  it('reads XLSX as one Table per sheet and CSV as one Table', async () => {
    const sheets = partitioned(await partitionFile(join(FILES, 'metrics.xlsx')));
    expect(sheets.map((e) => [e.type, e.metadata.page_number, e.metadata.page_name])).toEqual([
      ['Table', 1, 'Latency'],
      ['Table', 2, 'Owners'],
    ]);
    expect(sheets[0]!.text).toBe('Service p50 ms p99 ms api 12 180 search 35 420');
    const csv = partitioned(await partitionFile(join(FILES, 'inventory.csv')));
    expect(csv).toHaveLength(1);
    expect(csv[0]!.metadata.text_as_html).toBe(
      '<table><tr><td>host</td><td>role</td><td>zone</td></tr><tr><td>db-1</td><td>primary</td><td>eu-west-1a</td></tr>' +
        '<tr><td>db-2</td><td>replica</td><td>eu-west-1b</td></tr></table>',
    );
  });

  it('reads PPTX slides in order with titles, tables and page breaks as partition_pptx does', async () => {
    const els = partitioned(await partitionFile(join(FILES, 'deck.pptx')));
    expect(els.map((e) => [e.type, e.text, e.metadata.page_number])).toEqual([
      ['Title', 'Quarterly platform review', 1],
      ['NarrativeText', 'Presented by the platform team', 1],
      ['PageBreak', '', 1],
      ['Title', 'Highlights', 2],
      ['NarrativeText', 'Deploys are twice as fast as last quarter', 2],
      ['NarrativeText', 'Incident count dropped by a third', 2],
      ['PageBreak', '', 2],
      ['Title', 'Budget', 3],
      ['Table', 'Item Cost Compute 40k', 3],
    ]);
    expect(els[0]!.element_id).toBe('cdeb723188e7df8a61be5ba4549ba75a');
  });

  it('reads text, Markdown, HTML and images', async () => {
    expect(summary(await partitionFile(join(FILES, 'notes.txt'))).map(([t, x]) => [t, x])).toEqual([
      ['Title', 'Maintenance notes'],
      ['NarrativeText', 'The storage array was replaced on Saturday and the data was copied overnight.'],
      ['ListItem', 'Check the replication lag'],
      ['ListItem', 'Remove the old array from monitoring'],
    ]);
    const md = partitioned(await partitionFile(join(FILES, 'guide.md')));
    expect(md.map((e) => e.type)).toEqual(['Title', 'NarrativeText', 'Title', 'ListItem', 'ListItem', 'CodeSnippet']);
    expect(md[0]!.metadata.filetype).toBe('text/markdown');
    expect(summary(await partitionFile(join(FILES, 'page.html'))).map(([t]) => t)).toEqual(['Title', 'NarrativeText']);
    const image = partitioned(
      await partitionFile(join(FILES, 'diagram.png'), { filename: 'arch.png', url: 'https://h/a' }),
    );
    expect(image).toEqual([
      expect.objectContaining({
        type: 'Image',
        text: '',
        metadata: expect.objectContaining({ filename: 'arch.png', filetype: 'image/png', url: 'https://h/a' }),
      }),
    ]);
  });

  it('finds the type from content when the name has no extension', async () => {
    const path = join(scratch, 'download');
    writeFileSync(
      path,
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        'base64',
      ),
    );
    expect(await partitionFile(path)).toMatchObject({ status: 'partitioned', filetype: 'image/png' });
  });

  it('skips what it cannot read with a one-line reason instead of throwing', async () => {
    const broken = join(scratch, 'broken.pdf');
    writeFileSync(broken, '%PDF-1.7\nthis is not really a pdf');
    const fakeDocx = join(scratch, 'fake.docx');
    writeFileSync(fakeDocx, 'plain text pretending');
    const cases: [string, RegExp][] = [
      [join(FILES, 'archive.bin'), /archive\.bin: unsupported file type \(\.bin\)/],
      [join(scratch, 'old.doc'), /legacy binary Office format \(\.doc\).*save it as \.docx/],
      [fakeDocx, /not a zip container/],
      [broken, /broken\.pdf: could not be read as pdf: /],
      [join(scratch, 'missing.txt'), /cannot read missing\.txt/],
      [join(FILES, 'scanned.pdf'), /scanned\.pdf: PDF has no text layer/],
    ];
    writeFileSync(join(scratch, 'old.doc'), 'x');
    for (const [path, reason] of cases) {
      const result = await partitionFile(path);
      expect(result.status).toBe('skipped');
      if (result.status === 'skipped') {
        expect(result.reason).toMatch(reason);
        expect(result.reason).not.toContain('\n');
      }
    }
  });
});
