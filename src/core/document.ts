// A document as it travels the pipeline, whatever its source (unstructured-ingest's FileData): what it is, which
// version, where its downloaded content lies, and the data_source its elements carry. A connector's download step
// makes it; partition, embed and the destinations read it and know nothing of the source.
import type { DataSourceMetadata } from './elements';
import type { Handoff } from './handoff';

export interface DocumentRecord {
  /** The source's id of the document (a page id); a file's record shares its page's. */
  identifier: string;
  /** A file a document carries: what tells it from the document itself in a destination keyed by document (recordIdOf). */
  partName?: string;
  version: number;
  /** Shown in reports (a page title). */
  displayName: string;
  /** The group the source lists documents by (a space key): pages absent from a full listing of it are gone. */
  collection: string;
  sourceIdentifiers: {
    /** The name partitioners see (element metadata.filename). */
    filename: string;
    /** Where outputs go below a destination's root: `<space>/<page-id>.html`, `<space>/<page-id>/<file-name>`. */
    relativePath: string;
  };
  /** The data_source every element of the document carries (url, version, record_locator, dates, permissions). */
  metadata: DataSourceMetadata;
  /** The downloaded content: a file in the work dir (or download dir, for extracted files) of the worker that fetched it. */
  content: Handoff;
  mediaType: string;
  /** The document's own URL and modification time, for the partitioner's element metadata. */
  url?: string;
  lastModified?: string;
}

/** The key a destination stores a document's elements under (unstructured-ingest's record_id): the source's id, and for a
 * file a document carries, that id and the file's name. */
export function recordIdOf(document: Pick<DocumentRecord, 'identifier' | 'partName'>): string {
  return document.partName === undefined ? document.identifier : `${document.identifier}/${document.partName}`;
}
