// The ingest's running tally: what the progress query returns and what the workflow finally reports.
import { defineQuery } from '@temporalio/workflow';
import type { PageRef } from '../confluence/types';

export interface FailedPage {
  id: string;
  title: string;
  spaceKey: string;
  reason: string;
}

export interface SpaceProgress {
  key: string;
  listed: number;
  done: number;
  failed: number;
  /** True once every page of the space (up to the per-space limit) has been listed. */
  listingDone: boolean;
}

export interface IngestProgress {
  spaces: SpaceProgress[];
  listed: number;
  done: number;
  failed: number;
  inFlight: number;
  failures: FailedPage[];
  finished: boolean;
}

export const progressQuery = defineQuery<IngestProgress>('progress');

export class Tally {
  private readonly spaces = new Map<string, SpaceProgress>();
  private readonly failures: FailedPage[] = [];
  private done = 0;
  inFlight = 0;
  finished = false;

  space(key: string): SpaceProgress {
    let entry = this.spaces.get(key);
    if (!entry) {
      entry = { key, listed: 0, done: 0, failed: 0, listingDone: false };
      this.spaces.set(key, entry);
    }
    return entry;
  }

  listed(ref: PageRef): void {
    this.space(ref.spaceKey).listed++;
  }

  succeeded(ref: PageRef): void {
    this.space(ref.spaceKey).done++;
    this.done++;
  }

  failedPage(ref: PageRef, reason: string): void {
    this.space(ref.spaceKey).failed++;
    this.failures.push({ id: ref.id, title: ref.title, spaceKey: ref.spaceKey, reason });
  }

  snapshot(): IngestProgress {
    const spaces = [...this.spaces.values()].map((s) => ({ ...s }));
    return {
      spaces,
      listed: spaces.reduce((sum, s) => sum + s.listed, 0),
      done: this.done,
      failed: this.failures.length,
      inFlight: this.inFlight,
      failures: [...this.failures],
      finished: this.finished,
    };
  }
}
