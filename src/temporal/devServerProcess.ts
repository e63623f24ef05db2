// The dev server's process: its command line, spawned under the guard (devServerGuard.ts) on a free port, and stopped.
// Node built-ins only, so the CLI can start it before it loads anything else (prestart.ts).
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { FREE_PORT, spawnGuarded } from './devServerGuard';

export interface DevServerOptions {
  /** Persist the server's state here; in memory when absent. */
  dbFilename?: string;
  port?: number;
  /** e.g. `--dynamic-config-value limit.historyCount.suggestContinueAsNew=100` */
  extraArgs?: string[];
  /** `name=Type` pairs registered at start (Temporal's --search-attribute). */
  searchAttributes?: string[];
  /** Serve the Temporal UI on this port; headless when absent. */
  uiPort?: number;
}

export interface ServerProcess {
  /** The guard: it exits with the server. */
  child: ChildProcess;
  serverPid: Promise<number | undefined>;
  /** `127.0.0.1:port` once the server runs; undefined when it could not start. */
  address: Promise<string | undefined>;
  /** The options it was started with, to tell whether it is the server a caller asks for. */
  options: DevServerOptions;
  /** The end of the server's stderr, for the reason it exited. */
  stderr(): string;
}

function serverArgs(port: number | typeof FREE_PORT, options: DevServerOptions): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--log-level',
    'error',
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...(options.dbFilename ? ['--db-filename', options.dbFilename] : []),
    ...(options.searchAttributes ?? []).flatMap((sa) => ['--search-attribute', sa]),
    ...(options.extraArgs ?? []),
  ];
}

/** Spawns at once: the guard finds the free port, so this needs no turn of the event loop (see prestart.ts). */
export function spawnServer(cli: string, options: DevServerOptions): ServerProcess {
  const { guard: child, serverPid, port } = spawnGuarded(cli, serverArgs(options.port ?? FREE_PORT, options));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const address = port.then((p) => (p ? `127.0.0.1:${p}` : undefined));
  return { child, serverPid, address, options, stderr: () => stderr };
}

/**
 * An in-memory server holds nothing worth a graceful stop (its state ends with it either way), so it is killed at once;
 * one with a database file gets SIGTERM to close it cleanly.
 */
export async function stopServer({ child, serverPid, options }: ServerProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  const pid = await serverPid;
  if (!options.dbFilename && pid) killQuietly(pid);
  else child.kill('SIGTERM');
  // After the guard's own deadline for the server, so the server is never left without its guard.
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone: the guard exits with it
  }
}
