// `durable-ingest status <workflow-id>`: an ingest's progress, from the cluster that runs it.
import type { Command } from 'commander';
import { queryProgress } from '../../client';
import { action } from '../action';
import { clusterClient } from '../cluster';
import { TEMPORAL_OPTIONS, type TemporalFlags } from '../options/temporal';
import { withOptions } from '../options/spec';
import { EXIT } from '../outcome';
import { describeProgress } from '../progressBar';

async function statusCommand(workflowId: string, flags: TemporalFlags & { json?: boolean }): Promise<number> {
  const client = await clusterClient(flags);
  const progress = await queryProgress(client.workflow.getHandle(workflowId));
  console.log(flags.json ? JSON.stringify(progress) : describeProgress(progress).join('\n'));
  return EXIT.done;
}

export function addStatusCommand(program: Command): void {
  withOptions(
    program.command('status').description("print an ingest's progress").argument('<workflow-id>'),
    TEMPORAL_OPTIONS,
  )
    .option('--json', 'machine-readable output')
    .action(action(statusCommand));
}
