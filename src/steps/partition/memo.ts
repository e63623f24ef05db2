// Wiki pages repeat themselves (panel titles, "Click here to expand...", the same headings in every page of a space),
// and the NLP answers about a text cost far more than a lookup, so recent answers are kept.

/** `compute`, remembering the last `limit` answers (oldest forgotten first). */
export function memoized<T>(limit: number, compute: (text: string) => T): (text: string) => T {
  const answers = new Map<string, T>();
  return (text) => {
    if (answers.has(text)) return answers.get(text) as T;
    const answer = compute(text);
    if (answers.size >= limit) answers.delete(answers.keys().next().value!);
    answers.set(text, answer);
    return answer;
  };
}
