import type { EmbeddingProvider } from './config';

/** Turns texts into vectors, one per text, in order. */
export interface Embedder {
  readonly provider: EmbeddingProvider;
  readonly model: string;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
  /** Frees native resources (the ONNX session); a no-op for remote providers. */
  close(): Promise<void>;
}
