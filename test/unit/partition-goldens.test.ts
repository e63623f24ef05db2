// Agreement with the real Python Unstructured (goldens made by scripts/goldens/make_html_goldens.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Element } from '../../src/core/elements';
import { partitionHtml } from '../../src/steps/partition/html';
import type { PartitionOptions } from '../../src/steps/partition/options';
import { lcsPairs } from '../support/lcs';

const FIXTURES = join(__dirname, '..', 'fixtures', 'partition');
const pages = JSON.parse(readFileSync(join(FIXTURES, 'pages.json'), 'utf8')) as { file: string; title: string }[];

function partitionPage(
  page: { file: string; title: string },
  options: PartitionOptions = { dropEmoticons: false },
): Element[] {
  const view = readFileSync(join(FIXTURES, 'pages', page.file), 'utf8');
  return partitionHtml(`<body class='Document'><h1>${page.title}</h1>${view}</body>`, {
    filename: page.file,
    ...options,
  });
}

function golden(page: { file: string }): Element[] {
  return JSON.parse(
    readFileSync(join(FIXTURES, 'goldens', page.file.replace(/\.html$/, '.json')), 'utf8'),
  ) as Element[];
}

/** Pairs of indexes aligned in order by longest common subsequence of texts. */
function align(ours: Element[], ref: Element[]): [number, number][] {
  return lcsPairs(
    ours,
    ref,
    (e) => e.text,
    (e) => e.text,
  );
}

interface PageScore {
  file: string;
  agree: number;
  total: number;
  differences: string[];
}

function score(page: { file: string; title: string }): PageScore {
  const ours = partitionPage(page);
  const ref = golden(page);
  const pairs = align(ours, ref);
  const agree = pairs.filter(([i, j]) => ours[i]!.type === ref[j]!.type).length;
  // Every element either side that is unmatched, or matched with another type, counts against us.
  const total = ours.length + ref.length - pairs.length;
  const oursMatched = new Set(pairs.map(([i]) => i));
  const refMatched = new Set(pairs.map(([, j]) => j));
  const differences = [
    ...pairs
      .filter(([i, j]) => ours[i]!.type !== ref[j]!.type)
      .map(([i, j]) => `type ${ours[i]!.type} vs ${ref[j]!.type}: ${ref[j]!.text}`),
    ...ours.filter((_, i) => !oursMatched.has(i)).map((e) => `only ours: ${e.type} ${JSON.stringify(e.text)}`),
    ...ref.filter((_, j) => !refMatched.has(j)).map((e) => `only python: ${e.type} ${JSON.stringify(e.text)}`),
  ];
  return { file: page.file, agree, total, differences };
}

describe('HTML partitioning agrees with Python Unstructured', () => {
  const scores = pages.map(score);

  it('agrees on type and text for at least 95% of elements across the corpus', () => {
    const agree = scores.reduce((s, p) => s + p.agree, 0);
    const total = scores.reduce((s, p) => s + p.total, 0);
    const ratio = agree / total;
    console.log(
      `partition golden agreement: ${agree}/${total} = ${(ratio * 100).toFixed(1)}% over ${pages.length} pages`,
    );
    for (const p of scores.filter((s) => s.differences.length > 0))
      console.log(`  ${p.file}\n    ${p.differences.join('\n    ')}`);
    expect(pages.length).toBeGreaterThanOrEqual(30);
    expect(ratio).toBeGreaterThanOrEqual(0.95);
  });

  it('computes the same element ids and parent ids as Python', () => {
    for (const file of [
      '01-getting-started.html',
      '11-headings.html',
      '12-nested-lists.html',
      '26-api-reference.html',
    ]) {
      const page = pages.find((p) => p.file === file)!;
      const ids = (els: Element[]) => els.map((e) => [e.element_id, e.metadata.parent_id ?? null]);
      expect(ids(partitionPage(page)), file).toEqual(ids(golden(page)));
    }
  });

  it('writes the same metadata as Python for elements that agree', () => {
    const keys = [
      'category_depth',
      'emphasized_text_contents',
      'emphasized_text_tags',
      'link_texts',
      'link_urls',
      'text_as_html',
      'image_url',
      'languages',
      'filename',
      'filetype',
    ];
    const mismatches: string[] = [];
    for (const page of pages) {
      const ours = partitionPage(page);
      const ref = golden(page);
      for (const [i, j] of align(ours, ref)) {
        for (const key of keys) {
          const a = JSON.stringify(ours[i]!.metadata[key]);
          const b = JSON.stringify(ref[j]!.metadata[key]);
          if (a !== b) mismatches.push(`${page.file} ${JSON.stringify(ref[j]!.text)} ${key}: ${a} vs ${b}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('writes a Confluence emoticon as the Image element Python writes, unless told to drop it', () => {
    const page = pages.find((p) => p.file === '09-emoticons.html')!;
    const summary = (els: Element[]) =>
      els.map((e) => [e.type, e.text, e.element_id, e.metadata.parent_id ?? null, e.metadata.image_url ?? null]);
    expect(summary(partitionPage(page))).toEqual(summary(golden(page)));
    const dropped = partitionPage(page, { dropEmoticons: true });
    expect(dropped.map((e) => e.type)).not.toContain('Image');
    expect(dropped.map((e) => e.text)).toEqual(
      golden(page)
        .filter((e) => e.type !== 'Image')
        .map((e) => e.text),
    );
  });
});
