// Recurring ingests as Temporal Schedules: the server fires them, so no cron host or home-made scheduler is needed.
// Each run is a confluenceIngestWorkflow; overlap policy SKIP by default, so a slow run never stacks up behind itself.
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleExecutionResult,
  type ScheduleHandle,
  type ScheduleSpec,
  type ScheduleSummary,
} from '@temporalio/client';
import { ingestWorkflowId } from '../client';
import { ConfigError } from '../core/configError';
import { DEFAULT_TASK_QUEUE, IngestInputSchema, type IngestInput } from '../pipeline/config';

export const OVERLAP_NAMES = [
  'skip',
  'buffer-one',
  'buffer-all',
  'cancel-other',
  'terminate-other',
  'allow-all',
] as const;
export type OverlapName = (typeof OVERLAP_NAMES)[number];

const OVERLAP_POLICIES: Record<OverlapName, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  'buffer-one': ScheduleOverlapPolicy.BUFFER_ONE,
  'buffer-all': ScheduleOverlapPolicy.BUFFER_ALL,
  'cancel-other': ScheduleOverlapPolicy.CANCEL_OTHER,
  'terminate-other': ScheduleOverlapPolicy.TERMINATE_OTHER,
  'allow-all': ScheduleOverlapPolicy.ALLOW_ALL,
};

/** Memo key holding the spec as the user wrote it: the server keeps cron only in its structured calendar form. */
const SPEC_MEMO = 'durableIngestSpec';

export interface IngestScheduleOptions {
  scheduleId: string;
  input: IngestInput;
  /** An interval such as 30m, 6h or 1d. */
  every?: string;
  /** A cron expression such as "0 2 * * *" (UTC unless it starts with CRON_TZ=...). */
  cron?: string;
  overlap?: OverlapName;
  taskQueue?: string;
  paused?: boolean;
  note?: string;
}

/** What `list` shows of a schedule. */
export interface ScheduleLine {
  scheduleId: string;
  spec: string;
  paused: boolean;
  nextRun?: Date;
  lastRun?: ScheduleRun;
}

export interface ScheduleRun {
  workflowId: string;
  runId: string;
  scheduledAt: Date;
  takenAt: Date;
}

/** What `describe` shows: the schedule's settings and its runs, the ingest input decoded. */
export interface ScheduleView extends ScheduleLine {
  note?: string;
  overlap?: string;
  taskQueue: string;
  workflowType: string;
  input: unknown;
  recentRuns: ScheduleRun[];
  nextRuns: Date[];
}

const INTERVAL = /^[1-9]\d*(s|m|h|d)$/;
const SCHEDULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

function scheduleSpec(options: Pick<IngestScheduleOptions, 'every' | 'cron'>): { spec: ScheduleSpec; text: string } {
  const { every, cron } = options;
  if ((every === undefined) === (cron === undefined)) {
    throw new ConfigError(
      'give exactly one of --every (e.g. 6h) or --cron (e.g. "0 2 * * *") to say when the ingest runs',
    );
  }
  if (every !== undefined) {
    if (!INTERVAL.test(every))
      throw new ConfigError(
        `--every "${every}" is not an interval: give a whole number with s, m, h or d, e.g. 30m, 6h or 1d`,
      );
    return { spec: { intervals: [{ every: every as `${number}${'s' | 'm' | 'h' | 'd'}` }] }, text: `every ${every}` };
  }
  const fields = cron!
    .replace(/^CRON_TZ=\S+\s+/, '')
    .trim()
    .split(/\s+/);
  if (!(fields.length >= 5 && fields.length <= 7) && !/^@\w+$/.test(fields[0] ?? '')) {
    throw new ConfigError(
      `--cron "${cron}" is not a cron expression: give 5 fields (minute hour day-of-month month day-of-week), e.g. "0 2 * * *"`,
    );
  }
  return { spec: { cronExpressions: [cron!] }, text: `cron ${cron}` };
}

function checkScheduleId(id: string): void {
  if (!SCHEDULE_ID.test(id))
    throw new ConfigError(
      `schedule id "${id}" is not usable: use letters, digits, ".", "_" and "-", starting with a letter or digit`,
    );
}

