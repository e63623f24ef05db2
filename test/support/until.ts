// Tests wait for what they need to see, not for a length of time: a fixed sleep is too short on a busy machine and
// too long on an idle one. until() asks again every interval, and when the deadline passes it fails naming what was
// awaited (and what was last seen), instead of an assertion later failing on a state nobody waited for.

export interface UntilOptions {
  /** Default 20 s: long enough for a loaded CI machine, short of vitest's test timeout so this message wins. */
  timeoutMs?: number;
  /** Default 50 ms. */
  intervalMs?: number;
  /** What was last seen, for the failure message (e.g. a count that never reached its target). */
  lastSeen?: () => unknown;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * Resolves with the condition's first truthy answer. A condition that throws fails the wait at once; a condition that
 * may fail while the thing it asks about starts up should catch and answer undefined.
 */
export async function until<T>(
  condition: () => T | Promise<T>,
  what: string,
  options: UntilOptions = {},
): Promise<Truthy<T>> {
  const { timeoutMs = 20_000, intervalMs = 50, lastSeen } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await condition();
    if (answer) return answer as Truthy<T>;
    if (Date.now() >= deadline) {
      const seen = lastSeen ? ` (last seen: ${JSON.stringify(lastSeen())})` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
