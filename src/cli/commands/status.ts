// `durable-ingest status <workflow-id>`: an ingest's progress, from the cluster that runs it. `status --explain <page>`
// is `explain <page>` under the name users look for first.
import type { Command } from 'commander';
import { queryProgress } from '../../client';
import { ConfigError } from '../../core/configError';
import { action } from '../action';
import { clusterClient } from '../cluster';
import { EXPLAIN_OPTIONS, type ExplainFlags } from '../options/explain';
import { TEMPORAL_OPTIONS, type TemporalFlags } from '../options/temporal';
import { withOptions } from '../options/spec';
import { EXIT } from '../outcome';
import { describeProgress } from '../progressBar';
import { explainCommand } from './explain';

const STATUS_OPTIONS = {
  explain: {
    flags: '--explain <page>',
    help: 'instead: why this page (id, URL or title) is, or is not, in --output-dir, as `explain` says',
  },
} as const;

type StatusFlags = TemporalFlags & ExplainFlags & { json?: boolean; explain?: string };

async function statusCommand(workflowId: string | undefined, flags: StatusFlags): Promise<number> {
  if (flags.explain !== undefined) {
    if (workflowId !== undefined)
      throw new ConfigError(`give a workflow id or --explain <page>, not both (got ${workflowId} and the page)`);
    if (flags.json) throw new ConfigError('--explain prints lines, not JSON: leave --json out');
    return explainCommand(flags.explain, flags);
  }
  if (workflowId === undefined)
    throw new ConfigError('missing workflow id: give the id of an ingest, or --explain <page> to explain a page');
  const client = await clusterClient(flags);
  const progress = await queryProgress(client.workflow.getHandle(workflowId));
  console.log(flags.json ? JSON.stringify(progress) : describeProgress(progress).join('\n'));
  return EXIT.done;
}

export function addStatusCommand(program: Command): void {
  withOptions(
    program
      .command('status')
      .description("print an ingest's progress, or with --explain why a page is, or is not, in an output")
      .argument('[workflow-id]'),
    { ...TEMPORAL_OPTIONS, ...STATUS_OPTIONS, ...EXPLAIN_OPTIONS },
  )
    .option('--json', 'machine-readable output')
    .action(action(statusCommand));
}
