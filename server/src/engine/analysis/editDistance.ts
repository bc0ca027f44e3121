/** Edit distance of label values, bounded for hostile input. */

/** Two rows of the distance matrix, reused by every call (the engine is single-threaded). */
const ROWS = [new Uint16Array(129), new Uint16Array(129)] as const;

/**
 * Levenshtein distance of the first 128 characters (hostile label values stay cheap). With a
 * `limit`, any distance above it is reported as `limit + 1` as soon as it is certain.
 */
export function editDistance(left: string, right: string, limit = Number.MAX_SAFE_INTEGER): number {
  const aLength = Math.min(left.length, 128);
  const bLength = Math.min(right.length, 128);
  if (Math.abs(aLength - bLength) > limit) return limit + 1;
  let previous: Uint16Array = ROWS[0];
  let current: Uint16Array = ROWS[1];
  for (let j = 0; j <= bLength; j++) previous[j] = j;
  for (let i = 1; i <= aLength; i++) {
    current[0] = i;
    let rowMinimum = i;
    const code = left.charCodeAt(i - 1);
    for (let j = 1; j <= bLength; j++) {
      const substitution = previous[j - 1]! + (code === right.charCodeAt(j - 1) ? 0 : 1);
      const deletion = previous[j]! + 1;
      const insertion = current[j - 1]! + 1;
      const value = substitution < deletion ? (substitution < insertion ? substitution : insertion) : deletion < insertion ? deletion : insertion;
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return limit + 1;
    const swap = previous;
    previous = current;
    current = swap;
  }
  const distance = previous[bLength]!;
  return distance > limit ? limit + 1 : distance;
}
