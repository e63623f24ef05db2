// Confluence view-HTML constructs that need a rule of their own. Everything else in Confluence's
// view format (code macros, panels, expand blocks, layouts, task lists, mentions) is plain HTML that
// the generic rules already read in order.
import { classList, type HNode, removeWhere } from './htmlTree';

/** Emoticons are <img> tags inside running text (Cloud: data-emoji-id, Data Center: class "emoticon"). */
function isConfluenceEmoticon(img: HNode): boolean {
  return (
    img.tag === 'img' &&
    (classList(img).some((c) => c === 'emoticon' || c.startsWith('emoticon-')) ||
      img.attrs['data-emoji-id'] !== undefined ||
      img.attrs['data-emoticon-name'] !== undefined)
  );
}

/**
 * The page without its emoticons (--drop-emoticons), the text around each joined up again. Unstructured, and so our
 * default, reads each as an Image element between the two halves of its sentence.
 */
export function dropEmoticons(root: HNode): void {
  removeWhere(root, isConfluenceEmoticon);
}
