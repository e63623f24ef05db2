// `durable-ingest simulator`: a generated Confluence site (Cloud or Data Center) served until stopped.
import type { Command } from 'commander';
import { describeSimulator, startSimulator } from '../../../simulator';
import { action } from '../action';
import { type FlagsOf, withOptions } from '../options/spec';
import { EXIT } from '../outcome';

const SIMULATOR_OPTIONS = {
  port: { flags: '--port <port>', help: 'port (0 = any free port)', default: '8090' },
  seed: { flags: '--seed <n>', help: 'seed of the generated site', default: '1' },
  spaces: { flags: '--spaces <n>', help: 'number of spaces', default: '3' },
  pagesPerSpace: { flags: '--pages-per-space <n>', help: 'pages in each space', default: '40' },
  mode: { flags: '--mode <mode>', help: 'Confluence Cloud or Data Center', choices: ['cloud', 'dc'], default: 'cloud' },
  dcVersion: {
    flags: '--dc-version <major.minor>',
    help: 'Data Center version served with --mode dc (before 9.1: no space permissions endpoint)',
    default: '9.2',
  },
  permissions: {
    flags: '--permissions <kind>',
    help: 'restricted: group-only spaces and page restrictions',
    choices: ['open', 'restricted'],
    default: 'open',
  },
  latencyMs: { flags: '--latency-ms <ms>', help: 'added to every response', default: '0' },
  rateLimit: { flags: '--rate-limit <n>', help: 'requests per second before 429s' },
  revokeAfter: {
    flags: '--revoke-after <n>',
    help: "revoke the user's credentials after n requests: every later request answers 401",
  },
  outageSeconds: {
    flags: '--outage-seconds <s>',
    help: 'go down for s seconds (the proxy answers 503 to every request), after --outage-after requests',
  },
  outageAfter: {
    flags: '--outage-after <n>',
    help: 'requests served before the outage of --outage-seconds',
    default: '0',
  },
  searchLagMs: {
    flags: '--search-lag-ms <ms>',
    help: 'edits and new pages show up in CQL search this long after they are made',
    default: '0',
  },
} as const;

type SimulatorFlags = FlagsOf<typeof SIMULATOR_OPTIONS>;

function numberOrUndefined(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

async function simulatorCommand(flags: SimulatorFlags): Promise<number> {
  const sim = await startSimulator({
    port: Number(flags.port),
    seed: Number(flags.seed),
    spaces: Number(flags.spaces),
    pagesPerSpace: Number(flags.pagesPerSpace),
    mode: flags.mode,
    dcVersion: flags.dcVersion,
    permissions: flags.permissions,
    searchLagMs: Number(flags.searchLagMs),
    faults: {
      latencyMs: Number(flags.latencyMs),
      requestsPerSecond: numberOrUndefined(flags.rateLimit),
      revokeAfterRequests: numberOrUndefined(flags.revokeAfter),
      outage:
        flags.outageSeconds === undefined
          ? undefined
          : { afterRequests: Number(flags.outageAfter), seconds: Number(flags.outageSeconds) },
    },
  });
  for (const line of describeSimulator(sim)) console.log(line);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  await sim.close();
  return EXIT.done;
}

export function addSimulatorCommand(program: Command): void {
  const command = program
    .command('simulator')
    .description('serve a generated Confluence site (Cloud or Data Center) for tests and demos');
  withOptions(command, SIMULATOR_OPTIONS).action(action(simulatorCommand));
}
