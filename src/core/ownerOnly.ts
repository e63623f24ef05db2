// What holds private data (secrets, encryption keys, the pages a run read) is for its owner's eyes only: files 0600,
// folders 0700, and a folder someone else made or may write is never trusted to be private.
import { mkdirSync, statSync } from 'node:fs';
import { ConfigError } from './configError';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Windows has no POSIX mode bits or owners to check. */
const POSIX = process.platform !== 'win32';

function statOf(file: string, what: string) {
  try {
    return statSync(file);
  } catch (err) {
    throw new ConfigError(
      `cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}; check the path`,
    );
  }
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0');
}

/**
 * Refuses a file that group or others may read: a secret readable by every account on the host is not a secret.
 * `what` names the file in the message, e.g. "secrets file".
 */
export function assertOwnerOnly(file: string, what: string): void {
  const { mode } = statOf(file, what);
  if (POSIX && (mode & 0o077) !== 0) {
    throw new ConfigError(
      `${what} ${file} is readable by group or others (mode ${octal(mode)}): run chmod 600 ${file}`,
    );
  }
}

/**
 * Creates `dir` (0700 where it is new) and refuses one another account owns or may write: whoever can write it can
 * plant links or swap files under the one that trusts it.
 */
export function ensurePrivateDir(dir: string, what: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const { mode, uid } = statOf(dir, what);
  if (!POSIX) return;
  if (uid !== process.getuid?.()) {
    throw new ConfigError(`${what} ${dir} belongs to another user (uid ${uid}): choose a folder of your own`);
  }
  if ((mode & 0o022) !== 0) {
    throw new ConfigError(`${what} ${dir} is writable by group or others (mode ${octal(mode)}): run chmod 700 ${dir}`);
  }
}
