/**
 * Folding live deltas into a list read from the server, by id: each row with a delta is
 * replaced by `apply(row, delta)`, others are kept as they are (same object, so the grid keeps
 * them); the ids of deltas for rows the list does not hold are returned, for the page to read
 * the list again or ignore them. Shared by the jobs and hosts lists.
 */
export function mergeDeltasById<Row extends { id: string }, Delta extends { id: string }>(
  rows: readonly Row[],
  deltas: readonly Delta[],
  apply: (row: Row, delta: Delta) => Row,
): { rows: Row[]; unknown: string[] } {
  const byId = new Map(deltas.map((d) => [d.id, d]));
  const seen = new Set<string>();
  const next = rows.map((row) => {
    const d = byId.get(row.id);
    if (!d) return row;
    seen.add(row.id);
    return apply(row, d);
  });
  return { rows: next, unknown: [...byId.keys()].filter((id) => !seen.has(id)) };
}
