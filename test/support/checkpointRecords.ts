// A page's checkpoint record as the upload step commits it, for checkpoint tests and the checkpoint bench.
import type { CommitInput } from '../../src/checkpoint';

/** The digest every record made here carries. */
export const COMMIT_DIGEST = 'a'.repeat(64);

export function pageCommit(site: string, id: string, version: number, extra: Partial<CommitInput> = {}): CommitInput {
  return {
    site,
    id,
    version,
    spaceKey: 'ENG',
    title: `Page ${id}`,
    outputPaths: [`out/ENG/${id}.html.json`],
    digest: COMMIT_DIGEST,
    runId: 'run-1',
    ...extra,
  };
}
