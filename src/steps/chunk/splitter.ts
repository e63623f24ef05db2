// Text-splitting of an oversized chunk, as Unstructured's _TextSplitter does it: cut at the last
// newline that keeps the piece within maxlen, else the last space, else hard at maxlen; the remainder
// starts with up to `overlap` characters of the piece's tail. Positions count code points; only the
// window is scanned, so splitting a long text stays linear.
import { pyLstrip, pyRstrip, tail } from '../../core/pyText';

export type Split = [piece: string, remainder: string];
export type Splitter = (s: string) => Split;

const SEPARATORS = ['\n', ' '];

export function makeSplitter(maxlen: number, overlap: number): Splitter {
  return (s) => {
    const starts = codePointStarts(s, maxlen + 1);
    if (starts.length <= maxlen) return [s, ''];
    for (const sep of SEPARATORS) {
      const at = lastSeparator(s, starts, sep, overlap);
      if (at < 0) continue;
      const piece = pyRstrip(s.slice(0, starts[at]));
      // an all-whitespace piece would make no progress
      if (piece === '') continue;
      const rest = pyLstrip(s.slice(starts[at]! + 1));
      return [piece, overlap <= 1 ? rest : pyLstrip(`${pyLstrip(tail(piece, overlap - 1))} ${rest}`)];
    }
    return [pyRstrip(s.slice(0, starts[maxlen])), pyLstrip(s.slice(starts[maxlen - overlap]))];
  };
}

/** UTF-16 offsets of the first `limit` code points. */
function codePointStarts(s: string, limit: number): number[] {
  const starts: number[] = [];
  for (let i = 0; i < s.length && starts.length < limit; i++) {
    starts.push(i);
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return starts;
}

/** Index (in code points) of the right-most `sep` at or after overlap+1 that keeps the piece within the window. */
function lastSeparator(s: string, starts: number[], sep: string, overlap: number): number {
  for (let k = starts.length - 1; k >= overlap + 1; k--) {
    if (s[starts[k]!] === sep) return k;
  }
  return -1;
}
