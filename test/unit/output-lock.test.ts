// Embedded mode's lease on an output dir: a lock file naming the process that writes it.
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { lockOutputDir } from '../../src/cli/outputLock';
import { DestinationBusyError } from '../../src/client';
import { tempDir } from '../support/stack';
import { until } from '../support/until';

it('refuses a second writer of the same output dir in one line naming the holder, and frees it on release', async () => {
  const out = path.join(tempDir('output-lock'), 'out');
  const release = await lockOutputDir(out, { wait: false });
  const refusal = await lockOutputDir(out, { wait: false }).catch((err: unknown) => err);
  expect(refusal).toBeInstanceOf(DestinationBusyError);
  expect((refusal as Error).message).toBe(
    `${out} is being written by another durable-ingest run (process ${process.pid} on ${os.hostname()}); wait for it to end, or pass --wait-for-lease to start after it`,
  );
  await release();
  expect(existsSync(path.join(out, '.ingest.lock'))).toBe(false);
  await (await lockOutputDir(out, { wait: false }))();
});

it('takes over the lock of a process that died', async () => {
  const out = tempDir('output-lock-stale');
  // A pid far above any this machine hands out stands for a process that is gone.
  writeFileSync(path.join(out, '.ingest.lock'), JSON.stringify({ hostname: os.hostname(), pid: 2 ** 22 + 12345 }));
  const release = await lockOutputDir(out, { wait: false });
  await release();
});

it('waits for the holder when asked, and goes on once it releases', async () => {
  const out = tempDir('output-lock-wait');
  const release = await lockOutputDir(out, { wait: false });
  let told = '';
  const waiting = lockOutputDir(out, { wait: true, onWait: (holder) => (told = holder) });
  await until(() => told, 'the waiting writer to name the holder');
  expect(told).toContain(`process ${process.pid}`);
  await release();
  await (await waiting)();
});
