/**
 * Which parts of a Kubernetes document the rules read. Everything else is skipped without being
 * parsed: this is what keeps indexing a large workspace fast (ConfigMap payloads, env lists,
 * probes, resources and annotations are most of the bytes and matter to no rule).
 */

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

const KEY_TABLES = new WeakMap<Schema, ReadonlyMap<string, Schema>>();
const NO_KEYS: ReadonlyMap<string, Schema> = new Map();

/**
 * The schemas of a mapping's keys as a map, built once per schema. Readers look keys up here rather
 * than in `keys`: a key read from a file is a fresh string (a property lookup with it first looks
 * for its interned copy, a large share of the indexing time), and a key such as `constructor` must
 * not find an `Object.prototype` member.
 */
export function keyTable(schema: Schema): ReadonlyMap<string, Schema> {
  let table = KEY_TABLES.get(schema);
  if (table === undefined) {
    table = schema.keys ? new Map(Object.entries(schema.keys)) : NO_KEYS;
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
