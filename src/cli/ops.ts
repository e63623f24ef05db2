// Operator commands: `schedule ...` over Temporal Schedules, `codec-server` for the UI, `schema` for the workflow
// input.
import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, describeIssues } from '../core/configError';
import { DEFAULT_TASK_QUEUE, IngestInputSchema, JOB_DEFAULTS, type IngestInput } from '../pipeline/config';
import { jobFromFlags, type JobFlags } from './flags';
import { DEFAULT_CORS_ORIGINS, startCodecServer } from '../temporal/codecServer';
import {
  createIngestSchedule,
  deleteIngestSchedule,
  describeIngestSchedule,
  listIngestSchedules,
  OVERLAP_NAMES,
  pauseIngestSchedule,
  triggerIngestSchedule,
  unpauseIngestSchedule,
  type OverlapName,
  type ScheduleLine,
} from './schedules';
import { ingestInputJsonSchemaText } from './schema';
import { siteOptions } from './options/site';
import { withOptions } from './options/spec';
import { ENCRYPTION_OPTIONS, NAMESPACE_OPTIONS } from './options/temporal';
import { DESTINATION_OPTIONS } from './options/destination';
import { EncryptionCodec, loadKeyRing } from '../temporal/codec';
import { dataConverterFor, ENCRYPTION_KEY_FILE_ENV } from '../temporal/dataConverter';
import { reachTemporal } from '../temporal/reach';
import { outcomeOf } from './outcome';

/** Where the commands write: stdout for results, stderr for messages. Tests pass their own. */
export interface OpsIO {
  out(text: string): void;
  err(text: string): void;
  /** Sets the exit code the process ends with (see outcome.ts). */
  fail(code: number): void;
  /** Resolves when the process is asked to stop (long-running commands wait on it). */
  stopSignal(): Promise<void>;
}

const processIO: OpsIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  fail: (code) => (process.exitCode = code),
  stopSignal: () => new Promise((resolve) => process.once('SIGINT', () => resolve()).once('SIGTERM', () => resolve())),
};

interface ClusterFlags {
  temporalAddress?: string;
  namespace: string;
  encryptionKeyFile?: string;
}

type ScheduleCreateFlags = ClusterFlags &
  Omit<JobFlags, 'apiToken' | 'password' | 'token' | 'oauthToken'> & {
    every?: string;
    cron?: string;
    overlap: OverlapName;
    paused?: boolean;
    note?: string;
    taskQueue: string;
    inputFile?: string;
  };

const CLUSTER_OPTIONS = {
  temporalAddress: {
    flags: '--temporal-address <host:port>',
    help: 'Temporal frontend of the cluster',
    env: 'TEMPORAL_ADDRESS',
  },
  ...NAMESPACE_OPTIONS,
  ...ENCRYPTION_OPTIONS,
} as const;

function clusterOptions(command: Command): Command {
  return withOptions(command, CLUSTER_OPTIONS);
}

const SCHEDULE_JOB_OPTIONS = {
  cloudId: { flags: '--cloud-id <id>', help: 'Cloud id, with --auth oauth' },
  outputDir: {
    flags: '--output-dir <dir>',
    help: "where the element JSON goes, on the workers' machines",
    default: JOB_DEFAULTS.outputDir,
  },
  ...DESTINATION_OPTIONS,
} as const;

function scheduleSiteOptions(command: Command): Command {
  return withOptions(siteOptions(command), SCHEDULE_JOB_OPTIONS);
}

/** The schedule's ingest input: from --input-file, or from the flags with no secret (the workers hold them). */
function scheduleInput(flags: ScheduleCreateFlags): IngestInput {
  if (flags.inputFile) return inputFromFile(flags.inputFile);
  return jobFromFlags(flags, { workersHoldSecrets: true }).input;
}

