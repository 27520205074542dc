import { Invalid } from '../errors.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque keyset cursors: base64url JSON of the last row's sort key. A tampered cursor is a 400, not a 500. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string, fields: readonly K[]): Record<K, string> {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const result = {} as Record<K, string>;
    for (const field of fields) {
      const value = parsed[field];
      if (typeof value !== 'string' && typeof value !== 'number') throw new Error(field);
      // Key fields named like ids go into uuid comparisons: check them here rather than fail in SQL.
      if (field.endsWith('id') && !uuidPattern.test(String(value))) throw new Error(field);
      result[field] = String(value);
    }
    return result;
  } catch {
    throw new Invalid('The cursor is not valid.', [
      { path: 'cursor', message: 'Use the nextCursor of a previous page.' },
    ]);
  }
}
