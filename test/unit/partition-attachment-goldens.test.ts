// Our file partitioners against Python Unstructured on the attachment corpus (test/support/attachmentGoldens.ts says
// how agreement is measured; scripts/goldens/make_attachment_goldens.py made the goldens). No Python at test time.
import { beforeAll, describe, expect, it } from 'vitest';
import { byFormat, corpusFiles, fileAgreement, type FileAgreement } from '../support/attachmentGoldens';

const FORMATS = ['pdf', 'docx', 'xlsx', 'pptx', 'csv', 'md'];

describe('attachment partitioning agrees with Python Unstructured', () => {
  let files: FileAgreement[];
  beforeAll(async () => {
    files = await Promise.all(corpusFiles().map(fileAgreement));
  });

  it('has a corpus of at least 20 attachments covering every format', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(byFormat(files)).sort()).toEqual([...FORMATS].sort());
  });

  it.each(FORMATS)('agrees on type and text for at least 90%% of the %s elements, in order', (format) => {
    const ofFormat = files.filter((f) => f.format === format);
    const agreement = byFormat(ofFormat)[format]!;
    for (const f of ofFormat.filter((f) => f.differences.length > 0))
      console.log(`${f.file} ${f.agree}/${f.golden}\n  ${f.differences.join('\n  ')}`);
    expect(agreement.golden).toBeGreaterThan(0);
    expect(agreement.ratio, `${format}: ${agreement.agree}/${agreement.golden}`).toBeGreaterThanOrEqual(0.9);
  });

  it('writes the element ids and the metadata Python writes (pages, sheets, depths, tables, headers) where they agree', () => {
    expect(files.flatMap((f) => f.metadataDifferences.map((d) => `${f.file}: ${d}`))).toEqual([]);
  });

  it('reads every file of the corpus (none skipped)', () => {
    expect(files.flatMap((f) => f.differences.filter((d) => d.startsWith('skipped')))).toEqual([]);
  });
});
