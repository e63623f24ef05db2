// Reaching a Temporal frontend, and saying in one line where and what to do when it cannot be reached: the SDK's own
// words ("Failed to connect before the deadline") name neither the address nor the fix.
import { isGrpcServiceError, ServiceError } from '@temporalio/client';

/** gRPC status codes of a server that is not there (the SDK does not re-export grpc-js's enum). */
const GONE = new Set([/* DEADLINE_EXCEEDED */ 4, /* UNAVAILABLE */ 14]);

export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';
}

/** Connects with `connect`, or fails naming the address, the SDK's reason and the fixes. */
export async function reachTemporal<T>(address: string, connect: () => Promise<T>): Promise<T> {
  try {
    return await connect();
  } catch (err) {
    throw new TemporalUnreachableError(
      `cannot reach Temporal at ${address} (${reasonOf(err)}); start the server there or give its address with --temporal-address ` +
        '(or TEMPORAL_ADDRESS); `durable-ingest confluence` without either runs an embedded server',
    );
  }
}

/** The server went away under a call (stopped, restarting, network down), as opposed to refusing it. */
export function isTemporalUnreachable(err: unknown): boolean {
  for (let current = err; current instanceof Error; current = current.cause) {
    if (isGrpcServiceError(current) && GONE.has(current.code)) return true;
    if (current instanceof ServiceError && /failed to connect/i.test(current.message)) return true;
  }
  return false;
}

/** The SDK's clients word the same failures differently (grpc-js, or the Rust core's debug output): said plainly. */
const REASONS: Array<[RegExp, string]> = [
  [/connection refused|ECONNREFUSED/i, 'connection refused'],
  [/before the deadline|deadline exceeded|timed? ?out/i, 'no answer before the connect timeout'],
  [/ENOTFOUND|failed to lookup address|name or service not known/i, 'no such host'],
];

function reasonOf(err: unknown): string {
  let current = err;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  const message = (current instanceof Error ? current.message : String(current)).replace(/\s+/g, ' ').trim();
  return REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? message.slice(0, 200);
}
