// `durable-ingest confluence`: one ingest, with an embedded Temporal and in-process worker unless given a cluster.
import path from 'node:path';
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { Command } from 'commander';
import { followIngest, RECONNECT_WITHIN_MS, startIngest } from '../../client';
import { withCloudId } from '../../connectors/confluence/client';
import { log } from '../../core/log';
import { describeDestination } from '../../destinations/identity';
import type { IngestInput, Secrets } from '../../pipeline/config';
import { WorkerCredentials } from '../../pipeline/credentials';
import type { IngestProgress } from '../../pipeline/progress';
import { dataConverterFor } from '../../temporal/dataConverter';
import { isTemporalUnreachable, TemporalUnreachableError } from '../../temporal/reach';
import { action } from '../action';
import { clusterClient } from '../cluster';
import { type AdmitRun, withEmbeddedTemporal } from '../embedded';
import { jobFromFlags, type JobFlags } from '../flags';
import { IN_PROCESS_OPTIONS, JOB_OPTIONS } from '../options/confluence';
import { DESTINATION_OPTIONS } from '../options/destination';
import { checkS3Destination } from '../s3';
import { SITE_OPTION_TABLES } from '../options/site';
import { flagReader, withOptions } from '../options/spec';
import { CHECKPOINT_OPTIONS, TEMPORAL_OPTIONS, type TemporalFlags } from '../options/temporal';
import { lockOutputDir, lockTable } from '../outputLock';
import { checkOpenSearchDestination } from '../opensearch';
import { checkPostgresDestination } from '../postgres';
import { preflight } from '../preflight';
import { progressView } from '../progressBar';
import { printReport } from '../report';
import { untilStopped } from '../stopSignals';

/** Every option of `confluence`, in the order its help lists them: unstructured-ingest's names first. */
export const CONFLUENCE_OPTIONS = {
  ...SITE_OPTION_TABLES,
  ...JOB_OPTIONS,
  ...IN_PROCESS_OPTIONS,
  ...DESTINATION_OPTIONS,
  ...TEMPORAL_OPTIONS,
  ...CHECKPOINT_OPTIONS,
} as const;

export type ConfluenceFlags = JobFlags & TemporalFlags;

export function addConfluenceCommand(program: Command): void {
  withOptions(program.command('confluence').description('ingest a Confluence site'), CONFLUENCE_OPTIONS).action(
    action((flags: ConfluenceFlags) => confluenceCommand(flags)),
  );
}

export async function confluenceCommand(flags: ConfluenceFlags): Promise<number> {
  const { input, secrets } = jobFromFlags(flags, { workersHoldSecrets: Boolean(flags.temporalAddress) });
  const absolute = {
    ...input,
    site: await withCloudId(input.site),
    outputDir: path.resolve(input.outputDir),
    extract: { ...input.extract, downloadDir: path.resolve(input.extract.downloadDir) },
  };
  return printReport(await runIngest(absolute, secrets, flags), input);
}

/**
 * `secrets`: this process's credentials for the job; with none (a cluster's workers hold them) there is no preflight.
 */
async function runIngest(
  input: IngestInput,
  secrets: Secrets | undefined,
  flags: ConfluenceFlags,
): Promise<IngestProgress> {
  const read = flagReader(IN_PROCESS_OPTIONS, flags);
  const reconnectSeconds = read('reconnectSeconds');
  const reconnectWithinMs = reconnectSeconds === undefined ? RECONNECT_WITHIN_MS : reconnectSeconds * 1000;
  if (secrets) await untilStopped(preflight(input, secrets));
  if (secrets && !flags.temporalAddress) {
    await checkPostgresDestination(input, flags.databaseUrl, secrets);
    await checkS3Destination(input);
    await checkOpenSearchDestination(input, flags.opensearchUrl, secrets);
  }
  const view = progressView();
  const destination = describeDestination(input.outputDir, input.destination);
  const lease = {
    waitForLease: Boolean(flags.waitForLease),
    onWait: (holder: string) => console.error(`waiting for ${holder} to finish writing ${destination}`),
  };
  const follow = async (client: Client, job = input, admit?: AdmitRun) => {
    const handle = await startIngest(client, job, { taskQueue: flags.taskQueue, ...lease });
    // A fresh embedded server: the start made the run, and its handle carries the run id.
    const { firstExecutionRunId: runId } = handle as Partial<WorkflowHandleWithFirstExecutionRunId>;
    if (runId) admit?.({ workflowId: handle.workflowId, runId });
    log.info({ workflowId: handle.workflowId, site: job.site.url, outputDir: job.outputDir }, 'ingest started');
    return followIngest(handle, view.update, { reconnectWithinMs }).catch((err: unknown) => {
      const address = flags.temporalAddress ?? 'the embedded server';
      throw isTemporalUnreachable(err) ? lostTemporal(address, handle.workflowId, reconnectWithinMs) : err;
    });
  };
  try {
    if (flags.temporalAddress) return await untilStopped(clusterClient(flags).then((client) => follow(client)));
    // jobFromFlags returns no secrets only for a cluster's job.
    if (!secrets) throw new Error('the in-process worker has no credentials for the site');
    const deps = WorkerCredentials.forJob(input, secrets).lookups();
    const dataConverter = dataConverterFor(flags.encryptionKeyFile);
    const uiPort = read('uiPort');
    if (uiPort) console.error(`Temporal UI (for this run) at http://127.0.0.1:${uiPort}`);
    const work = (client: Client, admit: AdmitRun) => follow(client, { ...input, searchAttributes: true }, admit);
    const lock = { wait: lease.waitForLease, onWait: lease.onWait };
    const release =
      input.destination.type === 'postgres' && flags.databaseUrl
        ? await lockTable(flags.databaseUrl, input.destination.table, lock)
        : await lockOutputDir(input.outputDir, lock);
    try {
      const { checkpointUrl, databaseUrl, opensearchUrl } = flags;
      const worker = {
        deps: { ...deps, checkpointUrl, databaseUrl, opensearchUrl },
        workDir: path.resolve(flags.workDir),
      };
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
