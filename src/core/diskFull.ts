// A write refused for want of space. No retry can succeed until someone frees space, so the run stops at the first one
// and says where: the disk of the output, of the checkpoint, or of the worker's scratch folder.
/** The disk is full (ENOSPC), the user's quota is spent (EDQUOT), or SQLite says either (SQLITE_FULL). */
const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

export class DiskFullError extends Error {
  override readonly name = 'DiskFullError';

  constructor(
    /** The file that could not be written (its final name, not the temp file it was going through). */
    readonly file: string,
    readonly code: string,
  ) {
    super(
      `no space left to write ${file} (${code}); free space on that disk, or point --output-dir or --work-dir at another one, and run again`,
    );
  }
}

/**
 * `err` as a DiskFullError when it is one, or a file system error of a full disk; otherwise undefined. `file`: the
 * file being written, for errors that do not name it (a failed write() names none).
 */
export function asDiskFull(err: unknown, file?: string): DiskFullError | undefined {
  if (err instanceof DiskFullError) return err;
  const { code, path } = (err ?? {}) as { code?: unknown; path?: unknown };
  if (typeof code !== 'string' || !DISK_FULL_CODES.has(code)) return undefined;
  return new DiskFullError(file ?? (typeof path === 'string' ? path : '(a file the system did not name)'), code);
}
