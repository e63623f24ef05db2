// Every step writes somewhere (the work dir, the output, the checkpoint): a full disk fails any of them the same way,
// as a non-retryable DiskFull that names the file, so the ingest stops at once instead of retrying each page ten times.
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptors } from '@temporalio/worker';
import { asDiskFull } from '../../core/diskFull';
import { FAILURE, failureOf } from '../../core/failures';

export function diskFullInterceptors(): ActivityInterceptors {
  return {
    inbound: {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (err) {
          const full = asDiskFull(err);
          throw full ? ApplicationFailure.create(failureOf(FAILURE.DiskFull, full.message)) : err;
        }
      },
    },
  };
}
