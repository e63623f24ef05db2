// Markdown -> HTML (markdown-it, CommonMark) -> HTML rules, which is what partition_md does too.
import type MarkdownIt from 'markdown-it';
import type { RawElement } from './rawElement';
import { htmlRawElements } from './html';

/** Made with the first Markdown file: runs without one (most) do not load markdown-it at start. */
let md: { render(text: string): string } | undefined;

export function markdownRawElements(text: string): RawElement[] {
  md ??= new (require('markdown-it') as typeof MarkdownIt)({ html: false, linkify: false });
  return htmlRawElements(md.render(text));
}
