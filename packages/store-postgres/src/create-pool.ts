import pg from 'pg';

/**
 * A pg Pool that survives the server going away. A Pool emits 'error' when an idle connection dies (a
 * PostgreSQL restart); without a listener Node treats it as uncaught and exits. The dead connection is
 * discarded and the next query opens a new one, so listening is all recovery takes.
 */
export function createPool(connectionString: string, onError: (error: Error) => void = () => {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 10_000 });
  pool.on('error', onError);
  return pool;
}
