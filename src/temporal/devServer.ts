// The embedded Temporal: a real `temporal server start-dev` (SQLite), headless on a free loopback port.
// We spawn the CLI ourselves so its banner and logs stay out of the user's terminal, under a guard that ends it with
// this process (devServerGuard.ts).
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTemporalCli } from './binary';
import { spawnGuarded } from './devServerGuard';
import { quietRuntime } from './runtime';

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

export interface DevServer {
  address: string;
  client: Client;
  nativeConnection: NativeConnection;
  /** The server process, when we spawned it (for measuring it). */
  pid?: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

function serverArgs(port: number, options: DevServerOptions): string[] {
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

async function connectWhenReady(address: string, child: ChildProcess, stderr: () => string): Promise<Connection> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`temporal dev server exited with code ${child.exitCode}: ${stderr().trim().split('\n').pop()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`temporal dev server did not answer on ${address} within 60 s: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  // After the guard's own deadline for the server, so the server is never left without its guard.
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function spawnCli(cli: string, options: DevServerOptions): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const address = `127.0.0.1:${port}`;
  const { guard: child, serverPid } = spawnGuarded(cli, serverArgs(port, options));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  try {
    const connection = await connectWhenReady(address, child, () => stderr);
    const nativeConnection = await NativeConnection.connect({ address });
    return {
      address,
      client: new Client({ connection }),
      nativeConnection,
      pid: await serverPid,
      async stop() {
        await Promise.allSettled([connection.close(), nativeConnection.close()]);
        await stopChild(child);
      },
    };
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}

/** Without a local binary the SDK downloads one (works only where the internet is reachable). */
async function sdkDownload(options: DevServerOptions): Promise<DevServer> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: options.port,
      dbFilename: options.dbFilename,
      ui: false,
      extraArgs: options.extraArgs,
    },
  });
  return {
    address: env.address,
    client: env.client,
    nativeConnection: env.nativeConnection,
    stop: () => env.teardown(),
  };
}

/** Starts on a free port; another process can take that port before the server binds it, so a new one is tried. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  quietRuntime();
  const cli = resolveTemporalCli();
  if (!cli) return sdkDownload(options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnCli(cli, options);
    } catch (err) {
      const exitedEarly = err instanceof Error && err.message.startsWith('temporal dev server exited');
      if (!exitedEarly || options.port !== undefined || attempt === 3) throw err;
    }
  }
}
