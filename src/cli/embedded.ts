// The embedded default: a dev server and an in-process worker that live exactly as long as one piece of work.
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { createWorker, type WorkerOptions } from '../worker';
import { startDevServer, type DevServerOptions } from '../temporal/devServer';
import { RunAdmission } from '../temporal/runAdmission';
import { EMBEDDED_SERVER_OPTIONS } from '../temporal/prestart';
import { log } from '../core/log';
import { untilStopped } from './stopSignals';

/** Tells the in-process worker which run is its command's: the only one it runs activities for (RunAdmission). */
export type AdmitRun = (run: { workflowId: string; runId: string }) => void;

export async function withEmbeddedTemporal<T>(
  { deps, workDir }: Pick<WorkerOptions, 'deps' | 'workDir'>,
  dataConverter: DataConverter,
  work: (client: Client, admit: AdmitRun) => Promise<T>,
  serverOptions: DevServerOptions = {},
): Promise<T> {
  const server = await untilStopped(startDevServer({ ...EMBEDDED_SERVER_OPTIONS, ...serverOptions }));
  log.info({ address: server.address }, 'embedded Temporal dev server started');
  try {
    const client = new Client({ connection: server.client.connection, dataConverter });
    const admission = new RunAdmission(client);
    const worker = await untilStopped(
      createWorker({
        connection: server.nativeConnection,
        deps,
        workDir,
        dataConverter,
        activityInterceptors: [admission.interceptors],
      }),
    );
    // A stop rejects the promise the worker runs until, so it shuts down first and the stop's line is what is told.
    return await worker.runUntil(untilStopped(work(client, (run) => admission.admit(run))));
  } finally {
    await server.stop();
  }
}
