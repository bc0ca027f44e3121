/**
 * Which parts of a Kubernetes document the rules read. Everything else is skipped without being
 * parsed: this is what keeps indexing a large workspace fast (ConfigMap payloads, env lists,
 * probes, resources and annotations are most of the bytes and matter to no rule).
 */

import { plainKeyText } from './scalars';

export interface Schema {
  /** Keep the whole subtree (label maps). */
  readonly any?: true;
  /** For a mapping: the keys to keep, each with its own schema. */
  readonly keys?: Readonly<Record<string, Schema>>;
  /** For a sequence: the schema of each item. */
  readonly items?: Schema;
  /**
   * For a mapping: also list the keys it does not keep (`PMap.skipped`), where a misspelt field
   * would hide a field the rules read (rules/field-misspelt.ts).
   */
  readonly recordSkipped?: true;
}

export const LEAF: Schema = {};
export const ANY_SCHEMA: Schema = { any: true };
const ANY = ANY_SCHEMA;

const CONTAINER_PORT: Schema = { keys: { name: LEAF, containerPort: LEAF, protocol: LEAF }, recordSkipped: true };

/** Only the presence of a probe matters (a container without one is ready as soon as it starts). */
const PRESENCE: Schema = { keys: {} };

const CONTAINER: Schema = {
  keys: {
    name: LEAF,
    ports: { items: CONTAINER_PORT },
    restartPolicy: LEAF,
    env: { items: { keys: { name: LEAF } } },
    readinessProbe: PRESENCE,
  },
  recordSkipped: true,
};

const POD_SPEC_KEYS = {
  containers: { items: CONTAINER },
  initContainers: { items: CONTAINER },
  hostname: LEAF,
  subdomain: LEAF,
  enableServiceLinks: LEAF,
} as const;

const POD_SPEC: Schema = { keys: POD_SPEC_KEYS, recordSkipped: true };

const TEMPLATE_METADATA: Schema = { keys: { name: LEAF, namespace: LEAF, labels: ANY }, recordSkipped: true };

const POD_TEMPLATE: Schema = { keys: { metadata: TEMPLATE_METADATA, spec: POD_SPEC } };

/** The suppression annotation is the only annotation read. */
export const SUPPRESSION_ANNOTATION = 'service-lens/disable';

const OBJECT_METADATA: Schema = {
  keys: {
    name: LEAF,
    namespace: LEAF,
    labels: ANY,
    annotations: { keys: { [SUPPRESSION_ANNOTATION]: LEAF } },
  },
  recordSkipped: true,
};

/**
 * The schemas of a mapping's keys, for lookups by keys read from a file. Such a key is a fresh
 * string: a lookup in an object first looks for its interned copy, and one in a `Map` hashes it
 * (both a large share of the indexing time when every key of every kept mapping is looked up). Here
 * the keys are grouped by length, and a key is compared with the few of its length, which for most
 * keys (those of another length) costs nothing. A key such as `constructor` finds no
 * `Object.prototype` member.
 */
export class KeyTable {
  /** Per key length, the keys of that length and their schemas (pairs). */
  private readonly byLength: (readonly (string | Schema)[] | undefined)[] = [];
  /** The keys that read as written when plain (`plainKeyText`) and their schemas, for `find`. */
  private readonly plainKeys: string[] = [];
  private readonly plainSchemas: Schema[] = [];
  /** Per key length, the indexes in `plainKeys` of the keys of that length. */
  private readonly plainByLength: (readonly number[] | undefined)[] = [];
  /**
   * Per `slotOf` hash, the index in `plainKeys` of the one key with that hash, `NO_KEY` when no
   * key has it (the key read is not in the table) or `SEVERAL_KEYS` (then its length's keys are
   * compared). Most keys read are told apart by this one lookup, and a key of the table is then
   * compared with its one candidate.
   */
  private readonly slots: Int32Array;
  readonly size: number;

  constructor(keys: Readonly<Record<string, Schema>>) {
    const entries = Object.entries(keys);
    this.size = entries.length;
    for (const [key, schema] of entries) {
      const bucket = (this.byLength[key.length] ??= []) as (string | Schema)[];
      bucket.push(key, schema);
      if (plainKeyText(key) !== key) continue;
      ((this.plainByLength[key.length] ??= []) as number[]).push(this.plainKeys.length);
      this.plainKeys.push(key);
      this.plainSchemas.push(schema);
    }
    let size = 16;
    while (size < this.plainKeys.length * 4) size *= 2;
    this.slots = new Int32Array(size).fill(NO_KEY);
    for (const [index, key] of this.plainKeys.entries()) {
      const slot = key.length === 0 ? 0 : slotOf(key, 0, key.length, size - 1);
      this.slots[slot] = this.slots[slot] === NO_KEY ? index : SEVERAL_KEYS;
    }
  }

