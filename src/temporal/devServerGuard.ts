// The embedded dev server must not outlive the command that started it, however the command ends (SIGKILL included),
// and Node offers no PR_SET_PDEATHSIG. So the server runs under a small guard process whose stdin is a pipe from the
// command: the system closes that pipe when the command dies, and the guard then stops the server.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** Given as the port, has the guard choose a free one: the caller need not wait for its event loop to find one. */
export const FREE_PORT = 'free';

/** How long the server has to stop on SIGTERM before the guard kills it. */
const KILL_AFTER_MS = 8000;

const GUARD = `
const { spawn } = require('node:child_process');
const { createServer } = require('node:net');
const [cli, ...args] = process.argv.slice(1);
const run = (port) => {
  const portAt = args.indexOf('--port') + 1;
  if (args[portAt] === '${FREE_PORT}') args[portAt] = String(port);
  const server = spawn(cli, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.kill('SIGTERM');
    setTimeout(() => server.kill('SIGKILL'), ${KILL_AFTER_MS}).unref();
  };
  server.on('error', (err) => { process.stderr.write(err.message + '\\n'); process.exit(1); });
  // A command that exited before it could be told the pid: stop the server rather than die of the broken pipe.
  process.stdout.on('error', stop);
  server.on('spawn', () => process.stdout.write(server.pid + ' ' + args[portAt] + '\\n'));
  server.on('exit', (code) => process.exit(code ?? 1));
  process.stdin.on('end', stop).on('error', stop).resume();
  process.on('SIGTERM', stop).on('SIGINT', stop);
};
if (!args.includes('${FREE_PORT}')) run();
else {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => run(port));
  });
}
`;

export interface GuardedServer {
  /** The guard: signal it to stop the server; it exits with the server's code. */
  guard: ChildProcess;
  /** The server's own process id, once it runs. */
  serverPid: Promise<number | undefined>;
  /** The port it listens on (the one given, or the free one the guard chose). */
  port: Promise<number | undefined>;
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
  const started = Promise.race([
    once(lines, 'line').then(([line]) => String(line).split(' ').map(Number)),
    once(guard, 'exit').then(() => []),
  ]);
  return { guard, serverPid: started.then(([pid]) => pid), port: started.then(([, port]) => port) };
}
