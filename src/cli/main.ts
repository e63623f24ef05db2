// `durable-ingest`: the command line over the pipeline.
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { jobFromFlags, type JobFlags } from './flags';
import { DEFAULT_TASK_QUEUE, type IngestInput, type Secrets } from '../pipeline/config';
import { followIngest, queryProgress, RECONNECT_WITHIN_MS, startIngest } from '../client';
import { isTemporalUnreachable, reachTemporal, TemporalUnreachableError } from '../temporal/reach';
import { EXIT, outcomeOf } from './outcome';
import { preflight } from './preflight';
import { describeProgress, progressView } from './progressBar';
import { withEmbeddedTemporal } from './embedded';
import { quietRuntime } from '../temporal/runtime';
import { log, setVerbose } from '../core/log';
import { createWorker, DEFAULT_WORK_DIR } from '../worker';
import { DEFAULT_PARTITION_THREADS } from '../pipeline/activities/partitionThreads';
import { describeSimulator, startSimulator } from '../../simulator';
import { addOpsCommands, encryptionKeyFileOption } from './ops';
import { siteOptions } from './selectionOptions';
import { dataConverterFor } from '../temporal/dataConverter';
import { lockOutputDir, lockTable } from './outputLock';
import { addPostgresCommands, checkPostgresDestination, databaseUrlOption, destinationOptions } from './postgres';
import { describeDestination } from '../destinations/identity';
import { loadSecretsFile, workerCredentials } from './secretsFile';
import { WorkerCredentials } from '../pipeline/credentials';
import type { IngestProgress } from '../pipeline/progress';

/** What `confluence` needs besides the job: where Temporal is, and its in-process worker's settings. */
interface RunFlags extends TemporalFlags {
  workDir: string;
  /** The PostgreSQL destination's URL, password included: the in-process worker's. */
  databaseUrl?: string;
  /** When another ingest writes the output, wait for it to end instead of refusing. */
  waitForLease?: boolean;
  /** How long to wait for a Temporal server that went away while following the run, in seconds. */
  reconnectSeconds?: string;
}

interface TemporalFlags {
  temporalAddress?: string;
  /** The worker's checkpoint: a PostgreSQL URL (holds a password, so it stays with the worker). */
  checkpointUrl?: string;
  /** Embedded mode: serve the dev server's Temporal UI here during the run. */
  uiPort?: string;
  namespace: string;
  taskQueue: string;
  encryptionKeyFile?: string;
}

/** Where a worker keeps the checkpoint: an option of `confluence` (its in-process worker) and of `worker`. */
function checkpointOption(): Option {
  const help =
    'keep the checkpoint in this PostgreSQL database (all workers share it) instead of a SQLite file in each output dir';
  return new Option('--checkpoint-url <url>', help).env('DURABLE_INGEST_CHECKPOINT_URL');
}

function temporalOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--temporal-address <host:port>', 'Temporal frontend; an embedded dev server when absent').env(
        'TEMPORAL_ADDRESS',
      ),
    )
    .addOption(new Option('--namespace <name>', 'Temporal namespace').env('TEMPORAL_NAMESPACE').default('default'))
    .option('--task-queue <name>', 'task queue of the workers', DEFAULT_TASK_QUEUE)
    .addOption(encryptionKeyFileOption());
}

/** A client of the cluster at --temporal-address, encrypting payloads when a key file is given. */
async function clusterClient(flags: TemporalFlags): Promise<Client> {
  const address = flags.temporalAddress;
  if (!address) throw new Error('missing Temporal address: give --temporal-address host:7233 or set TEMPORAL_ADDRESS');
  const connection = await reachTemporal(address, () => Connection.connect({ address }));
  return new Client({
    connection,
    namespace: flags.namespace,
    dataConverter: dataConverterFor(flags.encryptionKeyFile),
  });
}

