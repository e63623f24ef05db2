// Inline runs render the same in storage and view format, except links: each format passes its own link renderers.
import type { Inline } from '../content';
import { escapeHtml } from './escape';

type LinkKinds = Extract<Inline, { kind: 'link' | 'pageLink' }>;

export interface LinkRenderers {
  link(part: Extract<LinkKinds, { kind: 'link' }>): string;
  pageLink(part: Extract<LinkKinds, { kind: 'pageLink' }>): string;
}

export function renderInlines(parts: Inline[], links: LinkRenderers): string {
  return parts
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return escapeHtml(part.text);
        case 'strong':
        case 'em':
        case 'code':
          return `<${part.kind}>${escapeHtml(part.text)}</${part.kind}>`;
        case 'link':
          return links.link(part);
        case 'pageLink':
          return links.pageLink(part);
      }
    })
    .join('');
}
