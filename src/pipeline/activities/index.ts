// Every activity the worker registers, built over the worker's injected dependencies.
import { clientCache, type ActivityDeps } from './deps';
import { indexActivities } from './indexer';
import { downloadActivities } from './download';
import { partitionActivities } from './partition';
import { uploadActivities } from './upload';
import { checkpointActivities, checkpointStores } from './checkpoint';
import { embedActivities } from './embed';
import { validateActivities } from './validate';
import { reportActivities } from './report';
import { sweepActivities } from './sweep';
import { extractActivities } from './extract';

export function createActivities(deps: ActivityDeps) {
  const client = clientCache(deps);
  const checkpoints = checkpointStores();
  return {
    ...validateActivities,
    ...indexActivities(client),
    ...downloadActivities(client),
    ...extractActivities(client, deps),
    ...partitionActivities(deps),
    ...embedActivities(deps),
    ...uploadActivities(checkpoints),
    ...checkpointActivities(checkpoints),
    ...reportActivities,
    ...sweepActivities,
  };
}

export type Activities = ReturnType<typeof createActivities>;
