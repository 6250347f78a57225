/** Which timeline pages a range of list rows needs. Pure, so it is tested without a browser. */

/** Timeline position of list row `row`: rows are positions, unless a filter picked some. */
export function positionOf(row: number, positions: readonly number[] | null): number {
  return positions ? positions[row]! : row;
}

/** Pages holding rows first-1 … last (the row before the first decides its day heading). */
export function pagesFor(first: number, last: number, positions: readonly number[] | null, pageSize: number, rows: number): number[] {
  const pages = new Set<number>();
  for (let row = Math.max(0, first - 1); row <= Math.min(last, rows - 1); row++) {
    pages.add(Math.floor(positionOf(row, positions) / pageSize));
  }
  return [...pages];
}

/** First list row whose timeline position is `position` or later (rows.length when none is). */
export function firstRowAtOrAfter(position: number, positions: readonly number[] | null): number {
  if (!positions) return position;
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (positions[mid]! < position) low = mid + 1;
    else high = mid;
  }
  return low;
}
