// One request budget per site for every worker of a cluster: a token bucket row in the shared PostgreSQL (the
// checkpoint database), refilled by the database's clock. A worker takes a batch of a tenth of a second's worth per
// statement, so the database sees about ten small updates a second per site whatever the number of workers. The
// bucket may go into debt: a grant always succeeds and says when each of its tokens becomes due, so no worker polls.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';

const TABLE = 'durable_ingest_site_budget';

const CREATE = `CREATE TABLE IF NOT EXISTS ${TABLE} (
  site text PRIMARY KEY,
  tokens double precision NOT NULL,
  refilled_at timestamptz NOT NULL
)`;

// $1 site, $2 capacity, $3 tokens a second, $4 tokens granted. Returns the tokens left after the grant (negative:
// owed, to be refilled before the last of the batch is due).
const GRANT = `INSERT INTO ${TABLE} AS b (site, tokens, refilled_at)
VALUES ($1::text, $2::float8 - $4::float8, clock_timestamp())
ON CONFLICT (site) DO UPDATE SET
  tokens = LEAST($2::float8, b.tokens + $3::float8 * EXTRACT(EPOCH FROM clock_timestamp() - b.refilled_at)::float8)
    - $4::float8,
  refilled_at = clock_timestamp()
RETURNING tokens`;

/** Starts of requests, shared with other processes. */
export interface RateBudget {
  take(signal?: AbortSignal): Promise<void>;
}

export class ClusterBudget implements RateBudget {
  private readonly batch: number;
  /** When each token of the current batch is due (ms, this process's clock), earliest first. */
  private due: number[] = [];
  private granting?: Promise<void>;
  private ready?: Promise<void>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly site: string,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.batch = Math.max(1, Math.round(perSecond / 10));
  }

  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const at = this.due.shift();
      if (at !== undefined) {
        const wait = at - this.now();
        if (wait > 0) await sleep(wait, undefined, { signal });
        return;
      }
      this.granting ??= this.grant().finally(() => {
        this.granting = undefined;
      });
      await this.granting;
    }
  }

  private async grant(): Promise<void> {
    this.ready ??= this.pool.query(CREATE).then(() => undefined, createdMeanwhile);
    await this.ready.catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    // The capacity is one batch: across all workers the site sees at most a batch more than the rate allows.
    const { rows } = await this.pool.query<{ tokens: number }>(GRANT, [
      this.site,
      this.batch,
      this.perSecond,
      this.batch,
    ]);
    const available = Number(rows[0].tokens) + this.batch;
    const granted = this.now();
    this.due = Array.from(
      { length: this.batch },
      (_, k) => granted + Math.max(0, ((k + 1 - available) / this.perSecond) * 1000),
    );
  }
}

/** Two workers creating the table at once: IF NOT EXISTS does not cover the race, and the loser's error means "done". */
export function createdMeanwhile(err: unknown): void {
  const code = (err as { code?: string }).code;
  if (code !== '23505' && code !== '42P07') throw err;
}
