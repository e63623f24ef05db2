// Every activity the worker registers, built over the worker's injected dependencies.
import { clientCache, type ActivityDeps } from './deps';
import { indexActivities } from './indexer';
import { downloadActivities } from './download';
import { partitionActivities } from './partition';
import { uploadActivities } from './upload';
import { checkpointActivities } from './checkpoint';
import { chunkActivities } from './chunk';
import { embedActivities } from './embed';

export function createActivities(deps: ActivityDeps) {
  const client = clientCache(deps);
  return {
    ...indexActivities(client),
    ...downloadActivities(client),
    ...partitionActivities(deps),
    ...chunkActivities,
    ...embedActivities(deps),
    ...uploadActivities,
    ...checkpointActivities(),
  };
}

export type Activities = ReturnType<typeof createActivities>;
