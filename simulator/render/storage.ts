// Confluence storage format (XHTML with ac:/ri: macros) from content blocks.
import type { Block, Inline, ListBlock, PageTarget } from '../content';
import { cdata, escapeHtml } from './escape';
import { renderInlines } from './inline';
import { storageMacro } from './lateMacros';

export function renderStorage(blocks: Block[], macroId: (n: number) => string): string {
  return blocks.map((block, i) => storageBlock(block, () => macroId(i))).join('');
}

function storageBlock(block: Block, macroId: () => string): string {
  switch (block.kind) {
    case 'heading':
      return `<h${block.level}>${escapeHtml(block.text)}</h${block.level}>`;
    case 'paragraph':
      return `<p>${inlines(block.inlines)}</p>`;
    case 'list':
      return list(block);
    case 'table': {
      const head = `<tr>${block.header.map((h) => `<th><p><strong>${escapeHtml(h)}</strong></p></th>`).join('')}</tr>`;
      const rows = block.rows
        .map((r) => `<tr>${r.map((c) => `<td><p>${escapeHtml(c)}</p></td>`).join('')}</tr>`)
        .join('');
      return `<table data-layout="default"><tbody>${head}${rows}</tbody></table>`;
    }
    case 'code':
      return (
        `<ac:structured-macro ac:name="code" ac:schema-version="1" ac:macro-id="${macroId()}">` +
        `<ac:parameter ac:name="language">${block.language}</ac:parameter>` +
        `<ac:plain-text-body>${cdata(block.lines.join('\n'))}</ac:plain-text-body></ac:structured-macro>`
      );
    case 'panel':
      return (
        `<ac:structured-macro ac:name="${block.panel}" ac:schema-version="1" ac:macro-id="${macroId()}">` +
        (block.title ? `<ac:parameter ac:name="title">${escapeHtml(block.title)}</ac:parameter>` : '') +
        `<ac:rich-text-body><p>${inlines(block.inlines)}</p></ac:rich-text-body></ac:structured-macro>`
      );
    case 'image':
      return `<p><ac:image ac:width="400"><ri:attachment ri:filename="${escapeHtml(block.attachment.title)}" /></ac:image></p>`;
    case 'file':
      return (
        `<p><ac:structured-macro ac:name="view-file" ac:schema-version="1" ac:macro-id="${macroId()}">` +
        `<ac:parameter ac:name="name"><ri:attachment ri:filename="${escapeHtml(block.attachment.title)}" /></ac:parameter>` +
        `</ac:structured-macro></p>`
      );
    case 'excerpt':
      return (
        `<ac:structured-macro ac:name="excerpt" ac:schema-version="1" ac:macro-id="${macroId()}">` +
        `<ac:rich-text-body><p>${inlines(block.inlines)}</p></ac:rich-text-body></ac:structured-macro>`
      );
    case 'include':
      // nopanel: Excerpt Include shows the excerpt as the page's own text, without a panel titled with the source.
      return (
        `<ac:structured-macro ac:name="${block.macro}" ac:schema-version="1" ac:macro-id="${macroId()}">` +
        (block.macro === 'excerpt-include' ? '<ac:parameter ac:name="nopanel">true</ac:parameter>' : '') +
        `<ac:parameter ac:name=""><ac:link>${pageRef(block.source)}</ac:link></ac:parameter></ac:structured-macro>`
      );
    case 'attachmentLink':
      return (
        `<p><ac:link><ri:attachment ri:filename="${escapeHtml(block.attachment.title)}">${pageRef(block.container)}` +
        `</ri:attachment><ac:plain-text-link-body>${cdata(block.attachment.title)}</ac:plain-text-link-body></ac:link></p>`
      );
    case 'macro':
      return storageMacro(block.macro, macroId());
  }
}

function pageRef(page: PageTarget): string {
  return `<ri:page ri:space-key="${page.spaceKey}" ri:content-title="${escapeHtml(page.title)}" />`;
}

function list(block: ListBlock): string {
  const tag = block.ordered ? 'ol' : 'ul';
  const items = block.items.map(
    (item) => `<li>${inlines(item.inlines)}${item.children ? list(item.children) : ''}</li>`,
  );
  return `<${tag}>${items.join('')}</${tag}>`;
}

function inlines(parts: Inline[]): string {
  return renderInlines(parts, {
    link: (part) => `<a href="${escapeHtml(part.href)}">${escapeHtml(part.text)}</a>`,
    pageLink: (part) =>
      `<ac:link>${pageRef(part.page)}` +
      `<ac:plain-text-link-body>${cdata(part.text)}</ac:plain-text-link-body></ac:link>`,
  });
}
