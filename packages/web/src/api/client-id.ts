/**
 * A client-generated id (UUID v4) for a write the client may retry (a signature, a reading, an answer): one per
 * attempt, so the server recognises a retry. crypto.randomUUID exists only in secure contexts (https, localhost:
 * not the demo opened by its address on a phone); getRandomValues works everywhere.
 */
export function clientId(): string {
  if (typeof globalThis.crypto?.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
