// The embedded Temporal: a real `temporal server start-dev` (SQLite), started headless on a free port.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { SearchAttributeKey, SearchAttributeType } from '@temporalio/common/lib/search-attributes';
import { resolveTemporalCli } from './binary';

export interface DevServerOptions {
  /** Persist the server's state here; in memory when absent. */
  dbFilename?: string;
  port?: number;
  extraArgs?: string[];
  searchAttributes?: SearchAttributeKey<SearchAttributeType>[];
}

export interface DevServer {
  address: string;
  env: TestWorkflowEnvironment;
  stop(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli = resolveTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      // Without a local binary the SDK downloads one (works only where the internet is reachable).
      executable: cli ? { type: 'existing-path', path: cli } : { type: 'cached-download' },
      ip: '127.0.0.1',
      port: options.port,
      dbFilename: options.dbFilename,
      ui: false,
      log: { format: 'pretty', level: 'error' },
      extraArgs: options.extraArgs,
      searchAttributes: options.searchAttributes,
    },
  });
  return { address: env.address, env, stop: () => env.teardown() };
}
