// String helpers that behave like Python's str methods, so chunk boundaries land where Unstructured
// puts them: lengths and slices count code points (an emoji is 1, not 2), and "whitespace" is
// Python's str.isspace() set, which differs from JS \s (it has \x1c-\x1f and \x85, not \ufeff).

const WS_CLASS = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WS_RUN = new RegExp(`[${WS_CLASS}]+`, 'g');
const LEADING_WS = new RegExp(`^[${WS_CLASS}]+`);
const TRAILING_WS = new RegExp(`[${WS_CLASS}]+$`);
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
const ANY_WS = new RegExp(`[${WS_CLASS}]`);

/** Length in code points (Python's len). */
export function cpLen(s: string): number {
  const pairs = s.match(SURROGATE_PAIR);
  return s.length - (pairs ? pairs.length : 0);
}

export function codePoints(s: string): string[] {
  return Array.from(s);
}

export const strip = (s: string): string => s.replace(LEADING_WS, '').replace(TRAILING_WS, '');
export const lstrip = (s: string): string => s.replace(LEADING_WS, '');
export const rstrip = (s: string): string => s.replace(TRAILING_WS, '');
export const hasWhitespace = (s: string): boolean => ANY_WS.test(s);
export const isAllWhitespace = (s: string): boolean => strip(s) === '';

/** `" ".join(s.split())` */
export function collapseWhitespace(s: string): string {
  return strip(s).split(WS_RUN).filter((w) => w !== '').join(' ');
}

/** `s[-n:]` for n > 0, in code points. */
export function tail(s: string, n: number): string {
  const cps = codePoints(s);
  return cps.slice(Math.max(0, cps.length - n)).join('');
}
