// The store's boundary: every record and ref is parsed here, so bad input fails with one clear line
// instead of landing in the database.
import { z } from 'zod';

const nonEmpty = z.string().min(1);

export const CommitSchema = z.object({
  site: nonEmpty,
  id: nonEmpty,
  version: z.number().int().nonnegative(),
  spaceKey: nonEmpty,
  title: z.string(),
  outputPaths: z.array(nonEmpty),
  digest: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex sha256 digest (64 chars)'),
  runId: nonEmpty,
  // Optional so retries of the same activity can pass a fixed time and stay byte-for-byte idempotent.
  committedAt: z.iso.datetime().optional(),
});
export type CommitInput = z.input<typeof CommitSchema>;

/** A committed page as stored: committedAt is always set. */
export type CheckpointRecord = Required<z.output<typeof CommitSchema>>;

export const VersionRefsSchema = z.array(z.object({ id: nonEmpty, version: z.number().int().nonnegative() }));
export type VersionRef = z.infer<typeof VersionRefsSchema>[number];

export const IdsSchema = z.array(nonEmpty);

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** Parses `value` or throws a one-line CheckpointError naming what was wrong with it. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(value)'}: ${i.message}`);
  throw new CheckpointError(`invalid ${what}: ${problems.join('; ')}; fix the caller that built it`);
}
