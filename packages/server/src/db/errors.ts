/**
 * Whether a database error is a unique violation (SQLSTATE 23505), optionally of one named constraint. The
 * drivers differ in where they put it: pg on the error itself, Drizzle's wrapper and PGlite on its `cause`
 * (PGlite names the constraint only in the message).
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as {
    code?: string;
    constraint?: string;
    cause?: { code?: string; constraint?: string; message?: string };
  };
  if ((e?.code ?? e?.cause?.code) !== '23505') return false;
  if (!constraint) return true;
  const name = e.constraint ?? e.cause?.constraint ?? '';
  return name === constraint || (e.cause?.message ?? '').includes(constraint);
}
