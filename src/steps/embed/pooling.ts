// sentence-transformers' Pooling(mean) + Normalize: the average of the token vectors that the attention mask keeps,
// scaled to unit length (the vector is kept at zero when every component is zero, as torch's normalize does).

/**
 * @param hidden  [batch, tokens, dims] row-major, the model's last_hidden_state
 * @param mask    [batch, tokens], 1 for real tokens and 0 for padding
 */
export function meanPoolNormalized(
  hidden: Float32Array,
  mask: ArrayLike<number | bigint>,
  batch: number,
  tokens: number,
  dims: number,
): number[][] {
  const out: number[][] = [];
  for (let b = 0; b < batch; b++) {
    const sum = new Float64Array(dims);
    let kept = 0;
    for (let t = 0; t < tokens; t++) {
      if (Number(mask[b * tokens + t]) === 0) continue;
      kept++;
      const base = (b * tokens + t) * dims;
      for (let d = 0; d < dims; d++) sum[d] += hidden[base + d];
    }
    out.push(normalize(Array.from(sum, (v) => v / Math.max(kept, 1e-9))));
  }
  return out;
}

export function normalize(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((acc, v) => acc + v * v, 0));
  const scale = 1 / Math.max(norm, 1e-12);
  return vector.map((v) => v * scale);
}
