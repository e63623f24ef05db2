// A page's permissions, for the download step: who may read, update and delete it (data_source.permissions_data).
// One resolver per site (and per cap) lives in the worker, so space permissions, ancestor restrictions and group
// members are fetched once for all the pages of a run that this worker handles.
import { ApplicationFailure } from '@temporalio/common';
import { describeIssues } from '../../core/configError';
import { PermissionsSchema, type Permissions } from './config';
import type { Site } from './site';
import { contentBatcher } from './contentBatch';
import type { AloneReads } from './readsAlone';
import type { ConfluenceClient } from './client/client';
import { ConfluenceError } from './client/errors';
import { toActivityFailure } from './client/failures';
import type { PageRef, SpacePermissionsSource } from './client/types';
import type { PermissionsData } from '../../core/elements';
import { FAILURE, failureOf } from '../../core/failures';
import { PermissionResolver, clientPermissionSource, type ResolvedPermissions } from './permissions';

export interface PagePermissionsInput {
  site: Site;
  ref: PageRef;
  permissions: Permissions;
}

export interface PagePermissionsResult {
  /** Absent when permissions are disabled, or unreadable under --on-permission-error skip|omit. */
  permissionsData?: PermissionsData;
  /** Lists were cut at --max-num-metadata-permissions: the document must say so. */
  capped: boolean;
  /** What the permissions rest on (permissions/fingerprint.ts); absent when they were not resolved. */
  fingerprint?: string;
  /** Where the space's grants were read (Data Center before 9.1: the space's expand=permissions). */
  spacePermissionsSource?: SpacePermissionsSource;
  /** Why some who may read, update or delete were left out of permissionsData (never the other way round). */
  narrowed?: string[];
  /**
   * Permissions could not be read and the policy is not `fail`: skip the page, or write it without permissions_data.
   */
  unavailable?: { action: 'skip' | 'omit'; reason: string };
}

const MAX_RESOLVERS = 16;
const resolvers = new Map<string, { client: ConfluenceClient; resolver: PermissionResolver }>();

/** One resolver per site, identity, cap and run: what one run read is never trusted by the next. */
function resolverFor(site: Site, client: ConfluenceClient, max: number, run = ''): PermissionResolver {
  const identity = [site.url, site.auth, site.username ?? '', site.cloudId ?? ''];
  const key = JSON.stringify([...identity, max, run]);
  const known = resolvers.get(key);
  resolvers.delete(key);
  const source = clientPermissionSource(site, client, contentBatcher(client, run));
  const entry =
    known?.client === client
      ? known
      : {
          client,
          resolver: new PermissionResolver(source, {
            maxNumMetadataPermissions: max,
          }),
        };
  resolvers.set(key, entry);
  // Least recently used first: Map keeps insertion order and every use re-inserts.
  for (const old of resolvers.keys()) {
    if (resolvers.size <= MAX_RESOLVERS) break;
    resolvers.delete(old);
  }
  return entry.resolver;
}

/** Errors a retry cannot fix (rights, missing content, unexpected answers); transient ones always go to Temporal. */
function permanent(err: unknown): err is ConfluenceError {
  return err instanceof ConfluenceError && !err.retryable;
}

/** `log` counts the reads that went outside their batch. */
export async function pagePermissions(
  client: ConfluenceClient,
  { site, ref, permissions }: PagePermissionsInput,
  log?: AloneReads,
): Promise<PagePermissionsResult> {
  const parsed = PermissionsSchema.safeParse(permissions);
  if (!parsed.success) {
    const message = `invalid permissions settings: ${describeIssues(parsed.error)}; fix --max-num-metadata-permissions or --on-permission-error`;
    throw ApplicationFailure.create(failureOf(FAILURE.ConfigError, message));
  }
  const settings = parsed.data;
  if (!settings.enabled) return { capped: false };
  try {
    return await resolverFor(site, client, settings.maxNumMetadataPermissions, settings.run).resolve(ref, log);
  } catch (err) {
    if (settings.onError !== 'fail' && permanent(err)) {
      return {
        capped: false,
        unavailable: { action: settings.onError, reason: `permissions of page ${ref.id}: ${err.message}` },
      };
    }
    throw toActivityFailure(err);
  }
}

/**
 * Permissions of content two pages govern (one includes the other), under the same settings the pages' own were read
 * with.
 */
export function intersectPermissions(
  client: ConfluenceClient,
  { site, permissions }: Omit<PagePermissionsInput, 'ref'>,
  a: ResolvedPermissions,
  b: ResolvedPermissions,
): Promise<ResolvedPermissions> {
  return resolverFor(site, client, PermissionsSchema.parse(permissions).maxNumMetadataPermissions).intersect(a, b);
}
