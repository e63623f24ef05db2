// Where a Confluence site is and how to sign in to it: safe for workflow history. The secrets themselves stay with
// the worker (ConfluenceSecrets), never in a job.
import { z } from 'zod';

export const AuthModeSchema = z.enum(['api-token', 'password', 'pat', 'oauth']);
export type AuthMode = z.infer<typeof AuthModeSchema>;

export const DEFAULT_OAUTH_GATEWAY = 'https://api.atlassian.com';

export const SiteSchema = z.object({
  url: z.string().url(),
  cloud: z.boolean().default(false),
  auth: AuthModeSchema,
  username: z.string().min(1).optional(),
  cloudId: z.string().min(1).optional(),
  /**
   * The API token has scopes: Atlassian accepts it only through the gateway (`{gatewayUrl}/ex/confluence/{cloudId}`),
   * never at the site's own URL.
   */
  scopedToken: z.boolean().optional(),
  /** Base of the gateway (OAuth, scoped API tokens); overridable so tests can point it at the simulator. */
  gatewayUrl: z.string().url().default(DEFAULT_OAUTH_GATEWAY),
  /** Request rate ceiling for this site: of all workers together with a PostgreSQL checkpoint, else of each. */
  maxRequestsPerSecond: z.number().positive().optional(),
  /** Requests in flight to this site at once (default 8): of all workers with a PostgreSQL checkpoint, else of each. */
  maxConcurrency: z.number().int().min(1).max(256).optional(),
  /**
   * Page bodies come with the permission facts of the pages a worker downloads at once, one CQL search per batch
   * (absent: true). False reads each body from the page's own endpoint (Cloud: REST v2), as before batching.
   */
  batchBodies: z.boolean().optional(),
});
export type Site = z.infer<typeof SiteSchema>;

export function bodiesBatched(site: Pick<Site, 'batchBodies'>): boolean {
  return site.batchBodies ?? true;
}

/** The credential of one sign-in mode; held by the worker process only. */
export interface ConfluenceSecrets {
  apiToken?: string;
  password?: string;
  token?: string;
  oauthToken?: string;
}
