/** A clock reading (milliseconds since the epoch) as the RFC 3339 timestamp the contracts carry. */
export function isoTime(timeMs: number): string {
  return new Date(timeMs).toISOString();
}
