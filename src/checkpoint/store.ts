// The checkpoint: what was ingested (per site and page id, at which version, written where), so re-runs skip
// unchanged pages, an interrupted run resumes, and pages gone from the source can be found. SQLite is the embedded
// default (sqlite.ts), PostgreSQL the store for workers on several machines (postgres.ts); both keep these semantics,
// and test/integration/checkpoint.test.ts runs the same suite against each.
import type { MissingPage } from '../core/missing';
import type { PgDatabases, SharedTransaction } from '../core/pgDatabases';
import type { CheckpointRecord, CommitInput, PermissionsUpdate, SpaceCount, VersionRef } from './records';

export interface Classification {
  newOrChanged: string[];
  unchanged: string[];
}

/** A recorded page that a listing did not see, with what it had written. */
export interface MissingRecord extends MissingPage {
  version: number;
  outputPaths: string[];
}

/**
 * Seen marks are kept per generation (one full enumeration of the selection), so runs listing the same space at
 * the same time never disturb each other's missing(). A generation's marks live while it is active: they are
 * pruned once it has neither marked pages nor asked for missing ones for this long (7 days by default), checked
 * whenever a new generation starts. A pruned generation is remembered for PRUNED_GENERATIONS_KEPT_MS, so that
 * asking it for missing pages fails instead of calling every page gone.
 */
export const DEFAULT_SEEN_RETENTION_MS = 7 * 24 * 3600 * 1000;
export const PRUNED_GENERATIONS_KEPT_MS = 90 * 24 * 3600 * 1000;

export interface CheckpointOptions {
  /**
   * PostgreSQL only: which destination these records describe (e.g. the absolute output dir), so ingests writing
   * to different places can share one database without skipping each other's pages. A SQLite file is already per
   * output dir, so SQLite ignores it. Default: '' (one destination per database).
   */
  scope?: string;
  /** How long an idle generation's seen marks are kept (default DEFAULT_SEEN_RETENTION_MS). */
  seenRetentionMs?: number;
  /** PostgreSQL only: the worker's pools, shared with its destinations; absent: the store opens a pool of its own. */
  databases?: PgDatabases;
  /** PostgreSQL only: connections of a pool of its own (default 10); each statement holds one briefly. */
  maxConnections?: number;
  /** The time used for commits without committedAt and for generations; tests move it. */
  clock?: () => Date;
}

export interface CheckpointStore {
  /**
   * Resolves once the store can serve; rejects with a one-line CheckpointError otherwise. SQLite opens at once, so
   * its errors are thrown by openCheckpoint itself; PostgreSQL connects and migrates its schema in the background
   * from openCheckpoint on, and every method waits for that (a failed attempt is retried by the next call).
   * Await it where you want to fail fast, e.g. before starting an ingest.
   */
  ready(): Promise<void>;
  /** Splits a batch of listed refs into pages to ingest and pages whose recorded version matches. */
  classify(site: string, refs: VersionRef[]): Promise<Classification>;
  /**
   * Marks pages as listed during `generation`: one full enumeration of the selection, which may span
   * continue-as-new runs (the first run id of the ingest workflow). The first mark of a generation records when
   * it started. Marks of a pruned generation are not kept (its missing() fails).
   */
  markSeen(site: string, generation: string, ids: string[]): Promise<void>;
  /**
   * Records that a page's upload is done. Idempotent; returns false when a newer version of the page was
   * already recorded (the older commit is then ignored). With `transaction` (a destination's, open on this store's
   * database), the record is a statement of it: the page and its record land together or not at all, and false tells
   * the destination to roll back. A store on another database, or no database, refuses a transaction.
   */
  commit(input: CommitInput, transaction?: SharedTransaction): Promise<boolean>;
  /**
   * Recorded pages of a space that `generation` did not mark seen, among those committed no later than the
   * generation's first mark (a page another run recorded while this one was listing is not this run's to call
   * gone; a generation that marked nothing has no start, so every unmarked page of the space counts). Only meaningful
   * once that generation has listed the whole space (not cut short by a per-space limit).
   * Ordered by page id; `limit` lets callers work in batches. Throws a CheckpointError if the generation's marks
   * were pruned.
   */
  missing(site: string, spaceKey: string, generation: string, limit?: number): Promise<MissingRecord[]>;
  /**
   * Forgets pages (and every generation's seen marks of them) and returns the output paths they had, for the
   * caller to delete, ordered by page id.
   */
  remove(site: string, ids: string[]): Promise<string[]>;
  /**
   * Records that a page's outputs now carry other permissions (rewritten in place, same version). False, and nothing
   * changed, when the page is recorded at another version by now (it was ingested again meanwhile) or not at all.
   * Joins `transaction` as commit() does.
   */
  recordPermissions(update: PermissionsUpdate, transaction?: SharedTransaction): Promise<boolean>;
  /** The records of those of `ids` that are recorded, in id order. */
  records(site: string, ids: string[]): Promise<CheckpointRecord[]>;
  count(site: string): Promise<number>;
  /** How many pages each space has recorded, by space key. */
  spaces(site: string): Promise<SpaceCount[]>;
  get(site: string, id: string): Promise<CheckpointRecord | undefined>;
  /** The records of the pages titled exactly so (one per space at most, on one site), in id order. */
  titled(site: string, title: string): Promise<CheckpointRecord[]>;
  close(): Promise<void>;
}
