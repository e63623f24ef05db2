// Every activity the worker registers, built over the worker's injected dependencies.
import { clientCache, type ActivityDeps } from './deps';
import { indexActivities } from './indexer';
import { downloadActivities } from './download';
import { partitionActivities } from './partition';
import { uploadActivities } from './upload';
import { checkpointActivities } from './checkpoint';
import { chunkActivities } from './chunk';
import { embedActivities } from './embed';
import { validateActivities } from './validate';
import { reportActivities } from './report';
import { sweepActivities } from './sweep';
import { permissionActivities } from './permissions';
import { extractActivities } from './extract';

export function createActivities(deps: ActivityDeps) {
  const client = clientCache(deps);
  return {
    ...validateActivities,
    ...indexActivities(client),
    ...downloadActivities(client),
    ...permissionActivities(client),
    ...extractActivities(client, deps),
    ...partitionActivities(deps),
    ...chunkActivities,
    ...embedActivities(deps),
    ...uploadActivities,
    ...checkpointActivities(),
    ...reportActivities,
    ...sweepActivities,
  };
}

export type Activities = ReturnType<typeof createActivities>;
