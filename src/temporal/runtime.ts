import { DefaultLogger, Runtime } from '@temporalio/worker';

let installed = false;

/**
 * The SDK logs every worker state change at INFO; a CLI user wants only problems.
 * Must run before anything else touches the SDK runtime (dev server, connections, workers).
 */
export function quietRuntime(level: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' = 'ERROR'): void {
  if (installed) return;
  Runtime.install({ logger: new DefaultLogger(level) });
  installed = true;
}
