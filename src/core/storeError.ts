// What goes wrong with a store: the checkpoint's or the destination's, one class whose role names its failure type
// (core/failures.ts), so both are worded, retried and mapped to an exit code the same way.
import { FAILURE } from './failures';

export type StoreRole = 'checkpoint' | 'destination';

const TYPE_OF = { checkpoint: FAILURE.CheckpointError, destination: FAILURE.DestinationError } as const;

export class StoreError extends Error {
  override readonly name: (typeof TYPE_OF)[StoreRole];
  /** True when the same call may succeed later unchanged (the database restarting); false when a person must act. */
  readonly transient: boolean;

  constructor(
    readonly role: StoreRole,
    message: string,
    options: { transient?: boolean } = {},
  ) {
    super(message);
    this.name = TYPE_OF[role];
    this.transient = options.transient ?? false;
  }
}
