// A command's run -> the process's exit code, a failure becoming the one line outcome.ts makes of it.
import { log } from '../core/log';
import { outcomeOf } from './outcome';

export function action<A extends unknown[]>(run: (...args: A) => Promise<number>) {
  return async (...args: A) => {
    try {
      process.exitCode = await run(...args);
    } catch (err) {
      const { code, line } = outcomeOf(err);
      console.error(`durable-ingest: ${line}`);
      log.debug({ err }, 'the failure in full');
      process.exitCode = code;
    }
  };
}
