// The permission check of written pages over a real checkpoint (SQLite), local outputs and the simulator: a page whose
// own permissions are all its outputs carry is rewritten in place; one whose outputs may hold other pages' text (they
// did, or what they hold is unknown: recorded before fingerprints, or revoked) is never rewritten with its own grants:
// it is ingested again, or, in a run that ingests nothing (--permissions-only), made to grant no one.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningSimulator, type SimPage, startSimulator } from '../../simulator';
import { closeConfluencePools, createConfluenceClient, resolveAuth } from '../../src/connectors/confluence/client';
import { PermissionsSchema } from '../../src/connectors/confluence/config';
import type { Element } from '../../src/core/elements';
import { decodePermissionsVersion, encodePermissionsVersion, isRevoked } from '../../src/core/permissionsVersion';
import { PgDatabases } from '../../src/core/pgDatabases';
import { workerDestinations } from '../../src/pipeline/activities/destinations';
import { permissionsActivities } from '../../src/pipeline/activities/permissions';
import { pageCommit } from '../support/checkpointRecords';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5, spaces: 1, pagesPerSpace: 12, users: 6, permissions: 'restricted' });
});
afterAll(async () => {
  await sim?.close();
  await closeConfluencePools();
});

const GRANTED = [{ read: { users: ['everyone-before'], groups: [] } }];

async function written(versions: Record<string, string>) {
  const admin = sim.site.users[0];
  const { site, secrets } = resolveAuth({ url: sim.url, cloud: true, username: admin.email, apiToken: admin.apiToken });
  const client = createConfluenceClient(site, secrets);
  const outputDir = mkdtempSync(join(tmpdir(), 'sync-'));
  mkdirSync(join(outputDir, 'ENG'));
  const destinations = workerDestinations({}, new PgDatabases());
  const { checkpoint } = destinations({ outputDir });
  for (const [id, permissionsVersion] of Object.entries(versions)) {
    const output = join(outputDir, 'ENG', `${id}.html.json`);
    writeFileSync(
      output,
      JSON.stringify([{ type: 'Title', text: 't', metadata: { data_source: { permissions_data: GRANTED } } }]),
    );
    await checkpoint.commit(
      pageCommit(site.url, id, 1, { outputPaths: [output], ...(permissionsVersion ? { permissionsVersion } : {}) }),
    );
  }
  const { syncPermissions } = permissionsActivities(() => client, destinations);
  const sync = (ids: string[], ingests: boolean, run: string) =>
    syncPermissions({
      outputDir,
      site,
      permissions: { ...PermissionsSchema.parse({}), run },
      ingests,
      pages: ids.map((id) => ({ id, spaceId: sim.site.spaces[0].id, spaceKey: sim.site.spaces[0].key })),
    });
  const readers = (id: string) =>
    (JSON.parse(readFileSync(join(outputDir, 'ENG', `${id}.html.json`), 'utf8')) as Element[])[0].metadata.data_source
      ?.permissions_data?.[0].read;
  return { sync, readers, record: (id: string) => checkpoint.get(site.url, id) };
}

it('rewrites a plain page in place, and never rewrites one of unknown or composite make with its own grants', async () => {
  const pages = sim.site.pages.filter((p: SimPage) => p.type === 'page' && p.status === 'current');
  const [plain, unknown, composite, revoked] = pages.map((p) => p.id);
  const stale = 'p1.0.0.0.0';
  const dependency = { page: { id: pages[5].id, spaceId: pages[5].spaceId, spaceKey: 'ENG' }, fingerprint: stale };
  const { sync, readers, record } = await written({
    [plain]: stale,
    [unknown]: '',
    [composite]: encodePermissionsVersion({ own: stale, dependencies: [dependency] }),
    [revoked]: 'unproven',
  });

  const checked = await sync([plain, unknown, composite, revoked], true, 'run-1');
  expect(checked.ingestAgain.sort()).toEqual([unknown, composite, revoked].sort());
  expect(readers(plain)?.users).not.toContain('everyone-before');
  for (const id of [unknown, composite]) expect(readers(id)?.users, id).toEqual(['everyone-before']);

  // A run that ingests nothing cannot rewrite them either: they grant no one until one that does ingests them.
  const permissionsOnly = await sync([unknown, composite], false, 'run-2');
  expect(permissionsOnly.ingestAgain).toEqual([]);
  for (const id of [unknown, composite]) expect(readers(id), id).toEqual({ users: [], groups: [] });
  expect(isRevoked((await record(composite))?.permissionsVersion)).toBe(true);
  expect(decodePermissionsVersion((await record(composite))?.permissionsVersion)?.dependencies).toEqual([dependency]);
  // Once revoked, the next run that ingests takes them in again rather than rewriting them.
  expect((await sync([unknown, composite], true, 'run-3')).ingestAgain.sort()).toEqual([unknown, composite].sort());
});
