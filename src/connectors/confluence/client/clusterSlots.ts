// One --max-concurrency per site for every worker of a cluster: a semaphore of leases in the shared PostgreSQL (the
// checkpoint database). Each worker's row holds a share of the site's slots until an expiry; the worker renews it
// about five times a lease, so a request takes and gives back a slot in memory, with no round trip of its own. A
// worker that dies (SIGKILL included) stops renewing, and its row expires and is swept by the next renewal of
// another. Fail closed: a worker takes only slots no row holds, lowers its own row only once its requests drained
// below the new count, and starts nothing on a lease it could not renew in time.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import { createdMeanwhile } from './clusterBudget';
import { type Allotment, allot, type Holding } from './slotShares';

const TABLE = 'durable_ingest_site_slots';

const CREATE = `CREATE TABLE IF NOT EXISTS ${TABLE} (
  site text NOT NULL,
  holder text NOT NULL,
  slots integer NOT NULL,
  wanted integer NOT NULL,
  capacity integer NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (site, holder)
)`;

// $1 lock key, $2 lease in ms. Renewals of one site take turns, so each sees the rows as the one before left them.
// Also the current lease period by the database's clock, which every worker agrees on: whose turn it is to get what
// does not split evenly.
const LOCK = `SELECT pg_advisory_xact_lock(hashtextextended($1, 0)),
  floor(extract(epoch FROM clock_timestamp()) * 1000 / $2::float8)::float8 AS turn`;

// $1 site, $2 holder. Sweeps the expired rows of the site (a dead worker's) and returns the others that live.
const OTHERS = `WITH swept AS (
  DELETE FROM ${TABLE} WHERE site = $1 AND holder <> $2 AND expires_at <= clock_timestamp()
)
SELECT holder, slots, wanted, capacity FROM ${TABLE}
WHERE site = $1 AND holder <> $2 AND expires_at > clock_timestamp()`;

// $1 site, $2 holder, $3 slots, $4 wanted, $5 capacity, $6 lease in ms (the database's clock: workers' clocks differ).
const HOLD = `INSERT INTO ${TABLE} (site, holder, slots, wanted, capacity, expires_at)
VALUES ($1, $2, $3, $4, $5, clock_timestamp() + $6 * interval '1 millisecond')
ON CONFLICT (site, holder) DO UPDATE SET slots = EXCLUDED.slots, wanted = EXCLUDED.wanted,
  capacity = EXCLUDED.capacity, expires_at = EXCLUDED.expires_at`;

const LET_GO = `DELETE FROM ${TABLE} WHERE site = $1 AND holder = $2`;

const DEFAULT_LEASE_MS = 5000;
/** The least time between two renewals of a worker, however often its demand changes. */
const EAGER_MS = 100;

/** Requests in flight to a site, shared with other processes. */
export interface SlotBudget {
  /** Waits for one of the site's slots; returns the function that gives it back. */
  acquire(signal?: AbortSignal): Promise<() => void>;
}

export interface ClusterSlotsOptions {
  /** How long a row outlives its worker's last renewal: a dead worker's slots come back within it. */
  leaseMs?: number;
}

interface Waiter {
  wake(): void;
  fail(err: Error): void;
}

interface Lease extends Allotment {
  /** This process's clock: nothing starts on the lease from then on. */
  until: number;
}

