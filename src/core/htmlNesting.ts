// htmlparser2 keeps its open elements in an array it shifts at the front, so each tag costs as much as the nesting
// around it: 200,000 nested elements took 39 s. Before a document reaches it, the tags nested deeper than a cap are cut
// out (their text stays), in one pass of its tokenizer, which keeps no stack of its own.
import { Tokenizer } from 'htmlparser2';

/** Far deeper than any real page (partition reads past 256 levels as plain text anyway). */
export const MAX_NESTING = 1024;

// Tags that never hold content, or that the parser closes by itself when a sibling opens: they add no nesting.
const NOT_NESTING = new Set(
  (
    'area base br col embed hr img input link meta source track wbr ' +
    'p li dt dd option optgroup tr td th thead tbody tfoot colgroup caption rb rt rp rtc'
  ).split(' '),
);

/** `markup` with every tag deeper than `maxDepth` removed; the same string when none is. */
export function flattenDeepNesting(markup: string, { xml = false, maxDepth = MAX_NESTING } = {}): string {
  const open: Array<{ name: string; cut: boolean }> = [];
  const counts = new Map<string, number>();
  const cuts: Array<[number, number]> = [];
  let name = '';
  let tagStart = 0;
  const counted = (tag: string): boolean => xml || !NOT_NESTING.has(tag);
  const opened = (endIndex: number): void => {
    const cut = open.length >= maxDepth;
    if (cut) cuts.push([tagStart, endIndex + 1]);
    if (!counted(name)) return;
    open.push({ name, cut });
    counts.set(name, (counts.get(name) ?? 0) + 1);
  };
  const closed = (start: number, endIndex: number): void => {
    const tag = markup.slice(start, endIndex).toLowerCase();
    const end = markup.indexOf('>', endIndex) + 1 || markup.length;
    const deep = open.length > maxDepth;
    if (!counted(tag) || !counts.get(tag)) {
      if (deep) cuts.push([start - 2, end]);
      return;
    }
    for (let top = open.pop(); top; top = open.pop()) {
      counts.set(top.name, counts.get(top.name)! - 1);
      if (top.name !== tag) continue;
      if (top.cut) cuts.push([start - 2, end]);
      return;
    }
  };
  const tokenizer = new Tokenizer(
    { xmlMode: xml, decodeEntities: false },
    {
      onopentagname: (start, endIndex) => {
        tagStart = start - 1;
        name = markup.slice(start, endIndex).toLowerCase();
      },
      onopentagend: opened,
      onselfclosingtag: (endIndex) => (xml ? cutIfDeep(endIndex) : opened(endIndex)),
      onclosetag: closed,
      onattribdata: () => {},
      onattribentity: () => {},
      onattribend: () => {},
      onattribname: () => {},
      oncdata: () => {},
      oncomment: () => {},
      ondeclaration: () => {},
      onend: () => {},
      onprocessinginstruction: () => {},
      ontext: () => {},
      ontextentity: () => {},
    },
  );
  const cutIfDeep = (endIndex: number): void => {
    if (open.length >= maxDepth) cuts.push([tagStart, endIndex + 1]);
  };
  tokenizer.write(markup);
  tokenizer.end();
  if (cuts.length === 0) return markup;
  const kept: string[] = [];
  let from = 0;
  for (const [start, end] of cuts) {
    kept.push(markup.slice(from, start));
    from = end;
  }
  kept.push(markup.slice(from));
  return kept.join('');
}
