// The store's boundary: every record and ref is parsed here, so bad input fails with one clear line
// instead of landing in the database.
import { z } from 'zod';
import { StoreError } from '../core/storeError';

const nonEmpty = z.string().min(1);

/** A fingerprint is short; one that carries other pages' (included text, linked files) grows with them. */
const PERMISSIONS_VERSION_MAX = 100_000;

export const CommitSchema = z.object({
  site: nonEmpty,
  id: nonEmpty,
  version: z.number().int().nonnegative(),
  /**
   * What besides the version decides whether outputs are current (a digest of labels and comments); absent: nothing.
   */
  contentVersion: z.string().max(200).optional(),
  /** What the permissions written rest on (a fingerprint, with those of other pages the outputs carry text of). */
  permissionsVersion: z.string().max(PERMISSIONS_VERSION_MAX).optional(),
  spaceKey: nonEmpty,
  title: z.string(),
  outputPaths: z.array(nonEmpty),
  digest: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex sha256 digest (64 chars)'),
  runId: nonEmpty,
  // Optional so retries of the same activity can pass a fixed time and stay byte-for-byte idempotent.
  committedAt: z.iso.datetime().optional(),
});
export type CommitInput = z.input<typeof CommitSchema>;

type Commit = z.output<typeof CommitSchema>;

/** A committed page as stored: committedAt is always set; content and permissions versions when there were some. */
export type CheckpointRecord = Required<Omit<Commit, 'contentVersion' | 'permissionsVersion'>> &
  Pick<Commit, 'contentVersion' | 'permissionsVersion'>;

/** The permissions of a recorded page's outputs were rewritten in place: the same version, other permissions. */
export const PermissionsUpdateSchema = z.object({
  site: nonEmpty,
  id: nonEmpty,
  version: z.number().int().nonnegative(),
  permissionsVersion: z.string().min(1).max(PERMISSIONS_VERSION_MAX),
});
export type PermissionsUpdate = z.infer<typeof PermissionsUpdateSchema>;

export const VersionRefsSchema = z.array(
  z.object({ id: nonEmpty, version: z.number().int().nonnegative(), contentVersion: z.string().max(200).optional() }),
);
export type VersionRef = z.infer<typeof VersionRefsSchema>[number];

/** What classify compares: a page is unchanged when both its version and its content version are the recorded ones. */
export interface RecordedVersion {
  version: number;
  contentVersion: string;
}

/** A space's share of the records: what --max-delete and a vanished space are measured against. */
export interface SpaceCount {
  spaceKey: string;
  pages: number;
}

export const IdsSchema = z.array(nonEmpty);
export const NameSchema = nonEmpty;
export const LimitSchema = z.number().int().positive().optional();

/** Keeps each id once, in first-seen order: a listing that repeats a page must not classify it twice. */
export function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** Orders by page id as both stores' SQL does (SQLite BINARY, PostgreSQL COLLATE "C"): by UTF-8 bytes. */
export function byId(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Splits a batch of listed refs given the versions recorded for some of their ids. */
export function classifyRefs(
  refs: VersionRef[],
  recorded: Map<string, RecordedVersion>,
): { newOrChanged: string[]; unchanged: string[] } {
  const isUnchanged = (r: VersionRef) => {
    const had = recorded.get(r.id);
    return had?.version === r.version && had.contentVersion === (r.contentVersion ?? '');
  };
  return {
    newOrChanged: unique(refs.filter((r) => !isUnchanged(r)).map((r) => r.id)),
    unchanged: unique(refs.filter(isUnchanged).map((r) => r.id)),
  };
}

/** Parses `value` or throws a one-line checkpoint StoreError naming what was wrong with it. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(value)'}: ${i.message}`);
  throw new StoreError('checkpoint', `invalid ${what}: ${problems.join('; ')}; fix the caller that built it`);
}

/** A transaction on another database (or a store that is no database) cannot carry this checkpoint's record. */
export function foreignTransaction(checkpoint: string): StoreError {
  return new StoreError(
    'checkpoint',
    `the checkpoint ${checkpoint} cannot record a page inside a transaction on another database; ` +
      "keep a database destination's checkpoint in its own database",
  );
}

/** Asking a pruned generation which pages are missing: its marks are gone, so every page would look missing. */
export function prunedGenerationError(generation: string, retentionMs: number): StoreError {
  const days = Math.round((retentionMs / 86_400_000) * 10) / 10;
  return new StoreError(
    'checkpoint',
    `the seen marks of generation ${generation} were pruned after ${days} days without activity, so the pages it ` +
      'listed are unknown and none can be called missing; start a new ingest run (its own generation) to find missing pages',
  );
}
