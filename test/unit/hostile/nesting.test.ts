import { describe, expect, it } from 'vitest';
import { flattenDeepNesting, MAX_NESTING } from '../../../src/core/htmlNesting';
import type { DocumentRecord } from '../../../src/core/document';
import { PartitionPool } from '../../../src/pipeline/activities/partitionThreads';
import { htmlRawElements } from '../../../src/steps/partition/html';

const nested = (depth: number, tag = 'div'): string =>
  `${`<${tag}>`.repeat(depth)}deep text${`</${tag}>`.repeat(depth)}`;

describe('deeply nested HTML', () => {
  it('200,000 nested elements partition in a few seconds, their text kept', () => {
    const started = Date.now();
    expect(htmlRawElements(`<p>Before</p>${nested(200_000)}<p>After</p>`).map((e) => e.text)).toEqual([
      'Before',
      'deep text',
      'After',
    ]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('unclosed inline tags nest too and are cut the same way', () => {
    const started = Date.now();
    expect(htmlRawElements(`${'<span>'.repeat(200_000)}deep text`).map((e) => e.text)).toEqual(['deep text']);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('leaves a document within the cap as it is, and paragraphs (closed by their siblings) do not count', () => {
    const html = `${nested(MAX_NESTING)}${'<p>para'.repeat(5_000)}`;
    expect(flattenDeepNesting(html)).toBe(html);
    expect(flattenDeepNesting(nested(MAX_NESTING + 2))).toBe(
      `${'<div>'.repeat(MAX_NESTING)}deep text${'</div>'.repeat(MAX_NESTING)}`,
    );
  });
});

describe('a partition thread', () => {
  it("is stopped by the activity's cancellation", async () => {
    const pool = new PartitionPool(1);
    const controller = new AbortController();
    const document = { sourceIdentifiers: { filename: 'p.html' }, metadata: {} } as unknown as DocumentRecord;
    const html = '<p>Many words in a long paragraph.</p>'.repeat(400_000);
    const run = pool.run({ document, html, fileDirectory: '/tmp' }, controller.signal);
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    await expect(run).rejects.toThrow(/abort/i);
    expect(Date.now() - started).toBeLessThan(3_000);
    await pool.close();
  });
});