/** The flags of `durable-ingest confluence`: unstructured-ingest's names first, then our own. */
function confluenceOptions(command: Command): Command {
  return siteOptions(command)
    .option('--api-token <token>', 'Cloud API token (env CONFLUENCE_API_TOKEN)')
    .option('--password <password>', 'Data Center password (env CONFLUENCE_PASSWORD)')
    .option('--token <pat>', 'Data Center personal access token (env CONFLUENCE_PERSONAL_ACCESS_TOKEN)')
    .option('--oauth-token <token>', 'OAuth 2.0 access token, with --cloud-id (env CONFLUENCE_OAUTH_TOKEN)')
    .option('--cloud-id <id>', 'Atlassian cloud id of the site, for --oauth-token')
    .addOption(new Option('--gateway-url <url>', 'OAuth gateway base').default('https://api.atlassian.com').hideHelp())
    .option('--extract-images', 'inline images as base64 data URLs')
    .option('--extract-files', 'download files embedded in pages and ingest each as its own document')
    .option('--include-attachments', 'with --extract-files: every attachment of the page, not only linked ones')
    .option(
      '--include-comments',
      "a page's footer and inline comments, replies included, as a document of their own: <page-id>/comments.json",
    )
    .option('--force-download', 're-download extracted files even when a current copy exists')
    .option('--allow-list <urls>', 'comma-separated URL prefixes that may be fetched (default: the site)')
    .option('--max-image-bytes <n>', 'largest image to inline (default 10 MiB)')
    .option('--download-dir <dir>', 'where extracted files are saved', '.durable-ingest/downloads')
    .option('--output-dir <dir>', 'where the element JSON goes', 'structured-output')
    .option('--partition-by-api', "partition with Unstructured's API instead of locally")
    .option('--api-key <key>', 'Unstructured API key (env UNSTRUCTURED_API_KEY)')
    .option('--partition-endpoint <url>', 'Unstructured partition endpoint (env UNSTRUCTURED_API_URL)')
    .option('--additional-partition-args <json>', 'extra form fields for the partition endpoint, as a JSON object')
    .option('--drop-emoticons', "leave Confluence emoticons out of pages (default: Image elements, as Unstructured's)")
    .option('--chunking-strategy <strategy>', 'basic or by_title (default: no chunking)')
    .option('--chunk-max-characters <n>', 'hard maximum chunk size (default 500)')
    .option('--chunk-new-after-n-chars <n>', 'soft maximum chunk size')
    .option('--chunk-combine-text-under-n-chars <n>', 'combine small sections up to this size')
    .option('--chunk-overlap <n>', 'characters of overlap between split chunks (default 0)')
    .option('--chunk-overlap-all', 'overlap between all chunks, not only split ones')
    .option('--no-chunk-include-orig-elements', 'leave out orig_elements')
    .option('--no-chunk-multipage-sections', 'start a new chunk at each page')
    .option('--embedding-provider <name>', 'huggingface, openai or azure-openai (default: no embeddings)')
    .option('--embedding-model-name <name>', 'model (or Azure deployment) name')
    .option('--embedding-api-key <key>', 'API key of the embedding provider (env EMBEDDING_API_KEY)')
    .option('--embedding-api-base <url>', 'OpenAI-compatible server or Azure endpoint')
    .option('--embedding-model-path <dir>', 'huggingface: a local folder with model.onnx and tokenizer.json')
    .option('--max-num-metadata-permissions <n>', 'cap on users/groups per permission list (default 250)')
    .option(
      '--on-permission-error <mode>',
      "fail, skip or omit, when a page's permissions cannot be read (default fail)",
    )
    .option('--no-permissions', 'do not fetch permissions_data')
    .option('--work-dir <dir>', 'scratch space of the in-process worker (embedded mode)', '.durable-ingest/work')
    .option('--activity-timeout <seconds>', 'longest one attempt of a step may take (default 60)')
    .option(
      '--wait-for-lease',
      'when another ingest is writing the output, wait for it to end instead of refusing to start',
    )
    .option(
      '--reconnect-seconds <s>',
      `with --temporal-address: how long to wait for a server that went away (default ${RECONNECT_WITHIN_MS / 1000})`,
    )
    .option('--ui-port <port>', 'embedded mode: serve the Temporal UI on this port while the run lasts')
    .option(
      '--page-timeout <seconds>',
      'longest one page may take, retries included, before it is reported failed (default 3600)',
    )
    .option(
      '--search-attributes',
      'keep DurableIngest* search attributes current (registered by the embedded server; register them on your cluster)',
    );
}

/**
 * `secrets`: this process's credentials for the job; with none (a cluster's workers hold them) there is no preflight.
 */
