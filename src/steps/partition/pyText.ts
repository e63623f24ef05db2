// Python str semantics that Unstructured's rules depend on (str.split, isspace, isalpha, isupper,
// istitle, isnumeric). JavaScript's \s and case tests differ in the corners, and those corners decide
// element types, so they are spelled out here once.

// Python's str.isspace() set (JS \s adds U+FEFF and lacks U+001C-U+001F, U+0085).
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACE_RUN = new RegExp(`[${PY_SPACE}]+`, 'g');
const SPACE_CHAR = new RegExp(`^[${PY_SPACE}]$`);
const EDGE_SPACE = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

export function pyStrip(text: string): string {
  return text.replace(EDGE_SPACE, '');
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

export function isPySpace(ch: string): boolean {
  return SPACE_CHAR.test(ch);
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

/** Length in code points, as Python's len() counts. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Python's html.escape(text, quote=True). */
export function pyHtmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;');
}
