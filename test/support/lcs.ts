// Longest common subsequence of two sequences under a key: the pairs of indexes it aligns, in order. The golden tests
// use it to line our elements up with Python Unstructured's without letting one extra or missing element shift every
// comparison after it.

export function lcsPairs<A, B>(
  a: readonly A[],
  b: readonly B[],
  keyA: (x: A) => string,
  keyB: (y: B) => string,
): [number, number][] {
  const ka = a.map(keyA);
  const kb = b.map(keyB);
  const n = ka.length;
  const m = kb.length;
  // table[i][j]: the LCS length of a[i..] and b[j..].
  const table = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] = ka[i] === kb[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (ka[i] === kb[j]) pairs.push([i++, j++]);
    else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}
