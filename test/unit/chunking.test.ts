// Options, errors and properties of src/chunking that the golden comparison does not spell out.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkElements, decodeOrigElements, parseChunkingConfig } from '../../src/steps/chunk';
import { resolveChunkingOptions } from '../../src/steps/chunk/config';
import type { Element } from '../../src/core/elements';

const el = (type: string, text: string, metadata: Element['metadata'] = {}): Element => ({
  type,
  element_id: createHash('sha256')
    .update(type + text)
    .digest('hex')
    .slice(0, 32),
  text,
  metadata: { filename: 'p.html', ...metadata },
});

function configError(input: unknown): string {
  try {
    parseChunkingConfig(input);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a config error');
}

describe('chunking config', () => {
  it("takes Unstructured's defaults", () => {
    const byTitle = resolveChunkingOptions(parseChunkingConfig({ strategy: 'by_title' }));
    expect(byTitle).toEqual({
      strategy: 'by_title',
      hardMax: 500,
      softMax: 500,
      combineUnder: 500,
      overlap: 0,
      interChunkOverlap: 0,
      includeOrigElements: true,
      multipageSections: true,
    });
    expect(resolveChunkingOptions(parseChunkingConfig({ strategy: 'basic' })).combineUnder).toBe(0);
  });

  it('caps newAfterNChars at maxCharacters and combineTextUnderNChars at the soft max', () => {
    const capped = resolveChunkingOptions(
      parseChunkingConfig({ strategy: 'by_title', maxCharacters: 300, newAfterNChars: 900 }),
    );
    expect(capped.softMax).toBe(300);
    const soft = resolveChunkingOptions(
      parseChunkingConfig({
        strategy: 'by_title',
        maxCharacters: 300,
        newAfterNChars: 100,
        combineTextUnderNChars: 250,
      }),
    );
    expect(soft.combineUnder).toBe(100);
  });

  it('only spreads overlap to whole-element chunks with overlapAll', () => {
    const opts = (overlapAll: boolean) =>
      resolveChunkingOptions(parseChunkingConfig({ strategy: 'basic', overlap: 20, overlapAll }));
    expect([opts(false).interChunkOverlap, opts(true).interChunkOverlap]).toEqual([0, 20]);
  });

  it.each([
    [
      { strategy: 'by_title', overlap: 500 },
      /overlap: must be less than maxCharacters, got 500 >= 500 .*--chunk-overlap/,
    ],
    [
      { strategy: 'by_title', combineTextUnderNChars: 600 },
      /combineTextUnderNChars: must not exceed maxCharacters, got 600 > 500/,
    ],
    [{ strategy: 'basic', maxCharacters: 0 }, /maxCharacters: must be > 0 \(--chunk-max-characters\)/],
    [{ strategy: 'basic', newAfterNChars: -1 }, /newAfterNChars: must be >= 0 \(--chunk-new-after-n-chars\)/],
    [{ strategy: 'basic', overlap: 1.5 }, /overlap: must be a whole number \(--chunk-overlap\)/],
    [{ strategy: 'by_page' }, /strategy: must be "basic" or "by_title" \(--chunking-strategy\)/],
    [{ strategy: 'basic', maxChars: 10 }, /maxChars/],
  ])('rejects %j with a one-line error', (input, message) => {
    const error = configError(input);
    expect(error).toMatch(/^invalid chunking config: /);
    expect(error).toMatch(message);
    expect(error).not.toContain('\n');
  });
});

describe('chunkElements', () => {
  it('counts code points: 600 emoji split as 500 + 100, not by UTF-16 units', () => {
    const chunks = chunkElements([el('NarrativeText', '😀'.repeat(600))], { strategy: 'basic' });
    expect(chunks.map((c) => Array.from(c.text).length)).toEqual([500, 100]);
    expect(chunks.map((c) => c.metadata.is_continuation)).toEqual([undefined, true]);
  });

  it('keeps the original elements in orig_elements as zlib-compressed JSON', () => {
    const elements = [
      el('Title', 'Intro', { category_depth: 0 }),
      el('NarrativeText', 'Some text.', { parent_id: 'x' }),
    ];
    const [chunk] = chunkElements(elements, { strategy: 'by_title' });
    expect(chunk!.text).toBe('Intro\n\nSome text.');
    expect(Buffer.from(chunk!.metadata.orig_elements!, 'base64').subarray(0, 2).toString('hex')).toBe('789c');
    expect(decodeOrigElements(chunk!.metadata.orig_elements!)).toEqual(elements);
    expect(chunk!.metadata).not.toHaveProperty('parent_id');
    expect(chunk!.metadata).not.toHaveProperty('category_depth');
  });

  it('hashes chunk ids from filename, text, page number and position', () => {
    const [chunk] = chunkElements([el('NarrativeText', 'Hello.')], { strategy: 'basic', includeOrigElements: false });
    const expected = createHash('sha256').update('p.htmlHello.None0').digest('hex').slice(0, 32);
    expect(chunk!.element_id).toBe(expected);
  });

  it('gives the pieces of one split table the same stable table_id', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `<tr><td>row ${i}</td><td>${'word '.repeat(8)}</td></tr>`);
    const table = el('Table', rows.map((_, i) => `row ${i} ${'word '.repeat(8)}`).join(' '), {
      text_as_html: `<table>${rows.join('')}</table>`,
    });
    const run = () => chunkElements([table], { strategy: 'basic', maxCharacters: 200 });
    const ids = run().map((c) => c.metadata.table_id);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(run().map((c) => c.metadata.table_id)).toEqual(ids);
  });

  it('names an element of unknown type', () => {
    expect(() => chunkElements([el('Paragraphh', 'x')], { strategy: 'basic' })).toThrow(
      /element 0 has unknown type "Paragraphh"/,
    );
  });
});
