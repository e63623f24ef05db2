// One activity attempt's fetching of images and files: the URL policy, a guarded connection pool, the site's
// credentials (which the policy hands only to hops on the site's own origin) and throttled heartbeats.
import { ApplicationFailure } from '@temporalio/common';
import { parseRetryAfter } from '../../core/retryAfter';
import { toActivityFailure } from './client/failures';
import { FAILURE, failureOf } from '../../core/failures';
import { createUrlPolicy, type UrlPolicy } from './extract/allowList';
import { createGuardedAgent, DownloadError, type FetchOptions } from './extract/download';

const HEARTBEAT_EVERY_MS = 1000;

/** What the running activity offers: its heartbeat and its cancellation. */
export interface Attempt {
  heartbeat(details: unknown): void;
  signal?: AbortSignal;
  timeoutMs: number;
}

export interface FetchSession {
  policy: UrlPolicy;
  fetch: Omit<FetchOptions, 'maxBytes'>;
  /** Throttled: callable on every chunk. */
  heartbeat(details: unknown): void;
}

export interface SessionSettings {
  siteUrl: string;
  allowList: string[];
  /** The site's Authorization header value. */
  authorization: string;
}

export async function withFetchSession<T>(
  settings: SessionSettings,
  attempt: Attempt,
  work: (session: FetchSession) => Promise<T>,
): Promise<T> {
  let agent: ReturnType<typeof createGuardedAgent> | undefined;
  try {
    const policy = configured(() => createUrlPolicy({ siteUrl: settings.siteUrl, allowList: settings.allowList }));
    agent = createGuardedAgent(policy);
    let last = 0;
    const heartbeat = (details: unknown) => {
      if (Date.now() - last < HEARTBEAT_EVERY_MS) return;
      last = Date.now();
      attempt.heartbeat(details);
    };
    const fetch = {
      policy,
      dispatcher: agent,
      headers: { authorization: settings.authorization },
      timeoutMs: attempt.timeoutMs,
      signal: attempt.signal,
    };
    return await work({ policy, fetch, heartbeat });
  } catch (err) {
    throw toExtractFailure(err);
  } finally {
    await agent?.destroy();
  }
}

function toExtractFailure(err: unknown): unknown {
  if (err instanceof DownloadError) {
    const wait = parseRetryAfter(err.retryAfter);
    return ApplicationFailure.create({
      message: err.message,
      type: FAILURE.ExtractDownload,
      nonRetryable: !err.retryable,
      nextRetryDelay: wait?.kind === 'wait' ? wait.ms : undefined,
    });
  }
  return toActivityFailure(err);
}

/** A bad allow-list entry or a download dir a path escapes is the user's to fix: retrying would not change it. */
export function configured<T>(make: () => T): T {
  try {
    return make();
  } catch (err) {
    throw ApplicationFailure.create(failureOf(FAILURE.ExtractConfig, err instanceof Error ? err.message : String(err)));
  }
}
