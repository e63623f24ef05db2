// The tests' one way of waiting (test/support/until.ts): it answers as soon as the condition holds, and otherwise
// fails at its deadline naming what it waited for.
import { expect, it } from 'vitest';
import { until } from '../support/until';

it('resolves with the first truthy answer, asking again until there is one', async () => {
  let asked = 0;
  const answer = await until(() => (++asked >= 3 ? { asked } : undefined), 'the third ask', { intervalMs: 1 });
  expect(answer).toEqual({ asked: 3 });
});

it('fails at the deadline naming what it waited for and what it last saw', async () => {
  let polls = 0;
  const never = () => {
    polls++;
    return false;
  };
  const failure = await until(never, 'a condition that never holds', {
    timeoutMs: 30,
    intervalMs: 5,
    lastSeen: () => ({ polls }),
  }).catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(Error);
  expect((failure as Error).message).toMatch(
    /^timed out after 0\.03 s waiting for a condition that never holds \(last seen: \{"polls":\d+\}\)$/,
  );
  expect(polls).toBeGreaterThan(1);
});

it('fails at once when the condition throws', async () => {
  await expect(until(() => Promise.reject(new Error('query failed')), 'never')).rejects.toThrow('query failed');
});
