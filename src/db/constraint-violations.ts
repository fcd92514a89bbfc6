/*
 * Which constraint refused a write, for both databases: better-sqlite3's SQLITE_CONSTRAINT_*
 * codes and PostgreSQL's SQLSTATEs. A write the service's own checks let through can still
 * meet another one committed at the same instant; callers decide what that means to them.
 */

function codeOf(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code;
}

/** A unique index refused the row (SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  const code = codeOf(err);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** A foreign key refused the row: what it points at is gone, or what points at it remains (SQLSTATE 23503). */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = codeOf(err);
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}
