import { DefaultLogger, Runtime } from '@temporalio/worker';

let installed = false;

/**
 * The SDK logs every worker state change at INFO; a CLI user wants only problems. The native core's own logs (a
 * workflow task held open by a page's local activities, a task another worker already completed) go through the same
 * logger and level instead of straight to stderr.
 * Must run before anything else touches the SDK runtime (dev server, connections, workers).
 */
export function quietRuntime(level: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' = 'ERROR'): void {
  if (installed) return;
  Runtime.install({
    // Its handlers would swallow a first signal that comes before a worker exists: each command handles its own.
    shutdownSignals: [],
    logger: new DefaultLogger(level),
    telemetryOptions: { logging: { filter: { core: level, other: level }, forward: {} } },
  });
  installed = true;
}
