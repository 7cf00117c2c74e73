/** How PostgreSQL's refusals are recognised under drizzle, which wraps the driver's error (as its `cause`). */
import pg from 'pg';

/**
 * True when `e`, or an error it wraps, is the server's answer (a refusal, the transaction rolled back), not a
 * connection lost, reset or timed out.
 */
export function answeredByServer(e: unknown): boolean {
  for (let err: unknown = e; err instanceof Error; err = err.cause)
    if (err instanceof pg.DatabaseError) return true;
  return false;
}

/** True when `e`, or an error it wraps, is PostgreSQL refusing a duplicate key of `constraint` (SQLSTATE 23505). */
export function violates(e: unknown, constraint: string): boolean {
  for (let err: unknown = e; err instanceof Error; err = err.cause) {
    const pgError = err as Error & { code?: unknown; constraint?: unknown };
    if (pgError.code === '23505' && pgError.constraint === constraint) return true;
  }
  return false;
}
