// The embedded dev server takes over a second to start, and the CLI about as long to load its code. So the CLI's entry
// starts the server first, when its command line asks for an embedded run, and the command adopts it once loaded: the
// two starts overlap instead of adding up. Node built-ins only here, so nothing loads before the spawn.
import { installedTemporalCli } from './binary';
import { type DevServerOptions, type ServerProcess, spawnServer, stopServer } from './devServerProcess';

/**
 * The embedded server's options: the search attributes an ingest keeps (searchAttributes.ts), as `name=Type` pairs
 * (`temporal server start-dev --search-attribute`, `temporal operator search-attribute create`).
 */
export const EMBEDDED_SERVER_OPTIONS: DevServerOptions = {
  searchAttributes: [
    'DurableIngestSite=Keyword',
    'DurableIngestSpaces=KeywordList',
    'DurableIngestPagesDone=Int',
    'DurableIngestPagesFailed=Int',
  ],
};

/** Commands that run on an embedded server unless given a cluster's address. */
const EMBEDDED_COMMANDS = new Set(['confluence', 'demo']);

let prestarted: ServerProcess | undefined;

/** Starts the embedded server now when `argv` (the command line after the script) will ask for one. */
export function prestartEmbeddedServer(argv: string[], env: NodeJS.ProcessEnv): ServerProcess | undefined {
  if (!wantsEmbeddedServer(argv, env)) return undefined;
  let cli: string | undefined;
  try {
    cli = installedTemporalCli();
  } catch {
    return undefined; // the command finds and names the problem itself
  }
  if (!cli) return undefined;
  prestarted = spawnServer(cli, EMBEDDED_SERVER_OPTIONS);
  return prestarted;
}

function wantsEmbeddedServer(argv: string[], env: NodeJS.ProcessEnv): boolean {
  const command = argv.find((arg) => !arg.startsWith('-'));
  if (!command || !EMBEDDED_COMMANDS.has(command) || env.TEMPORAL_ADDRESS) return false;
  return !argv.some((arg) => arg === '-h' || arg === '--help' || arg.startsWith('--temporal-address'));
}

/**
 * The prestarted server when it was started with `options`; one started with other options is stopped. Either way it
 * is taken once.
 */
export function takePrestartedServer(options: DevServerOptions): ServerProcess | undefined {
  const server = prestarted;
  prestarted = undefined;
  if (!server) return undefined;
  if (JSON.stringify(options) === JSON.stringify(EMBEDDED_SERVER_OPTIONS)) return server;
  void stopServer(server);
  return undefined;
}
