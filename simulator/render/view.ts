// body.view: the HTML Confluence renders from storage, with the classes and data-* attributes consumers key on.
import type { Block, Inline, ListBlock } from '../content';
import { attachmentDownload, pageWebui, type Mode } from '../links';
import type { SimAttachment, SimPage } from '../model';
import { escapeHtml } from './escape';
import { renderInlines } from './inline';

export interface ViewContext {
  mode: Mode;
  /** e.g. http://127.0.0.1:PORT */
  origin: string;
  /** Site base path: /wiki on Cloud, the context path on Data Center. */
  basePath: string;
  page: SimPage;
  /** Renders an include macro for the reader: the source's text when they may see it, else Confluence's error. */
  include: (block: Extract<Block, { kind: 'include' }>) => string;
  /** Renders a macro built late or from outside the page, as the representation asked for shows it. */
  late: (block: Extract<Block, { kind: 'macro' }>) => string;
}

const PANEL_CLASS = { info: 'information', note: 'note', warning: 'warning', tip: 'tip' } as const;
const PANEL_ICON = { info: 'info', note: 'warning', warning: 'error', tip: 'approve' } as const;

export function renderView(blocks: Block[], ctx: ViewContext): string {
  return blocks.map((block) => viewBlock(block, ctx)).join('');
}

function viewBlock(block: Block, ctx: ViewContext): string {
  switch (block.kind) {
    case 'heading':
      return `<h${block.level} id="${headingId(ctx.page.title, block.text)}">${escapeHtml(block.text)}</h${block.level}>`;
    case 'paragraph':
      return `<p>${inlines(block.inlines, ctx)}</p>`;
    case 'list':
      return list(block, ctx);
    case 'table':
      return table(block.header, block.rows);
    case 'code':
      return (
        `<div class="code panel pdl conf-macro output-block" style="border-width: 1px;" data-hasbody="true" data-macro-name="code">` +
        `<div class="codeContent panelContent pdl"><pre class="syntaxhighlighter-pre" ` +
        `data-syntaxhighlighter-params="brush: ${block.language}; gutter: false; theme: Confluence" data-theme="Confluence">` +
        `${escapeHtml(block.lines.join('\n'))}</pre></div></div>`
      );
    case 'panel':
      return (
        `<div class="confluence-information-macro confluence-information-macro-${PANEL_CLASS[block.panel]} conf-macro output-block" ` +
        `data-hasbody="true" data-macro-name="${block.panel}">` +
        (block.title ? `<p class="title conf-macro-render">${escapeHtml(block.title)}</p>` : '') +
        `<span class="aui-icon aui-icon-small aui-iconfont-${PANEL_ICON[block.panel]} confluence-information-macro-icon"> </span>` +
        `<div class="confluence-information-macro-body"><p>${inlines(block.inlines, ctx)}</p></div></div>`
      );
    case 'image':
      return `<p>${image(block.attachment, ctx)}</p>`;
    case 'file':
      return `<p>${file(block.attachment, ctx)}</p>`;
    case 'excerpt':
      return macroWrapper('excerpt', true, `<p>${inlines(block.inlines, ctx)}</p>`);
    case 'include':
      return ctx.include(block);
    case 'attachmentLink':
      return `<p>${file(block.attachment, ctx, block.container.id)}</p>`;
    case 'macro':
      return ctx.late(block);
  }
}

/** How Confluence wraps a macro's output in view HTML (as for the code and panel macros above). */
export function macroWrapper(name: string, hasBody: boolean, html: string): string {
  return `<div class="conf-macro output-block" data-hasbody="${hasBody}" data-macro-name="${name}">${html}</div>`;
}

function headingId(pageTitle: string, text: string): string {
  return `${pageTitle}-${text}`.replace(/[^\p{L}\p{N}-]/gu, '');
}

function table(header: string[], rows: string[][]): string {
  const head = `<tr>${header.map((h) => `<th class="confluenceTh"><p><strong>${escapeHtml(h)}</strong></p></th>`).join('')}</tr>`;
  const body = rows
    .map((r) => `<tr>${r.map((c) => `<td class="confluenceTd"><p>${escapeHtml(c)}</p></td>`).join('')}</tr>`)
    .join('');
  return `<div class="table-wrap"><table data-table-width="760" data-layout="default" class="confluenceTable"><tbody>${head}${body}</tbody></table></div>`;
}

function list(block: ListBlock, ctx: ViewContext): string {
  const tag = block.ordered ? 'ol' : 'ul';
  const items = block.items.map(
    (item) => `<li>${inlines(item.inlines, ctx)}${item.children ? list(item.children, ctx) : ''}</li>`,
  );
  return `<${tag}>${items.join('')}</${tag}>`;
}

function downloadUrl(att: SimAttachment, ctx: ViewContext): string {
  return `${ctx.basePath}${attachmentDownload(ctx.mode, att)}`;
}

function resourceAttributes(att: SimAttachment, ctx: ViewContext, containerId = ctx.page.id): string {
  return (
    `data-linked-resource-id="${att.id.replace(/^att/, '')}" data-linked-resource-version="${att.version}" ` +
    `data-linked-resource-type="attachment" data-linked-resource-default-alias="${escapeHtml(att.title)}" ` +
    `data-linked-resource-content-type="${att.mediaType}" data-linked-resource-container-id="${containerId}"` +
    (containerId === ctx.page.id ? ` data-linked-resource-container-version="${ctx.page.version.number}"` : '')
  );
}

function image(att: SimAttachment, ctx: ViewContext): string {
  // Cloud renders absolute image URLs; Data Center renders them relative to the host.
  const src = escapeHtml(ctx.mode === 'cloud' ? `${ctx.origin}${downloadUrl(att, ctx)}` : downloadUrl(att, ctx));
  return (
    `<span class="confluence-embedded-file-wrapper confluence-embedded-manual-size">` +
    `<img class="confluence-embedded-image" draggable="false" width="400" src="${src}" data-image-src="${src}" ` +
    `data-base-url="${escapeHtml(ctx.origin + ctx.basePath)}" ${resourceAttributes(att, ctx)} alt=""></span>`
  );
}

function file(att: SimAttachment, ctx: ViewContext, containerId?: string): string {
  const attributes = resourceAttributes(att, ctx, containerId);
  return (
    `<span class="confluence-embedded-file-wrapper"><a class="confluence-embedded-file" ` +
    `href="${escapeHtml(downloadUrl(att, ctx))}" data-nice-type="${att.mediaType}" ${attributes}>` +
    `${escapeHtml(att.title)}</a></span>`
  );
}

function inlines(parts: Inline[], ctx: ViewContext): string {
  return renderInlines(parts, {
    link: (part) =>
      `<a href="${escapeHtml(part.href)}" class="external-link" rel="nofollow">${escapeHtml(part.text)}</a>`,
    pageLink: (part) => {
      const href = `${ctx.basePath}${pageWebui(ctx.mode, part.page.spaceKey, part.page)}`;
      return `<a href="${escapeHtml(href)}" data-linked-resource-id="${part.page.id}" data-linked-resource-type="page">${escapeHtml(part.text)}</a>`;
    },
  });
}
