/**
 * Cutting a byte stream into strings without splitting a character: a log chunk ends at the last
 * complete UTF-8 sequence and the rest waits for the next chunk, so chunks join into the file.
 */

/** How many leading bytes of `buf` form complete UTF-8 sequences (invalid bytes count as complete). */
export function completeUtf8Length(buf: Uint8Array): number {
  const end = buf.length;
  for (let back = 1; back <= Math.min(3, end); back++) {
    const byte = buf[end - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: keep looking for its lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? end - back : end;
  }
  return end;
}
