// The embedded default: a dev server and an in-process worker that live exactly as long as one piece of work.
import { Client } from '@temporalio/client';
import type { ActivityDeps } from '../activities/deps';
import { createWorker } from '../worker';
import { startDevServer, type DevServerOptions } from './devServer';
import { SEARCH_ATTRIBUTE_ARGS } from './searchAttributes';

export async function withEmbeddedTemporal<T>(
  deps: ActivityDeps,
  work: (client: Client) => Promise<T>,
  serverOptions: DevServerOptions = {},
): Promise<T> {
  const server = await startDevServer({ searchAttributes: SEARCH_ATTRIBUTE_ARGS, ...serverOptions });
  try {
    const worker = await createWorker({ connection: server.nativeConnection, deps });
    return await worker.runUntil(work(server.client));
  } finally {
    await server.stop();
  }
}
