// Our chunker against the real Python chunker: reference outputs made by scripts/goldens/chunking_goldens.py
// (unstructured 0.27.35) over the element sets in test/fixtures/chunking.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkElements, decodeOrigElements, type ChunkingConfigInput } from '../../src/steps/chunk';
import type { Element } from '../../src/core/elements';

const DIR = join(__dirname, '..', 'fixtures', 'chunking');

interface Golden {
  config: ChunkingConfigInput;
  chunks: Element[];
}

const load = <T>(file: string): T => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as T;

const goldenFiles = readdirSync(DIR)
  .filter((f) => f.endsWith('.golden.json'))
  .sort();

/** A chunk with orig_elements decoded and table_id left out (Python draws it at random). */
function comparable(chunk: Element): unknown {
  const { orig_elements, table_id: _random, ...metadata } = chunk.metadata;
  return {
    type: chunk.type,
    element_id: chunk.element_id,
    text: chunk.text,
    metadata,
    orig_elements: orig_elements === undefined ? undefined : decodeOrigElements(orig_elements),
  };
}

/** Chunk indexes grouped by table_id: the same pieces must belong together on both sides. */
function tableGroups(chunks: Element[]): number[][] {
  const groups = new Map<unknown, number[]>();
  chunks.forEach((c, i) => {
    if (c.metadata.table_id !== undefined)
      groups.set(c.metadata.table_id, [...(groups.get(c.metadata.table_id) ?? []), i]);
  });
  return [...groups.values()];
}

describe('chunkElements matches Unstructured 0.27.35', () => {
  const tally = { chunks: 0, agreeing: 0 };

  it.each(goldenFiles)('%s', (file) => {
    const golden = load<Golden>(file);
    const elements = load<Element[]>(`${file.split('.')[0]}.elements.json`);
    const ours = chunkElements(elements, golden.config);
    tally.chunks += golden.chunks.length;
    tally.agreeing += golden.chunks.filter(
      (g, i) => ours[i] && JSON.stringify(comparable(ours[i]!)) === JSON.stringify(comparable(g)),
    ).length;
    expect(ours.map(comparable)).toEqual(golden.chunks.map(comparable));
    expect(tableGroups(ours)).toEqual(tableGroups(golden.chunks));
  });

  it('agrees on every reference chunk', () => {
    console.log(`chunking golden agreement: ${tally.agreeing}/${tally.chunks} chunks in ${goldenFiles.length} runs`);
    expect(tally.chunks).toBeGreaterThan(0);
    expect(tally.agreeing).toBe(tally.chunks);
  });
});
