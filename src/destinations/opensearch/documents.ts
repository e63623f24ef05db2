// One element as one document: its own fields, its metadata whole (as the JSON output has it), its vector, and
// beside them its document's key (`record_id`, by which a page's documents are replaced) and who may read it
// (`permissions_data`, lifted from metadata.data_source so a query filters on it). The document id is the
// PostgreSQL destination's row id, uuid5(element_id + record_id): the same element is the same document in both.
import { createHash } from 'node:crypto';
import { type DocumentRecord, recordIdOf } from '../../core/document';
import type { Element } from '../../core/elements';
import { rowId } from '../postgres/rows';
import type { StoredDocument } from '../uploader';

export interface IndexedElement {
  id: string;
  source: Record<string, unknown>;
}

export function elementDocument(element: Element, recordId: string): IndexedElement {
  const permissions = element.metadata.data_source?.permissions_data;
  return {
    id: rowId(element.element_id, recordId),
    source: {
      ...element,
      record_id: recordId,
      ...(permissions ? { permissions_data: permissions } : {}),
    },
  };
}

/** Where a document's elements are (its record id) and a digest of them, the same as the local output's. */
export function storedOf(document: DocumentRecord, elements: Element[]): StoredDocument {
  const digest = createHash('sha256')
    .update(JSON.stringify(elements, null, 2))
    .digest('hex');
  return { location: recordIdOf(document), digest };
}
