// Every activity the worker registers, built over the worker's injected dependencies.
import { localUploader } from '../../destinations/local';
import { checkpointActivities, checkpointStores } from './checkpoint';
import { confluenceActivities } from './confluence';
import { clientCache, type ActivityDeps } from './deps';
import { embedActivities } from './embed';
import { partitionActivities } from './partition';
import { reportActivities } from './report';
import { sweepActivities } from './sweep';
import { uploadActivities } from './upload';
import { validateActivities } from './validate';

export function createActivities(deps: ActivityDeps) {
  const checkpoints = checkpointStores();
  return {
    ...validateActivities,
    ...confluenceActivities(clientCache(deps), deps),
    ...partitionActivities(deps),
    ...embedActivities(deps),
    ...uploadActivities(checkpoints, localUploader),
    ...checkpointActivities(checkpoints, localUploader),
    ...reportActivities,
    ...sweepActivities,
  };
}

export type Activities = ReturnType<typeof createActivities>;
