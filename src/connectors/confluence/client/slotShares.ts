// How a site's request slots are split between the workers of a cluster (see clusterSlots.ts): each worker's share by
// demand, and what it may hold now without the holders together ever exceeding the site's capacity.

/** A worker's row as the others see it. */
export interface Holding {
  holder: string;
  /** Slots its row holds: its requests in flight never exceed it. */
  slots: number;
  /** The most requests it had in flight or waiting since its previous renewal. */
  wanted: number;
  /** Its --max-concurrency. */
  capacity: number;
}

/** The renewing worker. */
export interface Claim {
  holder: string;
  /** Slots its row must keep: its requests in flight, and those it may start before the answer. */
  keep: number;
  wanted: number;
  capacity: number;
}

export interface Allotment {
  /** Slots its row holds from now on (never less than `keep`: slots in use are given back only once drained). */
  held: number;
  /** Slots it may fill until its next renewal. */
  usable: number;
  /** Its fair share; `usable` is less while others still hold what they must give back. */
  share: number;
}

/**
 * Max-min fair integer shares of `capacity`: a demand under an even split gets what it asks, the rest is split evenly
 * between the others. What does not split evenly goes one slot each to holders in name order from position `turn`,
 * so every worker computes the same split, and with more workers than slots each gets its turn.
 */
export function fairShares(
  capacity: number,
  demands: Array<{ holder: string; wanted: number }>,
  turn = 0,
): Map<string, number> {
  const shares = new Map<string, number>();
  const pending = [...demands].sort((a, b) => a.wanted - b.wanted || byName(a.holder, b.holder));
  let left = capacity;
  while (pending.length > 0) {
    const even = Math.floor(left / pending.length);
    if (pending[0].wanted <= even) {
      const { holder, wanted } = pending.shift()!;
      shares.set(holder, wanted);
      left -= wanted;
      continue;
    }
    const extra = left - even * pending.length;
    pending.sort((a, b) => byName(a.holder, b.holder));
    const from = turn % pending.length;
    pending.forEach(({ holder }, k) =>
      shares.set(holder, even + ((k - from + pending.length) % pending.length < extra ? 1 : 0)),
    );
    break;
  }
  return shares;
}

/**
 * A renewing worker's slots, given the live rows of the others. It takes only slots no row holds, so the rows never
 * sum past the capacity (the smallest any live worker was given: the strictest wins). When they already do (a worker
 * cut off past its lease came back with requests in flight), it starts nothing until they fit again.
 */
export function allot(others: Holding[], me: Claim, turn = 0): Allotment {
  const capacity = Math.min(me.capacity, ...others.map((o) => o.capacity));
  const taken = others.reduce((sum, o) => sum + o.slots, 0);
  const demands = [...others, { holder: me.holder, wanted: Math.min(me.wanted, capacity) }];
  const share = fairShares(capacity, demands, turn).get(me.holder) ?? 0;
  const free = Math.max(0, capacity - taken - me.keep);
  const held = Math.max(me.keep, Math.min(share, me.keep + free));
  return { held, usable: Math.max(0, Math.min(share, held, capacity - taken)), share };
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
