// SIGINT and SIGTERM are the command's to handle (quietRuntime keeps the SDK's runtime from taking them, which did
// nothing with the first one before a worker existed, so `timeout` and orchestrators had to signal twice). The first
// starts a clean stop of what the command is waiting on; a second ends the process at once.
import { FAILURE } from '../core/failures';
import { exitOf } from './outcome';

export class StopSignal extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`stopped by ${signal}; what was written is kept: run the same command again to continue`);
    this.name = FAILURE.Stopped;
  }
}

let stop: Promise<never> | undefined;

/** Rejects with a StopSignal at the first SIGINT or SIGTERM (listening from the first call on). */
export function stopSignal(): Promise<never> {
  if (!stop) {
    stop = new Promise<never>((_, reject) => {
      let received = false;
      const handle = (signal: NodeJS.Signals) => {
        if (received) process.exit(exitOf(FAILURE.Stopped));
        received = true;
        reject(new StopSignal(signal));
      };
      process.on('SIGINT', handle).on('SIGTERM', handle);
    });
    // Whoever waits on it hears of the stop; unheard, it is no unhandled rejection.
    stop.catch(() => undefined);
  }
  return stop;
}

/** `work`, or a StopSignal as soon as one arrives: what was started stays for the caller's `finally` to end. */
export function untilStopped<T>(work: Promise<T>): Promise<T> {
  return Promise.race([work, stopSignal()]);
}