function inputFromFile(file: string): IngestInput {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'not valid JSON';
    throw new ConfigError(
      `--input-file ${file}: ${reason}; give a JSON workflow input (see \`durable-ingest schema\`)`,
    );
  }
  const parsed = IngestInputSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`--input-file ${file}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

async function withClient<T>(flags: ClusterFlags, work: (client: Client) => Promise<T>): Promise<T> {
  if (!flags.temporalAddress) {
    throw new ConfigError(
      'schedules live on a Temporal cluster: give --temporal-address host:7233 or set TEMPORAL_ADDRESS',
    );
  }
  const dataConverter = dataConverterFor(flags.encryptionKeyFile);
  const address = flags.temporalAddress;
  const connection = await reachTemporal(address, () => Connection.connect({ address }));
  try {
    return await work(new Client({ connection, namespace: flags.namespace, dataConverter }));
  } finally {
    await connection.close();
  }
}

function formatLine(s: ScheduleLine): string {
  const next = s.paused ? 'paused' : `next ${s.nextRun?.toISOString() ?? '-'}`;
  return [s.scheduleId, s.spec, next, `last ${s.lastRun?.workflowId ?? '-'}`].join('\t');
}

function addScheduleCommands(program: Command, io: OpsIO, act: Wrap): void {
  const schedule = program
    .command('schedule')
    .description('recurring ingests as Temporal Schedules (workers must be running)');
  scheduleSiteOptions(
    clusterOptions(schedule.command('create <schedule-id>').description('create a schedule that runs an ingest')),
  )
    .addOption(
      new Option(
        '--input-file <path>',
        'the whole workflow input as JSON (see `schema`), instead of the site flags',
      ).conflicts(['url', 'auth']),
    )
    .option('--every <interval>', 'run every interval: 30m, 6h, 1d ...')
    .option('--cron <expr>', 'run on a cron expression (UTC), e.g. "0 2 * * *"')
    .addOption(
      new Option('--overlap <policy>', 'when a run is still going at the next fire time')
        .choices(OVERLAP_NAMES)
        .default('skip'),
    )
    .option('--paused', 'create it paused')
    .option('--note <text>', 'a note shown with the schedule')
    .option('--task-queue <name>', 'task queue of the workers', DEFAULT_TASK_QUEUE)
    .action(
      act(async (id: string, flags: ScheduleCreateFlags) => {
        const input = scheduleInput(flags);
        const { every, cron, overlap, paused, note, taskQueue } = flags;
        await withClient(flags, (client) =>
          createIngestSchedule(client, { scheduleId: id, input, every, cron, overlap, paused, note, taskQueue }),
        );
        io.out(
          `created schedule ${id}: ${flags.every ? `every ${flags.every}` : `cron ${flags.cron}`}, overlap ${flags.overlap}${flags.paused ? ', paused' : ''}`,
        );
      }),
    );
  clusterOptions(schedule.command('list').description('list ingest schedules'))
    .option('--json', 'print JSON')
    .action(
      act(async (flags: ClusterFlags & { json?: boolean }) => {
        const lines = await withClient(flags, listIngestSchedules);
        if (flags.json) io.out(JSON.stringify(lines, null, 2));
        else for (const s of lines) io.out(formatLine(s));
      }),
    );
  clusterOptions(
    schedule.command('describe <schedule-id>').description('print a schedule, its input and its runs as JSON'),
  ).action(
    act(async (id: string, flags: ClusterFlags) =>
      io.out(JSON.stringify(await withClient(flags, (c) => describeIngestSchedule(c, id)), null, 2)),
    ),
  );
  clusterOptions(schedule.command('trigger <schedule-id>').description('run the ingest now'))
    .addOption(
      new Option('--overlap <policy>', "override the schedule's overlap policy for this run").choices(OVERLAP_NAMES),
    )
    .action(
      act(async (id: string, flags: ClusterFlags & { overlap?: OverlapName }) => {
        await withClient(flags, (c) => triggerIngestSchedule(c, id, flags.overlap));
        io.out(`triggered schedule ${id}`);
      }),
    );
  const noted = (name: 'pause' | 'unpause', run: typeof pauseIngestSchedule, what: string) =>
    clusterOptions(schedule.command(`${name} <schedule-id>`).description(what))
      .option('--note <text>', 'why')
      .action(
        act(async (id: string, flags: ClusterFlags & { note?: string }) => {
          await withClient(flags, (c) => run(c, id, flags.note));
          io.out(`${name}d schedule ${id}`);
        }),
      );
  noted('pause', pauseIngestSchedule, 'stop firing until unpaused');
  noted('unpause', unpauseIngestSchedule, 'fire again');
  clusterOptions(schedule.command('delete <schedule-id>').description('delete a schedule (its past runs stay)')).action(
    act(async (id: string, flags: ClusterFlags) => {
      await withClient(flags, (c) => deleteIngestSchedule(c, id));
      io.out(`deleted schedule ${id}`);
    }),
  );
}

interface CodecServerFlags {
  port: string;
  host: string;
  keyFile?: string;
  corsOrigins: string;
  authHeader?: string;
  allowedHosts?: string;
}

const CODEC_AUTH_OPTIONS = {
  authHeader: {
    flags: '--auth-header <value>',
    help: 'require this exact Authorization header, e.g. "Bearer <token>"',
    env: 'DURABLE_INGEST_CODEC_AUTH',
    secret: true,
  },
} as const;

function addCodecServerCommand(program: Command, io: OpsIO, act: Wrap): void {
  const codecServer = program
    .command('codec-server')
    .description('serve /encode and /decode for the Temporal UI and CLI (--codec-endpoint)')
    .option('--port <port>', 'port (0 = any free port)', '8888')
    .option('--host <address>', 'address to listen on (0.0.0.0 in a container)', '127.0.0.1')
    .addOption(new Option('--key-file <path>', "the workers' encryption key file").env(ENCRYPTION_KEY_FILE_ENV))
    .addOption(
      new Option('--cors-origins <origins>', 'comma-separated browser origins of the Temporal UI')
        .env('DURABLE_INGEST_CODEC_CORS_ORIGINS')
        .default(DEFAULT_CORS_ORIGINS.join(',')),
    )
    .addOption(
      new Option('--allowed-hosts <names>', 'comma-separated names it answers to besides loopback and --host').env(
        'DURABLE_INGEST_CODEC_ALLOWED_HOSTS',
      ),
    );
  withOptions(codecServer, CODEC_AUTH_OPTIONS).action(
    act(async (flags: CodecServerFlags) => {
      if (!flags.keyFile) throw new ConfigError(`missing key file: give --key-file or set ${ENCRYPTION_KEY_FILE_ENV}`);
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new ConfigError(`--port must be 0..65535, got "${flags.port}"`);
      const server = await startCodecServer({
        codec: new EncryptionCodec(loadKeyRing(flags.keyFile)),
        port,
        host: flags.host,
        corsOrigins: flags.corsOrigins
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
        authorization: flags.authHeader,
        allowedHosts: flags.allowedHosts
          ?.split(',')
          .map((h) => h.trim())
          .filter(Boolean),
      });
      io.out(`codec server on ${server.url} (POST /encode, /decode)`);
      await io.stopSignal();
      await server.close();
    }),
  );
}

type Wrap = <A extends unknown[]>(run: (...args: A) => Promise<void>) => (...args: A) => Promise<void>;

/** Adds `schedule ...`, `codec-server` and `schema` to the program. */
export function addOpsCommands(program: Command, io: OpsIO = processIO): Command {
  const act: Wrap =
    (run) =>
    async (...args) => {
      try {
        await run(...args);
      } catch (err) {
        const { code, line } = outcomeOf(err);
        io.err(`durable-ingest: ${line}`);
        io.fail(code);
      }
    };
  addScheduleCommands(program, io, act);
  addCodecServerCommand(program, io, act);
  program
    .command('schema')
    .description('print the JSON Schema of the confluenceIngestWorkflow input (for temporal workflow start --input)')
    .action(act(async () => io.out(ingestInputJsonSchemaText().trimEnd())));
  return program;
}
