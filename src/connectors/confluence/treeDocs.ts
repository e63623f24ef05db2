// A whiteboard, database or embed (Smart Link) as a document (--content-types): the API gives its metadata, never its
// content, so its body is what the metadata says, in a sentence or two under its title, partitioned like a page's.
import { pyHtmlEscape } from '../../core/htmlEscape';
import type { ConfluenceClient } from './client/clientTypes';
import { ConfluenceError } from './client/errors';
import type { PageRef, TreeDocMetadata, TreeDocType } from './client/types';

const NOUN: Record<TreeDocType, string> = { whiteboard: 'whiteboard', database: 'database', embed: 'Smart Link' };

/** The item's ref as the API reports it now (its version may be newer than the listing's) and its body. */
export async function treeDocBody(
  client: ConfluenceClient,
  id: string,
  type: TreeDocType,
): Promise<{ ref: PageRef; html: string }> {
  if (!client.getTreeDoc)
    throw new ConfluenceError('bad-request', `${type} ${id}: only Confluence Cloud has ${type}s; check --cloud`);
  const metadata = await client.getTreeDoc(id, type);
  return { ref: metadata.ref, html: treeDocHtml(metadata, type) };
}

/** One paragraph: what it is and where, what it links to, where it sits in the tree, when it was made and changed. */
export function treeDocHtml({ ref, parent, embedUrl }: TreeDocMetadata, type: TreeDocType): string {
  const sentences = [
    `Confluence ${NOUN[type]} in space ${ref.spaceKey}, at ${ref.url}; the API gives its metadata, not its content.`,
    embedUrl ? `It links to ${embedUrl}.` : '',
    parent ? `It sits under ${parent.type ?? 'page'} ${parent.id}.` : 'It sits at the top of the space.',
    ref.createdAt ? `Created ${ref.createdAt}.` : '',
    `Version ${ref.version}${ref.modifiedAt ? `, last modified ${ref.modifiedAt}` : ''}.`,
  ];
  return `<p>${pyHtmlEscape(sentences.filter(Boolean).join(' '), false)}</p>`;
}
