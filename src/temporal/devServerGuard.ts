// The embedded dev server must not outlive the command that started it, however the command ends (SIGKILL included),
// and Node offers no PR_SET_PDEATHSIG. So the server runs under a small guard process whose stdin is a pipe from the
// command: the system closes that pipe when the command dies, and the guard then stops the server.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** How long the server has to stop on SIGTERM before the guard kills it. */
const KILL_AFTER_MS = 8000;

const GUARD = `
const { spawn } = require('node:child_process');
const [cli, ...args] = process.argv.slice(1);
const server = spawn(cli, args, { stdio: ['ignore', 'ignore', 'inherit'] });
server.on('error', (err) => { process.stderr.write(err.message + '\\n'); process.exit(1); });
server.on('spawn', () => process.stdout.write(server.pid + '\\n'));
server.on('exit', (code) => process.exit(code ?? 1));
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.kill('SIGTERM');
  setTimeout(() => server.kill('SIGKILL'), ${KILL_AFTER_MS}).unref();
};
process.stdin.on('end', stop).on('error', stop).resume();
process.on('SIGTERM', stop).on('SIGINT', stop);
`;

export interface GuardedServer {
  /** The guard: signal it to stop the server; it exits with the server's code. */
  guard: ChildProcess;
  /** The server's own process id, once it runs. */
  serverPid: Promise<number | undefined>;
}

/**
 * Starts `cli args` under the guard, in a process group of its own (a Ctrl-C at the terminal is the command's to
 * handle, not the server's); its stderr is the server's.
 */
export function spawnGuarded(cli: string, args: string[]): GuardedServer {
  const guard = spawn(process.execPath, ['-e', GUARD, cli, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const lines = createInterface({ input: guard.stdout! });
  const serverPid = Promise.race([
    once(lines, 'line').then(([line]) => Number(line)),
    once(guard, 'exit').then(() => undefined),
  ]);
  return { guard, serverPid };
}
