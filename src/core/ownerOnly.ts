// Files that hold secrets (a worker's credentials, encryption keys) must be readable by their owner only.
import { statSync } from 'node:fs';
import { ConfigError } from './configError';

/**
 * Refuses a file that group or others may read: a secret readable by every account on the host is not a secret.
 * `what` names the file in the message, e.g. "secrets file".
 */
export function assertOwnerOnly(file: string, what: string): void {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    throw new ConfigError(
      `cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}; check the path`,
    );
  }
  // Windows has no POSIX mode bits to check.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new ConfigError(`${what} ${file} is readable by group or others (mode ${octal}): run chmod 600 ${file}`);
  }
}
