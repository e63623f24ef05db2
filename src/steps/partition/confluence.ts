// Confluence view-HTML constructs that need a rule of their own. Everything else in Confluence's
// view format (code macros, panels, expand blocks, layouts, task lists, mentions) is plain HTML that
// the generic rules already read in order.
import { classList, type HNode } from './htmlTree';

/**
 * Emoticons are <img> tags inside running text (Cloud: data-emoji-id, Data Center: class "emoticon").
 * Read as images they would split a sentence in two around an "(tick)" Image element; we drop them.
 */
export function isConfluenceEmoticon(img: HNode): boolean {
  return (
    classList(img).some((c) => c === 'emoticon' || c.startsWith('emoticon-')) ||
    img.attrs['data-emoji-id'] !== undefined ||
    img.attrs['data-emoticon-name'] !== undefined
  );
}