async function runIngest(
  input: IngestInput,
  secrets: Secrets | undefined,
  temporal: RunFlags,
): Promise<IngestProgress> {
  const reconnectWithinMs = msOfSeconds(temporal.reconnectSeconds, '--reconnect-seconds') ?? RECONNECT_WITHIN_MS;
  if (secrets) await preflight(input, secrets);
  if (secrets && !temporal.temporalAddress) await checkPostgresDestination(input, temporal.databaseUrl, secrets);
  const view = progressView();
  const destination = describeDestination(input.outputDir, input.destination);
  const lease = {
    waitForLease: Boolean(temporal.waitForLease),
    onWait: (holder: string) => console.error(`waiting for ${holder} to finish writing ${destination}`),
  };
  const follow = async (client: Client, job = input) => {
    const handle = await startIngest(client, job, { taskQueue: temporal.taskQueue, ...lease });
    log.info({ workflowId: handle.workflowId, site: job.site.url, outputDir: job.outputDir }, 'ingest started');
    return followIngest(handle, view.update, { reconnectWithinMs }).catch((err: unknown) => {
      const address = temporal.temporalAddress ?? 'the embedded server';
      throw isTemporalUnreachable(err) ? lostTemporal(address, handle.workflowId, reconnectWithinMs) : err;
    });
  };
  try {
    if (temporal.temporalAddress) return await follow(await clusterClient(temporal));
    // jobFromFlags returns no secrets only for a cluster's job.
    if (!secrets) throw new Error('the in-process worker has no credentials for the site');
    const deps = WorkerCredentials.forJob(input, secrets).lookups();
    const dataConverter = dataConverterFor(temporal.encryptionKeyFile);
    const uiPort = uiPortOf(temporal.uiPort);
    if (uiPort) console.error(`Temporal UI (for this run) at http://127.0.0.1:${uiPort}`);
    const work = (client: Client) => follow(client, { ...input, searchAttributes: true });
    const lock = { wait: lease.waitForLease, onWait: lease.onWait };
    const release =
      input.destination.type === 'postgres' && temporal.databaseUrl
        ? await lockTable(temporal.databaseUrl, input.destination.table, lock)
        : await lockOutputDir(input.outputDir, lock);
    try {
      const { checkpointUrl, databaseUrl } = temporal;
      const worker = { deps: { ...deps, checkpointUrl, databaseUrl }, workDir: path.resolve(temporal.workDir) };
      return await withEmbeddedTemporal(worker, dataConverter, work, { uiPort });
    } finally {
      await release();
    }
  } finally {
    view.stop();
  }
}

function lostTemporal(address: string, workflowId: string, withinMs: number): TemporalUnreachableError {
  return new TemporalUnreachableError(
    `lost Temporal at ${address} for over ${withinMs / 1000} s; the ingest ${workflowId} is kept there and goes on once it is back: ` +
      `run the same command again to follow it, or \`durable-ingest status ${workflowId}\``,
  );
}

function msOfSeconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new Error(`${flag} must be a number of seconds (0 or more), got "${value}"`);
  return seconds * 1000;
}

function uiPortOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`--ui-port must be a port number (1-65535), got "${value}"`);
  return port;
}

function report(result: IngestProgress, input: IngestInput): number {
  const { outputDir } = input;
  for (const f of result.failures) console.error(`failed page ${f.id} (${f.spaceKey} "${f.title}"): ${f.reason}`);
  const unlisted = result.spaces.filter((s) => s.listingError);
  for (const s of unlisted) console.error(`space ${s.key} could not be listed to the end: ${s.listingError}`);
  for (const s of result.spaces.filter((s) => s.permissionsSource === 'space-expand-permissions')) {
    console.error(
      `space ${s.key}: space permissions read from its expand=permissions (Data Center before 9.1 has no space permissions endpoint)`,
    );
  }
  const filtered = result.filteredOut ?? 0;
  const reportPath = path.join(path.resolve(outputDir), '_ingest-report.json');
  if (filtered > 0) console.error(`${filtered} page(s) left out by --labels/--exclude-labels; see ${reportPath}`);
  if (result.skippedItemCount > filtered)
    console.error(`${result.skippedItemCount - filtered} file(s) or image(s) left out; see ${reportPath}`);
  if (result.missingCount > 0)
    console.error(
      `${result.missingCount} page(s) no longer in the source${result.missing.length ? `: ${result.missing.map((m) => m.id).join(', ')}` : ''}`,
    );
  const into =
    input.destination.type === 'local' ? path.resolve(outputDir) : describeDestination(outputDir, input.destination);
  console.error(
    `${result.done} of ${result.listed} pages ingested into ${into}; ${result.skipped} unchanged, ${result.failed} failed`,
  );
  return result.failed === 0 && unlisted.length === 0 ? EXIT.done : EXIT.incomplete;
}

