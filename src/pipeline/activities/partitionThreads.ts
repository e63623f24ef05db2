// The worker's main thread runs Temporal's bookkeeping and every HTTP call; partitioning is CPU work, so pages are
// partitioned in a pool of threads (piscina). A worker then uses more than one core, and a long page stalls no one
// else's requests or workflow tasks.
import os from 'node:os';
import path from 'node:path';
import Piscina from 'piscina';
import type { Element } from '../../core/elements';
import partitionPageTask, { type PagePartitionTask } from './partitionTask';

/**
 * The cores left beside the main thread and the workflow thread. None on a two-core machine: a thread there only adds
 * memory (its own copy of the NLP models) and hand-off work, and pages are partitioned on the main thread.
 */
export const DEFAULT_PARTITION_THREADS = Math.max(0, os.availableParallelism() - 2);

export class PartitionPool {
  private pool?: Piscina;

  constructor(private readonly threads = DEFAULT_PARTITION_THREADS) {}

  /**
   * Threads start on first use, so a process that never partitions never pays for them. `signal` (the activity's
   * cancellation) ends the task's thread; on the main thread a task cannot be stopped once started.
   */
  async run(task: PagePartitionTask, signal?: AbortSignal): Promise<Element[]> {
    signal?.throwIfAborted();
    if (this.threads === 0) return partitionPageTask(task);
    this.pool ??= new Piscina({
      filename: path.join(__dirname, 'partitionTask.ts'),
      minThreads: this.threads,
      maxThreads: this.threads,
      // The sources are TypeScript run by tsx; the threads need its loader too.
      execArgv: ['--require', require.resolve('tsx/cjs')],
    });
    return (await this.pool.run(task, { signal })) as Element[];
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}
