// A document as it travels the pipeline, whatever its source (unstructured-ingest's FileData): what it is, which
// version, where its downloaded content lies, and the data_source its elements carry. A connector's download step
// makes it; partition, embed and the destinations read it and know nothing of the source.
import type { DataSourceMetadata } from './elements';
import type { Handoff } from './handoff';

export interface DocumentRecord {
  /** The source's id of the document (a page id); a file's record shares its page's. */
  identifier: string;
  /** What a document carries, when this record is that and not the document itself: a file's name, "comments"...
   * It tells the two apart in a destination keyed by document (recordIdOf). */
  carriedName?: string;
  version: number;
  /**
   * What besides the version decides whether the outputs are current (a page's labels and comments), recorded with
   * them.
   */
  contentVersion?: string;
  /**
   * What the permissions its elements carry rest on (the connector's fingerprint), recorded with them: who may read a
   * document can change without a new version, and each run compares this.
   */
  permissionsVersion?: string;
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
  /**
   * The downloaded content: a file in the work dir (or download dir, for extracted files) of the worker that fetched
   * it.
   */
  content: Handoff;
  mediaType: string;
  /** The document's own URL and modification time, for the partitioner's element metadata. */
  url?: string;
  lastModified?: string;
  /** Parts of the content whose elements carry a data_source of their own (text another document lends this one). */
  regions?: ContentRegions;
}

/**
 * An HTML container with this attribute holds a region of the content; its value names the region in
 * ContentRegions.sources. A region must be a block (a div): text of a region that runs into the text around it leaves
 * the partitioner unable to tell which is which.
 */
export const REGION_ATTRIBUTE = 'data-ingest-region';

export interface ContentRegions {
  /** By region name: the data_source of an element whose text lies in that region alone (the innermost, if nested). */
  sources: Record<string, DataSourceMetadata>;
  /**
   * The data_source of an element whose origin cannot be told apart (text from several regions, or from a region and
   * the rest, or a partitioner that does not read regions): one that grants no more than any region or the document.
   */
  mixed: DataSourceMetadata;
}

/**
 * One part of a document made of parts that each carry their own data_source (a page's comments: one part per
 * comment). A compound document's content is the JSON of its parts; each part is partitioned on its own.
 */
export interface DocumentPart {
  /** The element metadata.filename, also hashed into element ids: unique per part, so equal texts get distinct ids. */
  filename: string;
  html: string;
  metadata: DataSourceMetadata;
  url?: string;
  lastModified?: string;
}

/** The key a destination stores a document's elements under (unstructured-ingest's record_id): the source's id, and for
 * what a document carries (a file, its comments), that id and the carried name. */
export function recordIdOf(document: Pick<DocumentRecord, 'identifier' | 'carriedName'>): string {
  return document.carriedName === undefined ? document.identifier : `${document.identifier}/${document.carriedName}`;
}
