// Every activity the worker registers, built over the worker's injected dependencies.
import { checkpointActivities } from './checkpoint';
import { confluenceActivities } from './confluence';
import { clientCache, type ActivityDeps } from './deps';
import { workerDestinations } from './destinations';
import type { PgDatabases } from '../../core/pgDatabases';
import { embedActivities, embedderCache, newEmbedder } from './embed';
import { Handoffs } from './handoff';
import { partitionActivities } from './partition';
import { permissionsActivities } from './permissions';
import { reportActivities } from './report';
import { sweepActivities } from './sweep';
import { uploadActivities } from './upload';
import { validateActivities } from './validate';

export function createActivities(deps: ActivityDeps, databases: PgDatabases) {
  const destinations = workerDestinations(deps, databases);
  const embedders = embedderCache(deps);
  const handoffs = new Handoffs(deps.host);
  return {
    ...validateActivities(destinations, newEmbedder(deps)),
    ...confluenceActivities(clientCache(deps, databases), deps, handoffs),
    ...partitionActivities(deps, handoffs),
    ...embedActivities(embedders, handoffs),
    ...uploadActivities(destinations, handoffs),
    ...checkpointActivities(destinations),
    ...permissionsActivities(clientCache(deps, databases), destinations),
    ...reportActivities,
    ...sweepActivities,
  };
}

export type Activities = ReturnType<typeof createActivities>;
