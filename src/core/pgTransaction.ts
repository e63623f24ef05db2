// One transaction on one pooled connection, for every PostgreSQL store (the checkpoint, the destination table).
import type pg from 'pg';

/**
 * Runs `work` between BEGIN and COMMIT, or ROLLBACK when it says not to commit or throws (its error is rethrown as is,
 * for the caller to word). A connection whose ROLLBACK fails is in an unknown state and is dropped, not reused.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<{ commit: boolean; value: T }>,
): Promise<T> {
  let client: pg.PoolClient | undefined;
  try {
    client = await pool.connect();
    await client.query('BEGIN');
    const { commit, value } = await work(client);
    await client.query(commit ? 'COMMIT' : 'ROLLBACK');
    client.release();
    return value;
  } catch (err) {
    if (client) {
      const healthy = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.release(!healthy);
    }
    throw err;
  }
}
