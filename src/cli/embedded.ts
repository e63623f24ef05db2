// The embedded default: a dev server and an in-process worker that live exactly as long as one piece of work.
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { createWorker, type WorkerOptions } from '../worker';
import { startDevServer, type DevServerOptions } from '../temporal/devServer';
import { SEARCH_ATTRIBUTE_ARGS } from '../temporal/searchAttributes';
import { log } from '../core/log';

export async function withEmbeddedTemporal<T>(
  { deps, workDir }: Pick<WorkerOptions, 'deps' | 'workDir'>,
  dataConverter: DataConverter,
  work: (client: Client) => Promise<T>,
  serverOptions: DevServerOptions = {},
): Promise<T> {
  const server = await startDevServer({ searchAttributes: SEARCH_ATTRIBUTE_ARGS, ...serverOptions });
  log.info({ address: server.address }, 'embedded Temporal dev server started');
  try {
    const worker = await createWorker({ connection: server.nativeConnection, deps, workDir, dataConverter });
    const client = new Client({ connection: server.client.connection, dataConverter });
    return await worker.runUntil(work(client));
  } finally {
    await server.stop();
  }
}
