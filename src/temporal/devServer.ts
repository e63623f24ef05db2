// The embedded Temporal: a real `temporal server start-dev` (SQLite), headless on a free loopback port.
// We spawn the CLI ourselves so its banner and logs stay out of the user's terminal, under a guard that ends it with
// this process (devServerGuard.ts).
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { resolveTemporalCli } from './binary';
import { type DevServerOptions, type ServerProcess, spawnServer, stopServer } from './devServerProcess';
import { takePrestartedServer } from './prestart';
import { quietRuntime } from './runtime';

export type { DevServerOptions };

export interface DevServer {
  address: string;
  client: Client;
  nativeConnection: NativeConnection;
  /** The server process, when we spawned it (for measuring it). */
  pid?: number;
  stop(): Promise<void>;
}

async function connectWhenReady({ child, stderr }: ServerProcess, address: string | undefined): Promise<Connection> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || !address)
      throw new Error(`temporal dev server exited with code ${child.exitCode}: ${stderr().trim().split('\n').pop()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`temporal dev server did not answer on ${address} within 60 s: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** The server the CLI started before loading (prestart.ts) when it is the one asked for, else a new one. */
async function spawnCli(cli: string, options: DevServerOptions): Promise<DevServer> {
  const server = takePrestartedServer(options) ?? spawnServer(cli, options);
  try {
    const address = await server.address;
    const connection = await connectWhenReady(server, address);
    const nativeConnection = await NativeConnection.connect({ address });
    return {
      address: address!,
      client: new Client({ connection }),
      nativeConnection,
      pid: await server.serverPid,
      async stop() {
        await Promise.allSettled([connection.close(), nativeConnection.close()]);
        await stopServer(server);
      },
    };
  } catch (err) {
    await stopServer(server);
    throw err;
  }
}

/** Without a local binary the SDK downloads one (works only where the internet is reachable). */
async function sdkDownload(options: DevServerOptions): Promise<DevServer> {
  // Loaded only here: the SDK's testing package is for this fallback alone.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
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
