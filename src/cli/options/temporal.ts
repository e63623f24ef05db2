// Where Temporal is and how to talk to it, and where a worker keeps the checkpoint: options of `confluence`, `worker`
// and `status`.
import { DEFAULT_TASK_QUEUE } from '../../pipeline/config';
import { ENCRYPTION_KEY_FILE_ENV } from '../../temporal/dataConverter';
import type { FlagsOf } from './spec';

export const ENCRYPTION_OPTIONS = {
  encryptionKeyFile: {
    flags: '--encryption-key-file <path>',
    help: "AES-256-GCM key file: encrypt payloads (must match the workers')",
    env: ENCRYPTION_KEY_FILE_ENV,
  },
} as const;

export const DEFAULT_NAMESPACE = 'default';

export const NAMESPACE_OPTIONS = {
  namespace: {
    flags: '--namespace <name>',
    help: 'Temporal namespace',
    env: 'TEMPORAL_NAMESPACE',
    default: DEFAULT_NAMESPACE,
  },
} as const;

export const TEMPORAL_OPTIONS = {
  temporalAddress: {
    flags: '--temporal-address <host:port>',
    help: 'Temporal frontend',
    shownDefault: 'an embedded dev server',
    env: 'TEMPORAL_ADDRESS',
  },
  ...NAMESPACE_OPTIONS,
  taskQueue: { flags: '--task-queue <name>', help: 'task queue of the workers', default: DEFAULT_TASK_QUEUE },
  ...ENCRYPTION_OPTIONS,
} as const;

/** A worker's checkpoint: `confluence` (its in-process worker) and `worker`. Holds a password, so it stays there. */
export const CHECKPOINT_OPTIONS = {
  checkpointUrl: {
    flags: '--checkpoint-url <url>',
    help: 'keep the checkpoint in this PostgreSQL database (all workers share it)',
    shownDefault: 'a SQLite file in each output dir',
    env: 'DURABLE_INGEST_CHECKPOINT_URL',
    secret: true,
  },
} as const;

export type TemporalFlags = FlagsOf<typeof TEMPORAL_OPTIONS & typeof CHECKPOINT_OPTIONS>;
