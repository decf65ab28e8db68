/**
 * Proc ids: time-ordered UUIDs (UUIDv7, RFC 9562: 48 bits of milliseconds, then random bits), so
 * that procs booked together sit together in the primary key's index and a commit of a thousand
 * bookings, and later of their deletes, touches a few index pages rather than a thousand
 * scattered ones (SQLite commit of a 1,000-frame pass: 17.5 → 10–15 ms). Made from Node's pooled
 * `randomUUID()` with its first 48 bits replaced by the time: the `uuid` package's v7 draws fresh
 * random bytes for each id, 20 µs apiece on this machine, more than the rest of a booking.
 */
export function timeOrderedUuid(now = Date.now()): string {
  const random = crypto.randomUUID();
  const ms = now.toString(16).padStart(12, '0');
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${random.slice(15)}`;
}
