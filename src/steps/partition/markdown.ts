// Markdown -> HTML (markdown-it, CommonMark) -> HTML rules, which is what partition_md does too.
import MarkdownIt from 'markdown-it';
import type { RawElement } from './rawElement';
import { htmlRawElements } from './html';

const md = new MarkdownIt({ html: false, linkify: false });

export function markdownRawElements(text: string): RawElement[] {
  return htmlRawElements(md.render(text));
}