async function confluenceCommand(flags: JobFlags & RunFlags): Promise<number> {
  const { input, secrets } = jobFromFlags(flags, { workersHoldSecrets: Boolean(flags.temporalAddress) });
  const absolute = {
    ...input,
    outputDir: path.resolve(input.outputDir),
    extract: { ...input.extract, downloadDir: path.resolve(input.extract.downloadDir) },
  };
  return report(await runIngest(absolute, secrets, flags), input);
}

async function statusCommand(workflowId: string, flags: TemporalFlags & { json?: boolean }): Promise<number> {
  const client = await clusterClient(flags);
  const progress = await queryProgress(client.workflow.getHandle(workflowId));
  console.log(flags.json ? JSON.stringify(progress) : describeProgress(progress).join('\n'));
  return EXIT.done;
}

interface WorkerFlags extends TemporalFlags {
  databaseUrl?: string;
  secretsFile?: string;
  url?: string;
  workflows: boolean;
  partitionThreads?: string;
  workDir: string;
  workerVersioning?: 'pinned' | 'auto-upgrade';
}

async function workerCommand(flags: WorkerFlags): Promise<number> {
  if (!flags.temporalAddress)
    throw new Error('missing Temporal address: give --temporal-address host:7233 or set TEMPORAL_ADDRESS');
  const partitionThreads = flags.partitionThreads === undefined ? undefined : Number(flags.partitionThreads);
  if (partitionThreads !== undefined && !(Number.isInteger(partitionThreads) && partitionThreads >= 0)) {
    throw new Error(
      `--partition-threads must be a whole number (0: partition on the main thread), got "${flags.partitionThreads}"`,
    );
  }
  const credentials = workerCredentials({
    file: flags.secretsFile ? loadSecretsFile(flags.secretsFile) : undefined,
    url: flags.url,
  });
  const address = flags.temporalAddress;
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
    },
    workDir: flags.workDir,
    workflows: flags.workflows,
    dataConverter: dataConverterFor(flags.encryptionKeyFile),
    versioning: flags.workerVersioning,
  });
  const polling = {
    taskQueue: flags.taskQueue,
    address: flags.temporalAddress,
    namespace: flags.namespace,
    buildId: worker.buildId,
  };
  log.warn({ ...polling, credentials: credentials.describe() }, 'worker polling');
  await worker.run();
  return EXIT.done;
}

