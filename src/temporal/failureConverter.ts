// Loaded by path (the worker bundles it into the workflow sandbox), so it imports nothing with side effects.
// Failure messages and stack traces can quote page text; encoded as payloads, they pass through the codec.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
