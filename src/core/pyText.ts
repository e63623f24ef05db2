// Python str semantics that Unstructured's rules depend on (len, slicing, strip, split, isspace, isalpha, isupper,
// istitle, isnumeric). JavaScript's \s, lengths and case tests differ in the corners, and those corners decide element
// types and where chunk boundaries land, so they are spelled out here once for partitioning and chunking alike.

// Python's str.isspace() set (JS \s adds U+FEFF and lacks U+001C-U+001F, U+0085).
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACE_RUN = new RegExp(`[${PY_SPACE}]+`, 'g');
const SPACE_CHAR = new RegExp(`^[${PY_SPACE}]$`);
const ANY_SPACE = new RegExp(`[${PY_SPACE}]`);
const EDGE_SPACE = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const LEADING_SPACE = new RegExp(`^[${PY_SPACE}]+`);
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`);
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/** Length in code points, as Python's len() counts (an emoji is 1, not 2). */
export function codePointLength(text: string): number {
  const pairs = text.match(SURROGATE_PAIR);
  return text.length - (pairs ? pairs.length : 0);
}

/** `text[-n:]` for n > 0, in code points. */
export function tail(text: string, n: number): string {
  const points = Array.from(text);
  return points.slice(Math.max(0, points.length - n)).join('');
}

/** `text.strip()`. */
export function pyStrip(text: string): string {
  return text.replace(EDGE_SPACE, '');
}

/** `text.lstrip()`. */
export function pyLstrip(text: string): string {
  return text.replace(LEADING_SPACE, '');
}

/** `text.rstrip()`. */
export function pyRstrip(text: string): string {
  return text.replace(TRAILING_SPACE, '');
}

/** `text.split()` with no argument: runs of whitespace separate, empty pieces dropped. */
export function pySplit(text: string): string[] {
  const stripped = pyStrip(text);
  return stripped === '' ? [] : stripped.split(SPACE_RUN);
}

/** `" ".join(text.split())`. */
export function normalizeSpace(text: string): string {
  return pySplit(text).join(' ');
}

/** `ch.isspace()` for one character. */
export function isPySpace(ch: string): boolean {
  return SPACE_CHAR.test(ch);
}

/** `any(c.isspace() for c in text)`. */
export function hasPySpace(text: string): boolean {
  return ANY_SPACE.test(text);
}

/** `text.strip() == ""`: empty or whitespace only. */
export function isBlank(text: string): boolean {
  return pyStrip(text) === '';
}

export function isAlpha(text: string): boolean {
  return /^\p{L}+$/u.test(text);
}

export function isNumeric(text: string): boolean {
  return /^\p{N}+$/u.test(text);
}

export function isUpper(text: string): boolean {
  return /\p{Lu}/u.test(text) && !/[\p{Ll}\p{Lt}]/u.test(text);
}

export function isTitle(text: string): boolean {
  let cased = false;
  let previousCased = false;
  for (const ch of text) {
    if (/[\p{Lu}\p{Lt}]/u.test(ch)) {
      if (previousCased) return false;
      previousCased = cased = true;
    } else if (/\p{Ll}/u.test(ch)) {
      if (!previousCased) return false;
      previousCased = cased = true;
    } else {
      previousCased = false;
    }
  }
  return cased;
}
