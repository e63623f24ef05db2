// --extract-files, the evidence for reuse: what was downloaded into one page's folder, by safe name, so a re-run
// (or a retried attempt) fetches only files whose attachment version (or page version) changed.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../../core/atomicWrite';
import type { Candidate } from './candidates';

/** Beside the files; safe names never start with a dot, so it cannot collide with one. */
const MANIFEST_NAME = '.extract-manifest.json';

const ManifestEntrySchema = z.object({
  key: z.string(),
  version: z.number().int().optional(),
  /** Decides staleness for files without an attachment version. */
  pageVersion: z.number().int(),
  sha256: z.string(),
  bytes: z.number().int().nonnegative(),
  mediaType: z.string(),
  url: z.string(),
});
type ManifestEntry = z.infer<typeof ManifestEntrySchema>;
const ManifestSchema = z.record(z.string(), ManifestEntrySchema);

/** What was downloaded into one page's folder, by safe name: the evidence for reusing a file. */
export class Manifest {
  private constructor(
    private readonly file: string,
    private readonly entries: Record<string, ManifestEntry>,
  ) {}

  static async open(dir: string): Promise<Manifest> {
    const file = path.join(dir, MANIFEST_NAME);
    let entries: Record<string, ManifestEntry> = {};
    try {
      entries = ManifestSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch {
      // Missing or unreadable: nothing is known to be fresh, so everything is downloaded again.
    }
    return new Manifest(file, entries);
  }

  /** The entry when the file on disk is the same attachment version (or, without one, from the same page version). */
  async fresh(
    name: string,
    candidate: Candidate,
    pageVersion: number,
    filePath: string,
  ): Promise<ManifestEntry | undefined> {
    const entry = this.entries[name];
    if (!entry || entry.key !== candidate.key) return undefined;
    const current =
      candidate.version !== undefined ? entry.version === candidate.version : entry.pageVersion === pageVersion;
    const size = await stat(filePath).then(
      (s) => s.size,
      () => undefined,
    );
    return current && size === entry.bytes ? entry : undefined;
  }

  /** Written after every file, so a retried attempt reuses what the failed one finished. */
  async record(name: string, entry: ManifestEntry): Promise<void> {
    this.entries[name] = entry;
    await writeFileAtomic(this.file, JSON.stringify(this.entries, null, 2));
  }
}