export class ClusterSlots implements SlotBudget {
  private readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly leaseMs: number;
  private lease: Lease = { held: 0, usable: 0, share: 0, until: 0 };
  private inFlight = 0;
  /** The most requests in flight or waiting since the last renewal: the demand the next one reports. */
  private peak = 0;
  /** The demand the database last heard. */
  private reported = 0;
  private readonly waiters = new Set<Waiter>();
  private ready?: Promise<void>;
  private renewing = false;
  /** An early renewal was asked for while one was under way. */
  private again = false;
  private timer?: NodeJS.Timeout;
  private dueAt = Number.POSITIVE_INFINITY;
  private lastRenewal = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly pool: pg.Pool,
    private readonly site: string,
    private readonly capacity: number,
    options: ClusterSlotsOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** Monotonic: a wall clock set back would stretch the lease past the row's expiry. */
  private now(): number {
    return performance.now();
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.inFlight < this.usable()) {
        this.inFlight++;
        this.notePeak();
        return this.releaser();
      }
      await this.slotFreed(signal);
    }
  }

  /** Slots this worker may fill now: none once its lease ran out unrenewed. */
  private usable(): number {
    return this.now() < this.lease.until ? this.lease.usable : 0;
  }

  private notePeak(): void {
    this.peak = Math.max(this.peak, this.inFlight + this.waiters.size);
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.wakeAll();
      // Drained to a smaller share: give the rest back now rather than at the next turn.
      if (this.lease.held > this.lease.usable && this.inFlight <= this.lease.usable) this.schedule(0);
    };
  }

  private slotFreed(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiters.delete(waiter);
        reject(signal?.reason);
      };
      const settle = () => {
        this.waiters.delete(waiter);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        wake: () => {
          settle();
          resolve();
        },
        fail: (err) => {
          settle();
          reject(err);
        },
      };
      this.waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.notePeak();
      // More wanted than the database knows of, or no lease: ask now. Otherwise a slot freed here, or the next
      // renewal, will do (a worker whose share is none for now must not poll).
      if (Math.min(this.capacity, this.peak) > this.reported || this.now() >= this.lease.until) this.schedule(0);
    });
  }

  private wakeAll(): void {
    for (const waiter of [...this.waiters]) waiter.wake();
  }

  /** A renewal in `delayMs`, or sooner if one is already due sooner; never two within EAGER_MS. */
  private schedule(delayMs: number): void {
    if (this.renewing) {
      this.again ||= delayMs === 0;
      return;
    }
    const at = Math.max(this.now() + delayMs, this.lastRenewal + EAGER_MS);
    if (at >= this.dueAt) return;
    clearTimeout(this.timer);
    this.dueAt = at;
    // Unref'd: a renewal alone does not keep a finished process alive (its row then expires).
    this.timer = setTimeout(() => void this.renew(), at - this.now()).unref();
  }

  private async renew(): Promise<void> {
    this.timer = undefined;
    this.dueAt = Number.POSITIVE_INFINITY;
    this.renewing = true;
    this.lastRenewal = this.now();
    try {
      await this.exchange();
    } catch (err) {
      // Waiters wait on while the lease lasts (a slot freed here serves them); after it, they fail with the cause.
      if (this.usable() === 0) this.failAll(unreachable(this.site, err));
    } finally {
      this.renewing = false;
      this.scheduleNext();
    }
  }

  /** Reports this worker's demand and what it keeps, and takes the slots the database grants. */
  private async exchange(): Promise<void> {
    const sent = this.now();
    const keep = Math.max(this.inFlight, Math.min(this.usable(), this.peak));
    const wanted = Math.min(this.capacity, this.peak);
    // Until the answer, nothing starts beyond what the row will keep.
    this.lease = { ...this.lease, usable: Math.min(this.lease.usable, keep) };
    this.reported = wanted;
    this.peak = this.inFlight + this.waiters.size;
    const granted = await this.grant(keep, wanted);
    // The row expires a lease after the database wrote it, which was after `sent`: this side stops first.
    this.lease = { ...granted, until: sent + this.leaseMs };
    this.wakeAll();
  }

  private scheduleNext(): void {
    const again = this.again;
    this.again = false;
    const { held, usable, share } = this.lease;
    if (again) this.schedule(0);
    // Slots to give back, or a share others still hold: soon; otherwise once a fifth of the lease.
    else if (held > usable || usable < share) this.schedule(EAGER_MS);
    else if (held > 0 || this.inFlight > 0 || this.waiters.size > 0) this.schedule(this.leaseMs / 5);
  }

  private failAll(err: Error): void {
    for (const waiter of [...this.waiters]) waiter.fail(err);
  }

  private async grant(keep: number, wanted: number): Promise<Allotment> {
    await this.created();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const lock = await client.query<{ turn: number }>(LOCK, [`${TABLE}:${this.site}`, this.leaseMs]);
      const others = await client.query<Holding>(OTHERS, [this.site, this.holder]);
      const me = { holder: this.holder, keep, wanted, capacity: this.capacity };
      const granted = allot(others.rows, me, lock.rows[0].turn);
      if (granted.held === 0 && wanted === 0) await client.query(LET_GO, [this.site, this.holder]);
      else await client.query(HOLD, [this.site, this.holder, granted.held, wanted, this.capacity, this.leaseMs]);
      await client.query('COMMIT');
      client.release();
      return granted;
    } catch (err) {
      // The connection may be mid-transaction: it is closed, not put back.
      client.release(true);
      throw err;
    }
  }

  private async created(): Promise<void> {
    this.ready ??= this.pool.query(CREATE).then(() => undefined, createdMeanwhile);
    await this.ready.catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
  }
}

function unreachable(site: string, err: unknown): Error {
  const cause = err instanceof Error ? err.message : String(err);
  return new Error(
    `the request slots of ${site} are shared through the --checkpoint-url database, which failed (${cause}): ` +
      'check that it is up and reachable from this worker',
  );
}
