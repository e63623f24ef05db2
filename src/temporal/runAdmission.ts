// The embedded dev server listens on a port every account on the host can reach, and whoever connects can start a
// workflow on the in-process worker's task queue. That worker holds the user's credentials, so its activities run only
// for the ingest its own command started: an activity's workflow must descend from that run (its root's first run id,
// which only that start produced); any other is refused, non-retryably, before the activity runs.
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { FAILURE, failureOf } from '../core/failures';

interface Execution {
  workflowId: string;
  runId: string;
}

export class RunAdmission {
  private admitted!: (run: Execution) => void;
  private readonly started = new Promise<Execution>((resolve) => (this.admitted = resolve));
  private readonly verdicts = new Map<string, Promise<boolean>>();

  constructor(private readonly client: Client) {}

  /** The run this process started: its workflow id and first run id (the one its start returned). */
  admit(run: Execution): void {
    this.admitted(run);
  }

  /** Refuses, in each activity, a workflow that does not descend from the admitted run. */
  readonly interceptors: ActivityInterceptorsFactory = (ctx) => ({
    inbound: {
      execute: async (input, next) => {
        const own = ctx.info.workflowExecution;
        if (!own || !(await this.descends(own))) {
          const ours = await this.started;
          throw ApplicationFailure.create(
            failureOf(
              FAILURE.ForeignRun,
              `workflow ${own?.workflowId ?? '(none)'} was not started by this command (its worker runs only ingest ${ours.workflowId}): another user of the host reached its embedded Temporal server; nothing was run for it`,
            ),
          );
        }
        return next(input);
      },
    },
  });

  /** Each run is looked up once, and each root once for all of its children. */
  private descends(run: Execution): Promise<boolean> {
    return this.once(run.runId, async () => {
      const own = await this.client.workflow.getHandle(run.workflowId, run.runId).describe();
      const rootRunId = own.rootExecution?.runId;
      if (!rootRunId || rootRunId === run.runId) return this.isAdmitted(own.raw.workflowExecutionInfo?.firstRunId);
      const rootId = own.rootExecution?.workflowId ?? run.workflowId;
      return this.once(rootRunId, async () => {
        const described = await this.client.workflow.getHandle(rootId, rootRunId).describe();
        return this.isAdmitted(described.raw.workflowExecutionInfo?.firstRunId);
      });
    });
  }

  private once(runId: string, decide: () => Promise<boolean>): Promise<boolean> {
    let verdict = this.verdicts.get(runId);
    if (!verdict) {
      verdict = decide();
      this.verdicts.set(runId, verdict);
    }
    return verdict;
  }

  private async isAdmitted(firstRunId: string | null | undefined): Promise<boolean> {
    return firstRunId === (await this.started).runId;
  }
}
