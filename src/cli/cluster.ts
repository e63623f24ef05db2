// A client of the cluster at --temporal-address: `confluence` (when given one) and `status`.
import { Client, Connection } from '@temporalio/client';
import { dataConverterFor } from '../temporal/dataConverter';
import { reachTemporal } from '../temporal/reach';
import type { TemporalFlags } from './options/temporal';

export const MISSING_ADDRESS = 'missing Temporal address: give --temporal-address host:7233 or set TEMPORAL_ADDRESS';

/** Encrypts payloads when a key file is given. */
export async function clusterClient(flags: TemporalFlags): Promise<Client> {
  const address = flags.temporalAddress;
  if (!address) throw new Error(MISSING_ADDRESS);
  const connection = await reachTemporal(address, () => Connection.connect({ address }));
  return new Client({
    connection,
    namespace: flags.namespace,
    dataConverter: dataConverterFor(flags.encryptionKeyFile),
  });
}
