// What every destination does with a document's elements: store them (replacing what it stored for that document
// before), store a page and have the checkpoint record it, and remove them again when the document is gone.
import type { DocumentRecord } from '../core/document';
import type { Element } from '../core/elements';
import type { SharedTransaction } from '../core/pgDatabases';
import type { PermissionsPatch } from './permissionsPatch';

export interface StoredDocument {
  /** Where the elements landed (a file path, a table key...), for the checkpoint and for remove(). */
  location: string;
  /** sha256 of what was stored. */
  digest: string;
  /** What the stored permissions rest on, when the document said (core/permissionsVersion.ts). */
  permissionsVersion?: string;
}

/**
 * Records a stored page in the checkpoint. A destination that is a database passes its open transaction, for a
 * checkpoint in the same database to join: the page and its record then land together or not at all. False: a newer
 * version of the page is recorded already, and this one must not replace it.
 */
export type RecordPage = (stored: StoredDocument, transaction?: SharedTransaction) => Promise<boolean>;

/** Records rewritten permissions in the checkpoint, in the destination's transaction when it is a database. */
export type RecordPermissions = (transaction?: SharedTransaction) => Promise<boolean>;

export interface Uploader {
  write(document: DocumentRecord, elements: Element[]): Promise<StoredDocument>;
  /**
   * Stores a page and records it (see RecordPage): after the write for files, in the same transaction for a database.
   */
  writePage(document: DocumentRecord, elements: Element[], record: RecordPage): Promise<StoredDocument>;
  /**
   * Gives the elements stored at `locations` new permissions, all else unchanged, and records it (see
   * RecordPermissions): after the rewrite for files, in the same transaction for a database.
   */
  rewritePermissions(locations: string[], patch: PermissionsPatch, record: RecordPermissions): Promise<void>;
  remove(locations: string[]): Promise<void>;
}