  /**
   * The index of the key of this table that the plain key `text[start, end)` reads as (for
   * `keyAt` and `schemaAt`), or -1. Compares in place: a key the table holds needs no string of its
   * own, and `keyAt` gives the table's (interned) copy. A plain key not found here that reads as
   * written is not in the table at all (every table key that reads as written is found here).
   */
  find(text: string, start: number, end: number): number {
    const length = end - start;
    if (length > 0) {
      const candidate = this.slots[slotOf(text, start, end, this.slots.length - 1)]!;
      if (candidate === NO_KEY) return -1;
      if (candidate !== SEVERAL_KEYS) {
        const key = this.plainKeys[candidate]!;
        if (key.length !== length) return -1;
        let at = 0;
        while (at < length && text.charCodeAt(start + at) === key.charCodeAt(at)) at++;
        return at === length ? candidate : -1;
      }
    }
    const bucket = this.plainByLength[length];
    if (bucket === undefined) return -1;
    // Compared a character at a time: most candidates differ at the first (`startsWith` costs a call each).
    for (const index of bucket) {
      const key = this.plainKeys[index]!;
      let at = 0;
      while (at < key.length && text.charCodeAt(start + at) === key.charCodeAt(at)) at++;
      if (at === key.length) return index;
    }
    return -1;
  }

  /** The key at an index `find` gave. */
  keyAt(index: number): string {
    return this.plainKeys[index]!;
  }

  /** The schema of the key at an index `find` gave. */
  schemaAt(index: number): Schema {
    return this.plainSchemas[index]!;
  }

  /** The schema of `key`, or undefined when the mapping does not keep it. */
  get(key: string): Schema | undefined {
    const bucket = this.byLength[key.length];
    if (bucket === undefined) return undefined;
    for (let index = 0; index < bucket.length; index += 2) if (bucket[index] === key) return bucket[index + 1] as Schema;
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
}

/** `KeyTable.slots` entries: no key has the slot; several keys have it. */
const NO_KEY = -1;
const SEVERAL_KEYS = -2;

/** The slot (`mask` + 1 slots, a power of two) of the non-empty key `text[start, end)`: its length, first and last characters. */
function slotOf(text: string, start: number, end: number, mask: number): number {
  return (Math.imul(end - start, 0x9e3779b1) ^ Math.imul(text.charCodeAt(start), 31) ^ Math.imul(text.charCodeAt(end - 1), 0x85ebca6b)) >>> 7 & mask;
}

const KEY_TABLES = new WeakMap<Schema, KeyTable>();
const NO_KEYS = new KeyTable({});

/** The key table of a schema (`KeyTable`), built once per schema. */
export function keyTable(schema: Schema): KeyTable {
  let table = KEY_TABLES.get(schema);
  if (table === undefined) {
    table = schema.keys ? new KeyTable(schema.keys) : NO_KEYS;
    KEY_TABLES.set(schema, table);
  }
  return table;
}

/**
 * The union of two schemas: keys of both (merged recursively), items of both, `any` when either
 * keeps everything. Kind modules declare the fields they read; the document schema is their union.
 */
export function mergeSchemas(left: Schema, right: Schema): Schema {
  if (left.any || right.any) return ANY;
  const keys: Record<string, Schema> = { ...(left.keys ?? {}) };
  for (const [key, schema] of Object.entries(right.keys ?? {})) {
    const existing = keys[key];
    keys[key] = existing ? mergeSchemas(existing, schema) : schema;
  }
  const items = left.items && right.items ? mergeSchemas(left.items, right.items) : (left.items ?? right.items);
  const merged: { keys?: Record<string, Schema>; items?: Schema; recordSkipped?: true } = {};
  if (left.keys || right.keys) merged.keys = keys;
  if (items) merged.items = items;
  if (left.recordSkipped || right.recordSkipped) merged.recordSkipped = true;
  return merged;
}

/** A schema that keeps `leaf` at a key path (`*` is every item of a sequence). */
export function schemaAt(path: readonly string[], leaf: Schema): Schema {
  let schema = leaf;
  for (let index = path.length - 1; index >= 0; index--) {
    const key = path[index]!;
    schema = key === '*' ? { items: schema } : { keys: { [key]: schema } };
  }
  return schema;
}

/** What every object keeps: its identity, metadata and the suppression annotation. */
export const OBJECT_SCHEMA: Schema = {
  keys: { apiVersion: LEAF, kind: LEAF, metadata: OBJECT_METADATA, spec: { keys: {}, recordSkipped: true } },
};

export { ANY, POD_TEMPLATE, POD_SPEC };
