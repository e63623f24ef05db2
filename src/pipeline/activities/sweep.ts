// Temp files of writes a crash interrupted (see core/atomicWrite.ts) are swept once a run has ended, when no
// write can be in flight: a killed worker cannot clean up after itself.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { TEMP_SUFFIX } from '../../core/atomicWrite';
import { PART_SUFFIX } from '../../connectors/confluence/extract/download';

async function tempFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && (TEMP_SUFFIX.test(e.name) || PART_SUFFIX.test(e.name)))
    .map((e) => path.join(e.parentPath, e.name));
}

export const sweepActivities = {
  async sweepTempFiles({ dirs }: { dirs: string[] }): Promise<{ removed: number }> {
    const files = (await Promise.all(dirs.map(tempFilesUnder))).flat();
    await Promise.all(files.map((file) => rm(file, { force: true })));
    return { removed: files.length };
  },
};
