// Who may read a written page changes without a new page version (a restriction, a move, a space grant, a group), so
// every run checks the written pages of each listing batch and rewrites the permissions of those whose changed, in
// the destination and the checkpoint together, without downloading, partitioning or embedding anything again.
import type { ConfluenceClient } from '../../connectors/confluence/client/client';
import type { Permissions } from '../../connectors/confluence/config';
import { checkPermissionDrift, type DriftVerdict } from '../../connectors/confluence/permissionDrift';
import type { PageToResolve } from '../../connectors/confluence/permissions';
import { AloneReads, type ReadsAlone } from '../../connectors/confluence/readsAlone';
import type { Site } from '../../connectors/confluence/site';
import type { CheckpointRecord } from '../../checkpoint';
import { decodePermissionsVersion, encodePermissionsVersion, isRevoked, REVOKED } from '../../core/permissionsVersion';
import { NO_ONE, type PermissionsPatch } from '../../destinations/permissionsPatch';
import { type DestinationRef, type Destinations, type OpenDestination, storing } from './destinations';

export interface SyncPermissionsInput extends DestinationRef {
  site: Site;
  /** Carries the run asking (`run`): its permission reads are its own (see pagePermissions). */
  permissions: Permissions;
  pages: PageToResolve[];
  /**
   * The run ingests pages: those whose outputs cannot be rewritten in place are returned to be ingested again. A run
   * that does not (--permissions-only) makes their outputs grant no one until a run that does ingests them.
   */
  ingests: boolean;
}

export interface SyncPermissionsResult {
  /** Pages whose permissions changed, and what changed; those rewritten and those to ingest again. */
  changed: Array<{ id: string; reasons: string[] }>;
  /** Pages whose outputs also carry other pages' permissions (included text, linked files): ingest them again. */
  ingestAgain: string[];
  /** Pages whose readers cannot be proven now: their outputs were rewritten to grant no one. */
  unproven: Array<{ id: string; reason: string }>;
  /** Requests that read permission facts outside their batch, by why and what. */
  readsAlone?: ReadsAlone;
}

export function permissionsActivities(client: (site: Site) => ConfluenceClient, destinations: Destinations) {
  return {
    async syncPermissions(input: SyncPermissionsInput): Promise<SyncPermissionsResult> {
      const target = destinations(input);
      const records = await storing(() =>
        target.checkpoint.records(
          input.site.url,
          input.pages.map((p) => p.id),
        ),
      );
      const recorded = new Map(records.map((r) => [r.id, r]));
      const pages = input.pages.filter((p) => recorded.has(p.id));
      const log = new AloneReads();
      const verdicts = await checkPermissionDrift(client(input.site), {
        site: input.site,
        permissions: input.permissions,
        pages: pages.map((page) => ({ page, recorded: recorded.get(page.id)?.permissionsVersion })),
        log,
      });
      const result: SyncPermissionsResult = { changed: [], ingestAgain: [], unproven: [] };
      for (const verdict of verdicts) await apply(target, recorded.get(verdict.id)!, verdict, result, input.ingests);
      return log.reported ? { ...result, readsAlone: log.reported } : result;
    },
  };
}

async function apply(
  target: OpenDestination,
  record: CheckpointRecord,
  verdict: DriftVerdict,
  result: SyncPermissionsResult,
  ingests: boolean,
): Promise<void> {
  if (verdict.state === 'same') return;
  if (verdict.state === 'unproven') {
    result.unproven.push({ id: verdict.id, reason: verdict.reason });
    await revoke(target, record);
    return;
  }
  result.changed.push({ id: verdict.id, reasons: verdict.reasons });
  if (!verdict.rewrite) {
    if (ingests) result.ingestAgain.push(verdict.id);
    else await revoke(target, record);
    return;
  }
  const { permissionsData, capped } = verdict.permissions;
  await rewrite(target, record, { ...(permissionsData ? { permissionsData } : {}), capped }, verdict.version);
}

/**
 * Rewrites a page's outputs to grant no one, once: a page whose readers cannot be proven, or that is gone from the
 * source for this account (deleted, or restricted away from it: the two look alike), must not stay readable by the
 * grants it had.
 */
export async function revoke(target: OpenDestination, record: CheckpointRecord): Promise<boolean> {
  if (isRevoked(record.permissionsVersion)) return false;
  const dependencies = decodePermissionsVersion(record.permissionsVersion)?.dependencies ?? [];
  await rewrite(target, record, NO_ONE, encodePermissionsVersion({ own: REVOKED, dependencies }));
  return true;
}

/** A page ingested again meanwhile (another version recorded) is left alone: its outputs are newer than this check. */
function rewrite(
  target: OpenDestination,
  record: CheckpointRecord,
  patch: PermissionsPatch,
  permissionsVersion: string,
): Promise<void> {
  const update = { site: record.site, id: record.id, version: record.version, permissionsVersion };
  return storing(() =>
    target.uploader.rewritePermissions(record.outputPaths, patch, (transaction) =>
      target.checkpoint.recordPermissions(update, transaction),
    ),
  );
}
