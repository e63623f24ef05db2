// An activity's requests and waits all listen to its cancellation signal; a busy one has more than Node's default of
// ten listeners at once, which must not print a leak warning (the CLI's stderr is its one-line outcome).
import { MockActivityEnvironment } from '@temporalio/testing';
import { expect, it } from 'vitest';
import { currentActivitySignal } from '../../src/pipeline/activities/deps';

it('lets many requests of one activity listen to its signal without a leak warning', async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    await new MockActivityEnvironment().run(async () => {
      const signal = currentActivitySignal()!;
      for (let i = 0; i < 50; i++) signal.addEventListener('abort', () => undefined);
    });
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  expect(warnings).not.toContain('MaxListenersExceededWarning');
});