interface SimulatorFlags {
  port: string;
  seed: string;
  spaces: string;
  pagesPerSpace: string;
  mode: 'cloud' | 'dc';
  dcVersion: string;
  permissions: 'open' | 'restricted';
  latencyMs: string;
  rateLimit?: string;
  revokeAfter?: string;
  outageAfter: string;
  outageSeconds?: string;
  searchLagMs: string;
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

function numberOrUndefined(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

async function demoCommand(flags: { outputDir: string }): Promise<number> {
  const sim = await startSimulator({ seed: 42, spaces: 3, pagesPerSpace: 40 });
  console.error(`simulated Confluence Cloud site at ${sim.url}`);
  try {
    return await confluenceCommand({
      url: sim.url,
      username: sim.credentials.username,
      apiToken: sim.credentials.apiToken,
      cloud: true,
      outputDir: flags.outputDir,
      workDir: '.durable-ingest/work',
      downloadDir: '.durable-ingest/downloads',
      namespace: 'default',
      taskQueue: DEFAULT_TASK_QUEUE,
    });
  } finally {
    await sim.close();
  }
}

function action<A extends unknown[]>(run: (...args: A) => Promise<number>) {
  return async (...args: A) => {
    try {
      process.exitCode = await run(...args);
    } catch (err) {
      const { code, line } = outcomeOf(err);
      console.error(`durable-ingest: ${line}`);
      log.debug({ err }, 'the failure in full');
      process.exitCode = code;
    }
  };
}

export function buildProgram(): Command {
  const program = new Command('durable-ingest')
    .description('Durable Confluence ingest into Unstructured-compatible elements, on Temporal')
    // Commander's own exit (1) on a flag it does not know would mean "some pages failed": main() maps it to bad input.
    .exitOverride()
    .option('--verbose', 'debug logs on stderr (JSON lines)')
    .hook('preAction', (command) => {
      const verbose = Boolean(command.opts().verbose);
      setVerbose(verbose);
      quietRuntime(verbose ? 'INFO' : 'ERROR');
    });
  temporalOptions(
    destinationOptions(confluenceOptions(program.command('confluence').description('ingest a Confluence site'))),
  )
    .addOption(checkpointOption())
    .action(action((flags: JobFlags & RunFlags) => confluenceCommand(flags)));
  temporalOptions(program.command('status').description("print an ingest's progress").argument('<workflow-id>'))
    .option('--json', 'machine-readable output')
    .action(action(statusCommand));
  temporalOptions(program.command('worker').description('run a worker against a Temporal cluster'))
    .addOption(checkpointOption())
    .addOption(databaseUrlOption())
    .option(
      '--secrets-file <path>',
      'credentials by site and API endpoint (JSON, mode 600; see README); wins over the environment',
    )
    .option('--url <url>', 'the site the CONFLUENCE_* variables (and a flat secrets file) are for (env CONFLUENCE_URL)')
    .option(
      '--work-dir <dir>',
      'scratch space of this worker, on a local disk (it works in a folder of its own below it)',
      DEFAULT_WORK_DIR,
    )
    .option('--no-workflows', 'run only activities: a pool for one kind of step on its own --task-queue')
    .option(
      '--partition-threads <n>',
      `threads that partition pages, 0 for none (default ${DEFAULT_PARTITION_THREADS}: the cores left beside the worker's own two)`,
    )
    .addOption(
      new Option(
        '--worker-versioning <behavior>',
        "Worker Versioning: only runs on this worker's build id (see README)",
      ).choices(['pinned', 'auto-upgrade']),
    )
    .action(action(workerCommand));
  addOpsCommands(program);
  addPostgresCommands(program, action);
  program
    .command('simulator')
    .description('serve a generated Confluence site (Cloud or Data Center) for tests and demos')
    .option('--port <port>', 'port (0 = any free port)', '8090')
    .option('--seed <n>', 'seed of the generated site', '1')
    .option('--spaces <n>', 'number of spaces', '3')
    .option('--pages-per-space <n>', 'pages in each space', '40')
    .addOption(new Option('--mode <mode>', 'Confluence Cloud or Data Center').choices(['cloud', 'dc']).default('cloud'))
    .option(
      '--dc-version <major.minor>',
      'Data Center version served with --mode dc (before 9.1: no space permissions endpoint)',
      '9.2',
    )
    .addOption(
      new Option('--permissions <kind>', 'restricted: group-only spaces and page restrictions')
        .choices(['open', 'restricted'])
        .default('open'),
    )
    .option('--latency-ms <ms>', 'added to every response', '0')
    .option('--rate-limit <n>', 'requests per second before 429s')
    .option('--revoke-after <n>', "revoke the user's credentials after n requests: every later request answers 401")
    .option(
      '--outage-seconds <s>',
      'go down for s seconds (the proxy answers 503 to every request), after --outage-after requests',
    )
    .option('--outage-after <n>', 'requests served before the outage of --outage-seconds', '0')
    .option('--search-lag-ms <ms>', 'edits and new pages show up in CQL search this long after they are made', '0')
    .action(action(simulatorCommand));
  program
    .command('demo')
    .description('ingest the bundled simulator site with an embedded Temporal')
    .option('--output-dir <dir>', 'where the element JSON goes', 'structured-output')
    .action(action(demoCommand));
  return program;
}

/** Exits explicitly: keep-alive pools and the SDK's runtime would otherwise hold the process open. */
export async function main(argv = process.argv): Promise<never> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    // Commander has printed its message; help and --version end with its code 0.
    if (!(err instanceof CommanderError)) throw err;
    process.exitCode = err.exitCode === 0 ? EXIT.done : EXIT.badInput;
  }
  process.exit(process.exitCode ?? EXIT.done);
}
