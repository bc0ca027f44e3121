/**
 * Compact storage for what the model keeps of every object of a workspace: one shared copy of each
 * string (`intern`), and lists without spare room (`fitted`).
 *
 * `intern`: one shared copy of each string the model keeps (names, kinds, label keys and values,
 * port names).
 *
 * Strings cut from a file text are slices that keep the whole text alive, and the same label key or
 * value is written in thousands of files (`app.kubernetes.io/name`, `http`, `TCP`). Objects outlive
 * their text, so every string they keep goes through `intern`: the first time a text is seen it is
 * copied out of the file, and later occurrences get that copy. At 10,000 Services the model's
 * strings fall from 28.5 to 14.7 MB (74,070 distinct texts among 657,000 strings).
 *
 * The pool is a cache of at most `POOL_LIMIT` strings of at most `INTERNED_LENGTH` characters; it is
 * emptied when full, so its size is bounded whatever the workspace holds. Interning never changes a
 * value: `intern(value) === value` as text.
 *
 * In front of the pool sits a small direct-mapped cache of recent strings, indexed by the length
 * and three characters of a string: the few hundred texts that make most of the model (`app`,
 * `TCP`, `http`, common label keys) are found there by one comparison, without hashing the string
 * and probing a map of tens of thousands of entries (a third of the time interning took).
 */

/** Strings kept in the pool before it is emptied. */
const POOL_LIMIT = 1 << 17;
/** Longer strings are copied but not pooled (a Kubernetes name is at most 253 characters). */
const INTERNED_LENGTH = 256;
/** Below this length V8 copies a slice instead of pointing into the text, so no copy is needed. */
const SLICE_MIN_LENGTH = 13;

const pool = new Map<string, string>();

/** Slots of the cache of recent strings (a power of two). */
const RECENT_SLOTS = 4096;
const recent: string[] = new Array<string>(RECENT_SLOTS).fill('');

/** The slot in `recent` of the non-empty text `text[start, start + length)`: its length and its first, middle and last characters. */
function recentSlot(text: string, start: number, length: number): number {
  return (length * 0x9e5 + text.charCodeAt(start) * 0x3b + text.charCodeAt(start + (length >> 1)) * 0x1f3 + text.charCodeAt(start + length - 1)) & (RECENT_SLOTS - 1);
}

/** A copy of `value` that keeps no file text alive, shared with every equal string interned before. */
export function intern(value: string): string {
  const length = value.length;
  if (length === 0) return '';
  if (length > INTERNED_LENGTH) return copy(value);
  const slot = recentSlot(value, 0, length);
  const cached = recent[slot]!;
  if (cached === value) return cached;
  let known = pool.get(value);
  if (known === undefined) {
    if (pool.size >= POOL_LIMIT) pool.clear();
    known = copy(value);
    pool.set(known, known);
  }
  recent[slot] = known;
  return known;
}

/**
 * `intern(text.slice(start, end))`, without cutting the slice when the recent-strings cache holds
 * the text: it is compared in place.
 */
export function internRange(text: string, start: number, end: number): string {
  const length = end - start;
  if (length === 0) return '';
  if (length <= INTERNED_LENGTH) {
    const cached = recent[recentSlot(text, start, length)]!;
    if (cached.length === length) {
      let at = 0;
      while (at < length && cached.charCodeAt(at) === text.charCodeAt(start + at)) at++;
      if (at === length) return cached;
    }
  }
  return intern(text.slice(start, end));
}

function copy(value: string): string {
  return value.length < SLICE_MIN_LENGTH ? value : (' ' + value).slice(1);
}

/** The one empty list the model keeps (never changed). */
export const NO_ITEMS: readonly never[] = Object.freeze([]);

/**
 * The items of a list built by `push`, in a list of exactly their number, or one shared empty list.
 * A list grown by `push` keeps room for about 16 more items; the model keeps hundreds of thousands
 * of short lists (labels, ports, containers), so it keeps them fitted. The result must not be
 * changed.
 */
export function fitted<T>(items: readonly T[]): readonly T[] {
  return items.length === 0 ? NO_ITEMS : items.slice();
}