export async function createIngestSchedule(client: Client, options: IngestScheduleOptions): Promise<ScheduleHandle> {
  checkScheduleId(options.scheduleId);
  const { spec, text } = scheduleSpec(options);
  const input = IngestInputSchema.parse(options.input);
  try {
    return await client.schedule.create({
      scheduleId: options.scheduleId,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: 'confluenceIngestWorkflow',
        // The server appends the fire time, so every run has its own id yet shows which selection it ingests.
        workflowId: ingestWorkflowId(input),
        taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
        args: [input],
      },
      policies: { overlap: OVERLAP_POLICIES[options.overlap ?? 'skip'] },
      state: { paused: options.paused ?? false, note: options.note },
      memo: { [SPEC_MEMO]: text },
    });
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) {
      throw new ConfigError(
        `schedule ${options.scheduleId} already exists: delete it first (schedule delete ${options.scheduleId}) or choose another id`,
      );
    }
    throw err;
  }
}

function specText(memo: Record<string, unknown> | undefined, spec: ScheduleSummary['spec']): string {
  const written = memo?.[SPEC_MEMO];
  if (typeof written === 'string') return written;
  // Made elsewhere (e.g. `temporal schedule create`): describe what the server holds.
  const every = spec?.intervals?.map((i) => `every ${i.every / 1000}s`) ?? [];
  return [...every, ...(spec?.calendars?.length ? ['calendar'] : [])].join(', ') || 'no spec';
}

function run(result: ScheduleExecutionResult): ScheduleRun {
  const { workflowId, firstExecutionRunId } = result.action.workflow;
  return { workflowId, runId: firstExecutionRunId, scheduledAt: result.scheduledAt, takenAt: result.takenAt };
}

function line(id: string, s: Pick<ScheduleSummary, 'memo' | 'spec' | 'state' | 'info'>): ScheduleLine {
  const recent = s.info.recentActions;
  return {
    scheduleId: id,
    spec: specText(s.memo, s.spec),
    paused: s.state.paused,
    nextRun: s.info.nextActionTimes[0],
    lastRun: recent.length ? run(recent[recent.length - 1]) : undefined,
  };
}

/** Schedules whose action starts confluenceIngestWorkflow; others in the namespace are not ours to show. */
export async function listIngestSchedules(client: Client): Promise<ScheduleLine[]> {
  const lines: ScheduleLine[] = [];
  for await (const summary of client.schedule.list()) {
    if (summary.action?.workflowType === 'confluenceIngestWorkflow') lines.push(line(summary.scheduleId, summary));
  }
  return lines.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

async function described(
  client: Client,
  scheduleId: string,
): Promise<{ handle: ScheduleHandle; description: ScheduleDescription }> {
  const handle = client.schedule.getHandle(scheduleId);
  try {
    return { handle, description: await handle.describe() };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) {
      throw new ConfigError(
        `no schedule ${scheduleId} in namespace ${client.options.namespace}: see \`schedule list\``,
      );
    }
    throw err;
  }
}

export async function describeIngestSchedule(client: Client, scheduleId: string): Promise<ScheduleView> {
  const { description: d } = await described(client, scheduleId);
  return {
    ...line(scheduleId, d),
    note: d.state.note || undefined,
    overlap: d.policies.overlap,
    taskQueue: d.action.taskQueue,
    workflowType: d.action.workflowType,
    input: d.action.args?.[0],
    recentRuns: d.info.recentActions.map(run),
    nextRuns: d.info.nextActionTimes,
  };
}

/** Runs the ingest now, under the schedule's own overlap policy unless told otherwise. */
export async function triggerIngestSchedule(client: Client, scheduleId: string, overlap?: OverlapName): Promise<void> {
  const { handle, description } = await described(client, scheduleId);
  await handle.trigger(overlap ? OVERLAP_POLICIES[overlap] : description.policies.overlap);
}

export async function pauseIngestSchedule(client: Client, scheduleId: string, note?: string): Promise<void> {
  await (await described(client, scheduleId)).handle.pause(note);
}

export async function unpauseIngestSchedule(client: Client, scheduleId: string, note?: string): Promise<void> {
  await (await described(client, scheduleId)).handle.unpause(note);
}

export async function deleteIngestSchedule(client: Client, scheduleId: string): Promise<void> {
  await (await described(client, scheduleId)).handle.delete();
}
