// `durable-ingest worker`: a worker against a Temporal cluster, holding the credentials of the sites it serves.
import type { Command } from 'commander';
import { NativeConnection } from '@temporalio/worker';
import { log } from '../../core/log';
import { DEFAULT_PARTITION_THREADS } from '../../pipeline/activities/partitionThreads';
import { dataConverterFor } from '../../temporal/dataConverter';
import { reachTemporal } from '../../temporal/reach';
import { createWorker, DEFAULT_WORK_DIR } from '../../worker';
import { action } from '../action';
import { MISSING_ADDRESS } from '../cluster';
import { DATABASE_URL_OPTIONS, OPENSEARCH_URL_OPTIONS } from '../options/destination';
import { type FlagsOf, withOptions } from '../options/spec';
import { CHECKPOINT_OPTIONS, TEMPORAL_OPTIONS } from '../options/temporal';
import { EXIT } from '../outcome';
import { loadSecretsFile, workerCredentials } from '../secretsFile';
import { stopSignal } from '../stopSignals';

const WORKER_OPTIONS = {
  ...TEMPORAL_OPTIONS,
  ...CHECKPOINT_OPTIONS,
  ...DATABASE_URL_OPTIONS,
  ...OPENSEARCH_URL_OPTIONS,
  secretsFile: {
    flags: '--secrets-file <path>',
    help: 'credentials by site and API endpoint (JSON, mode 600; see README); wins over the environment',
  },
  url: {
    flags: '--url <url>',
    help: 'the site the CONFLUENCE_* variables (and a flat secrets file) are for (env CONFLUENCE_URL)',
  },
  workDir: {
    flags: '--work-dir <dir>',
    help: 'scratch space of this worker, on a local disk (it works in a folder of its own below it)',
    default: DEFAULT_WORK_DIR,
  },
  workflows: {
    flags: '--no-workflows',
    help: 'run only activities: a pool for one kind of step on its own --task-queue',
  },
  partitionThreads: {
    flags: '--partition-threads <n>',
    help: `threads that partition pages, 0 for none (default ${DEFAULT_PARTITION_THREADS}: the cores left beside the worker's own two)`,
  },
  workerVersioning: {
    flags: '--worker-versioning <behavior>',
    help: "Worker Versioning: only runs on this worker's build id (see README)",
    choices: ['pinned', 'auto-upgrade'],
  },
} as const;

type WorkerFlags = FlagsOf<typeof WORKER_OPTIONS>;

function partitionThreadsOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const threads = Number(text);
  if (!(Number.isInteger(threads) && threads >= 0))
    throw new Error(`--partition-threads must be a whole number (0: partition on the main thread), got "${text}"`);
  return threads;
}

async function workerCommand(flags: WorkerFlags): Promise<number> {
  const address = flags.temporalAddress;
  if (!address) throw new Error(MISSING_ADDRESS);
  const partitionThreads = partitionThreadsOf(flags.partitionThreads);
  const credentials = workerCredentials({
    file: flags.secretsFile ? loadSecretsFile(flags.secretsFile) : undefined,
    url: flags.url,
  });
  const connection = await reachTemporal(address, () => NativeConnection.connect({ address }));
  const worker = await createWorker({
    connection,
    namespace: flags.namespace,
    taskQueue: flags.taskQueue,
    deps: {
      ...credentials.lookups(),
      partitionThreads,
      checkpointUrl: flags.checkpointUrl,
      databaseUrl: flags.databaseUrl,
      opensearchUrl: flags.opensearchUrl,
    },
    workDir: flags.workDir,
    workflows: flags.workflows,
    dataConverter: dataConverterFor(flags.encryptionKeyFile),
    versioning: flags.workerVersioning,
  });
  const polling = { taskQueue: flags.taskQueue, address, namespace: flags.namespace, buildId: worker.buildId };
  log.warn({ ...polling, credentials: credentials.describe() }, 'worker polling');
  stopSignal().catch(() => worker.shutdown());
  await worker.run();
  return EXIT.done;
}

export function addWorkerCommand(program: Command): void {
  withOptions(program.command('worker').description('run a worker against a Temporal cluster'), WORKER_OPTIONS).action(
    action(workerCommand),
  );
}
