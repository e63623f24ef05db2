// The chunk step (only with --chunking-strategy): elements -> chunks, Unstructured's basic or by_title.
import type { IngestInput } from '../config';
import { chunkElements } from '../chunking';
import { readElements, writeStepOutput, type StepOutput } from './elementFiles';

export const chunkActivities = {
  async chunkPage({ job, elementsPath }: { job: IngestInput; elementsPath: string }): Promise<StepOutput> {
    if (!job.chunking) throw new Error('chunkPage called without a chunking config');
    return writeStepOutput(elementsPath, 'chunks', chunkElements(await readElements(elementsPath), job.chunking));
  },
};
