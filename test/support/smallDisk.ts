// A real, small file system for disk-full tests: a tmpfs of a given size, grown in place (contents kept) to free space.
// Mounting needs CAP_SYS_ADMIN (root, as on the CI machines); `smallDiskSupported()` says whether this machine allows
// it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SmallDisk {
  dir: string;
  /** Remounts with this many bytes, keeping what is written. */
  grow(bytes: number): void;
  unmount(): void;
}

export function mountSmallDisk(bytes: number): SmallDisk {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  return {
    dir,
    grow: (more) => execFileSync('mount', ['-o', `remount,size=${more}`, dir], { stdio: 'pipe' }),
    unmount() {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function smallDiskSupported(): boolean {
  try {
    mountSmallDisk(64 * 1024).unmount();
    return true;
  } catch {
    return false;
  }
}
