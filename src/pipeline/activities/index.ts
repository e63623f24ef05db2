// Every activity the worker registers, built over the worker's injected dependencies.
import { localUploader } from '../../destinations/local';
import { checkpointActivities, checkpointStores } from './checkpoint';
import { confluenceActivities } from './confluence';
import { clientCache, type ActivityDeps } from './deps';
import { embedActivities } from './embed';
import { Handoffs } from './handoff';
import { partitionActivities } from './partition';
import { reportActivities } from './report';
import { sweepActivities } from './sweep';
import { uploadActivities } from './upload';
import { validateActivities } from './validate';

export function createActivities(deps: ActivityDeps) {
  const checkpoints = checkpointStores(deps.checkpointUrl);
  const handoffs = new Handoffs(deps.host);
  return {
    ...validateActivities,
    ...confluenceActivities(clientCache(deps), deps, handoffs),
    ...partitionActivities(deps, handoffs),
    ...embedActivities(deps, handoffs),
    ...uploadActivities(checkpoints, localUploader, handoffs),
    ...checkpointActivities(checkpoints, localUploader),
    ...reportActivities,
    ...sweepActivities,
  };
}

export type Activities = ReturnType<typeof createActivities>;
