// What the permissions a document's outputs carry rest on, as the checkpoint keeps it: the source's fingerprint of
// the document's own permissions, and those of the other documents whose permissions part of the outputs carries
// (text it includes, files it links). Source-neutral: the connector makes the fingerprints and reads them back.
import { z } from 'zod';

const DependencySchema = z.object({
  /** What identifies the other document to its source (for Confluence: id, space id and key, content type). */
  page: z.object({ id: z.string() }).catchall(z.string()),
  fingerprint: z.string(),
});
export type PermissionsDependency = z.infer<typeof DependencySchema>;

export interface PermissionsVersion {
  own: string;
  dependencies: PermissionsDependency[];
}

const CompositeSchema = z.object({ own: z.string(), dependencies: z.array(DependencySchema).min(1) });

/** The own fingerprint as it is; with dependencies (each document once, in id order), JSON. */
export function encodePermissionsVersion({ own, dependencies }: PermissionsVersion): string {
  const unique = [...new Map(dependencies.map((d) => [d.page.id, d])).values()];
  if (unique.length === 0) return own;
  return JSON.stringify({ own, dependencies: unique.sort((a, b) => (a.page.id < b.page.id ? -1 : 1)) });
}

/** Undefined for nothing recorded, or for what this code cannot read (then it counts as changed). */
export function decodePermissionsVersion(text: string | undefined): PermissionsVersion | undefined {
  if (!text) return undefined;
  if (!text.startsWith('{')) return { own: text, dependencies: [] };
  try {
    return CompositeSchema.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * The own part of a document whose outputs were made to grant no one (its readers could not be proven, or it is gone
 * for the ingest account). Its dependencies are kept beside it.
 */
export const REVOKED = 'unproven';

/** Whether a recorded version says the outputs grant no one. */
export function isRevoked(text: string | undefined): boolean {
  return decodePermissionsVersion(text)?.own === REVOKED;
}

/** A page's version with the dependencies of the other outputs recorded with it (its extracted files'). */
export function mergePermissionsVersions(page: string, others: readonly (string | undefined)[]): string {
  const own = decodePermissionsVersion(page) ?? { own: page, dependencies: [] };
  const more = others.flatMap((o) => decodePermissionsVersion(o)?.dependencies ?? []);
  return encodePermissionsVersion({ own: own.own, dependencies: [...own.dependencies, ...more] });
}
