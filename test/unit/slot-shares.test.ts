// How the cluster's slots of a site are split between workers: fair by demand, and never more held than the site's
// --max-concurrency, however renewals, starts and ends interleave.
import { describe, expect, it } from 'vitest';
import { allot, fairShares, type Holding } from '../../src/connectors/confluence/client/slotShares';
import { Rng } from '../../simulator/rng';

describe('fairShares', () => {
  it('gives a small demand what it asks and splits the rest evenly', () => {
    const shares = fairShares(8, [
      { holder: 'a', wanted: 1 },
      { holder: 'b', wanted: 8 },
      { holder: 'c', wanted: 8 },
    ]);
    expect(Object.fromEntries(shares)).toEqual({ a: 1, b: 4, c: 3 });
  });

  it('hands what does not split evenly round, turn by turn', () => {
    const demands = ['a', 'b', 'c'].map((holder) => ({ holder, wanted: 2 }));
    const byTurn = [0, 1, 2].map((turn) => [...fairShares(2, demands, turn).values()].join());
    expect(byTurn).toEqual(['1,1,0', '0,1,1', '1,0,1']);
  });
});

describe('allot', () => {
  const other = (slots: number, wanted = 8): Holding => ({ holder: 'other', slots, wanted, capacity: 8 });

  it('takes only slots no other row holds, up to its share', () => {
    expect(allot([other(8)], { holder: 'me', keep: 0, wanted: 8, capacity: 8 })).toEqual({
      held: 0,
      usable: 0,
      share: 4,
    });
    expect(allot([other(4)], { holder: 'me', keep: 0, wanted: 8, capacity: 8 }).usable).toBe(4);
  });

  it('keeps the slots in use when its share shrinks, and fills only its share', () => {
    expect(allot([other(0)], { holder: 'me', keep: 8, wanted: 8, capacity: 8 })).toEqual({
      held: 8,
      usable: 4,
      share: 4,
    });
  });

  it('holds to the smallest capacity of the live workers', () => {
    const strict: Holding = { holder: 'other', slots: 0, wanted: 0, capacity: 2 };
    expect(allot([strict], { holder: 'me', keep: 0, wanted: 8, capacity: 8 }).usable).toBe(2);
  });

  it('starts nothing while the rows hold more than the capacity', () => {
    expect(allot([other(8)], { holder: 'me', keep: 3, wanted: 8, capacity: 8 }).usable).toBe(0);
  });

  it('never lets the workers together hold or use more than the capacity', () => {
    const rng = new Rng(24);
    const capacity = 5;
    const workers = ['a', 'b', 'c', 'd'].map((holder) => ({ holder, held: 0, usable: 0, inFlight: 0, wanted: 0 }));
    for (let step = 0; step < 20_000; step++) {
      const w = rng.pick(workers);
      const roll = rng.next();
      if (roll < 0.35 && w.inFlight < w.usable) w.inFlight++;
      else if (roll < 0.7 && w.inFlight > 0) w.inFlight--;
      else {
        w.wanted = Math.max(w.inFlight, rng.int(0, 8));
        const others = workers.filter((o) => o !== w).map((o) => ({ ...o, slots: o.held, capacity }));
        const keep = Math.max(w.inFlight, Math.min(w.usable, w.wanted));
        Object.assign(w, allot(others, { holder: w.holder, keep, wanted: w.wanted, capacity }, rng.int(0, 3)));
      }
      expect(workers.reduce((sum, o) => sum + o.held, 0)).toBeLessThanOrEqual(capacity);
      for (const o of workers) expect(o.inFlight).toBeLessThanOrEqual(o.held);
    }
  });
});
