// The huggingface provider without its model: the errors say which files are missing and how to provide them
// (the model itself is tested in embedding-local.test.ts, which fetches it).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmbedder, embeddingFromFlags } from '../../src/steps/embed';

describe('huggingface embedder configuration', () => {
  it('names the missing files and the fix when the model folder is empty', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'no-model-'));
    const config = embeddingFromFlags({ embeddingProvider: 'huggingface', embeddingModelPath: empty })!.config;
    await expect(createEmbedder(config)).rejects.toThrow(
      /model\.onnx and tokenizer\.json missing in .*--embedding-model-path/,
    );
  });

  it('looks for a non-default model in .models/<name> and says how to provide it', async () => {
    const config = embeddingFromFlags({
      embeddingProvider: 'huggingface',
      embeddingModelName: 'BAAI/bge-small-en-v1.5',
    })!.config;
    await expect(createEmbedder(config)).rejects.toThrow(
      /no local model for BAAI\/bge-small-en-v1\.5: .*\.models\/bge-small-en-v1\.5/,
    );
  });
});
