// What every destination does with a document's elements: store them (replacing what it stored for that document
// before) and remove them again when the document is gone from the source.
import type { DocumentRecord } from '../core/document';
import type { Element } from '../core/elements';

export interface StoredDocument {
  /** Where the elements landed (a file path, a table key...), for the checkpoint and for remove(). */
  location: string;
  /** sha256 of what was stored. */
  digest: string;
}

export interface Uploader {
  write(document: DocumentRecord, elements: Element[]): Promise<StoredDocument>;
  remove(locations: string[]): Promise<void>;
}
