// The checkpoint: what was ingested (per site and page id, at which version, written where), so re-runs skip
// unchanged pages, an interrupted run resumes, and pages gone from the source can be found. SQLite is the embedded
// default (sqlite.ts); every store keeps these semantics.
import type { MissingPage } from '../core/missing';
import type { CheckpointRecord, CommitInput, VersionRef } from './records';

export interface Classification {
  newOrChanged: string[];
  unchanged: string[];
}

/** A recorded page that a listing did not see, with what it had written. */
export interface MissingRecord extends MissingPage {
  version: number;
  outputPaths: string[];
}

export interface CheckpointStore {
  /** Splits a batch of listed refs into pages to ingest and pages whose recorded version matches. */
  classify(site: string, refs: VersionRef[]): Promise<Classification>;
  /**
   * Marks pages as listed during `generation`: one full enumeration of the selection, which may span
   * continue-as-new runs (the first run id of the ingest workflow).
   */
  markSeen(site: string, generation: string, ids: string[]): Promise<void>;
  /**
   * Records that a page's upload is done. Idempotent; returns false when a newer version of the page was
   * already recorded (the older commit is then ignored).
   */
  commit(input: CommitInput): Promise<boolean>;
  /**
   * Recorded pages of a space that were not seen in `generation`. Only meaningful once that generation has
   * listed the whole space (not cut short by a per-space limit). `limit` lets callers work in batches.
   */
  missing(site: string, spaceKey: string, generation: string, limit?: number): Promise<MissingRecord[]>;
  /** Forgets pages and returns the output paths they had, for the caller to delete. */
  remove(site: string, ids: string[]): Promise<string[]>;
  count(site: string): Promise<number>;
  get(site: string, id: string): Promise<CheckpointRecord | undefined>;
  close(): Promise<void>;
}
