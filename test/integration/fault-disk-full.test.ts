// Fault matrix: the output's disk fills up mid-run (a real 1 MiB tmpfs). The run stops at the first write refused for
// want of space, without retrying it, exits 3 with one line naming the file, what was kept and the fix; no output is
// half-written and the checkpoint is intact; once the disk has room, a re-run completes every page.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator';
import { EXIT } from '../../src/cli/outcome';
import { REPORT_FILE, type RunReport } from '../../src/pipeline/activities/report';
import { expectIntactOutputs, ingestCli, stderrLines } from '../support/faultRuns';
import { readJson } from '../support/outputs';
import { type SmallDisk, mountSmallDisk, smallDiskSupported } from '../support/smallDisk';
import { bodyRequests, tempDir } from '../support/stack';

const PAGES = 80;
const MAX_IN_FLIGHT = 8;
let sim: RunningSimulator;
let disk: SmallDisk | undefined;

beforeAll(async () => {
  sim = await startSimulator({ seed: 6, spaces: 2, pagesPerSpace: PAGES / 2 });
});
afterAll(async () => {
  disk?.unmount();
  await sim?.close();
});

it.skipIf(!smallDiskSupported())(
  'stops at a full disk, exits 3 naming the file, keeps outputs whole, and a re-run completes',
  { timeout: 240_000 },
  async () => {
    disk = mountSmallDisk(1024 * 1024);
    const out = path.join(disk.dir, 'out');
    const work = path.join(tempDir('fault-disk-full'), 'work');
    const run = await ingestCli(sim, out, work, ['--max-in-flight', String(MAX_IN_FLIGHT)]);

    expect(run.code).toBe(EXIT.stopped);
    const lines = stderrLines(run);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^durable-ingest: the run stopped: no space left to write ${out}/\\S+ \\((ENOSPC|SQLITE_FULL)\\); free space on that disk, or point --output-dir ` +
          'or --work-dir at another one, and run again\\. (\\d+) pages? (is|are) written and recorded; a re-run continues from there$',
      ),
    );
    const written = Number(/(\d+) pages? (is|are) written/.exec(lines[0])?.[1]);
    expect(written).toBeLessThan(PAGES);
    // No page is retried: each listed page's body is asked for at most once (the pages under way when the disk filled
    // included), so the run asked for no more bodies than it wrote plus one window.
    expect(bodyRequests(sim)).toBeLessThanOrEqual(written + MAX_IN_FLIGHT);
    expectIntactOutputs(out);
    // The report goes in only where the disk still has room for it (the run's failure names the cause either way).
    const reportPath = path.join(out, REPORT_FILE);
    if (existsSync(reportPath))
      expect(readJson<RunReport>(reportPath)).toMatchObject({
        done: written,
        failed: 0,
        stopped: { type: 'DiskFull' },
      });

    disk.grow(64 * 1024 * 1024);
    const rerun = await ingestCli(sim, out, work, ['--max-in-flight', String(MAX_IN_FLIGHT)]);
    expect(rerun.code).toBe(EXIT.done);
    expect(rerun.stderr).toContain(`${written} unchanged, 0 failed`);
    expect(expectIntactOutputs(out)).toHaveLength(PAGES);
  },
);
