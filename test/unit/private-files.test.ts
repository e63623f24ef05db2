// What a run reads is private: its work dir, outputs, checkpoint and report are its owner's alone, and a work dir
// another account made or may write is refused, since the worker would trust (and sweep) what it finds there.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/checkpoint/database';
import { lockOutputDir } from '../../src/cli/outputLock';
import { writeFileAtomic } from '../../src/core/atomicWrite';
import { claimWorkDir } from '../../src/pipeline/workDir';
import { DEFAULT_WORK_DIR } from '../../src/worker';

const modeOf = (file: string) => statSync(file).mode & 0o777;
const roots: string[] = [];
function scratch(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'private-'));
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('files a run writes', () => {
  it('are 0600 in folders made 0700: outputs and reports alike', async () => {
    const file = path.join(scratch(), 'out', 'ENG', '1.html.json');
    await writeFileAtomic(file, '[]');
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(path.dirname(file))).toBe(0o700);
    expect(modeOf(path.dirname(path.dirname(file)))).toBe(0o700);
  });

  it('the checkpoint file is 0600 from the start', () => {
    const file = path.join(scratch(), 'out', '.checkpoint.sqlite');
    openDatabase(file).close();
    expect(modeOf(file)).toBe(0o600);
  });

  it('an output dir the lock creates is 0700', async () => {
    const out = path.join(scratch(), 'out');
    const release = await lockOutputDir(out, { wait: false });
    expect(modeOf(out)).toBe(0o700);
    await release();
  });
});

describe('the work dir', () => {
  it('is made 0700, and so is the worker folder inside', async () => {
    const root = path.join(scratch(), 'work');
    const work = await claimWorkDir(root);
    expect(modeOf(root)).toBe(0o700);
    expect(modeOf(work.dir)).toBe(0o700);
    expect(modeOf(path.join(work.dir, '.owner.json'))).toBe(0o600);
    await work.release();
  });

  it('is refused when others may write it', async () => {
    const root = path.join(scratch(), 'work');
    mkdirSync(root);
    chmodSync(root, 0o777);
    await expect(claimWorkDir(root)).rejects.toThrow(
      `work dir ${root} is writable by group or others (mode 0777): run chmod 700 ${root}`,
    );
  });

  it.runIf(process.getuid?.() === 0)('is refused when another user made it', async () => {
    const root = path.join(scratch(), 'work');
    mkdirSync(root, { mode: 0o700 });
    chownSync(root, 65534, 65534);
    await expect(claimWorkDir(root)).rejects.toThrow(
      `work dir ${root} belongs to another user (uid 65534): choose a folder of your own`,
    );
  });

  it("a worker's default is in the user's cache, not in the shared temp folder another user could claim first", () => {
    expect(DEFAULT_WORK_DIR.startsWith(os.tmpdir())).toBe(false);
    expect(DEFAULT_WORK_DIR).toBe(
      path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'durable-ingest', 'work'),
    );
  });
});
