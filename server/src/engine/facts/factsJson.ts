/**
 * File facts as plain JSON data, for a cache of facts between sessions: `factsToJson` writes them,
 * `factsFromJson` reads them back and returns undefined for anything that is not what
 * `factsToJson` writes (a cache is never trusted: the caller reads the file again instead).
 * Pure: reading and writing the cache file is the caller's (io/factCache.ts).
 */
import type { KubeObject, ObjectFacts } from '../model/objects';
import { LineIndex, type LineIndexJson } from '../syntax/lines';
import type { FileFacts } from './fileFacts';

/** Bumped whenever the shape of facts, or what they hold for a text, changes; part of the key of every cache. */
export const FACTS_FORMAT = 8;

export interface FactsJson {
  readonly lines: LineIndexJson;
  readonly objects: readonly ObjectFacts[];
  readonly skipped: FileFacts['skipped'];
  /** Suppression comments: [0-based line, rule ids]. */
  readonly suppressions: readonly (readonly [number, readonly string[]])[];
}

/**
 * The JSON form of a file's facts, or undefined when they hold a number JSON cannot carry
 * (`.inf`, `-0`): such a file is simply not cached.
 */
export function factsToJson(facts: FileFacts): FactsJson | undefined {
  const json: FactsJson = {
    lines: facts.lines.toJson(),
    objects: facts.objects,
    skipped: facts.skipped,
    suppressions: [...facts.suppressions].map(([line, rules]) => [line, [...rules]] as const),
  };
  return survivesJson(json.objects) ? json : undefined;
}

/** Facts from their JSON form, or undefined when the value is not a well-formed one. */
export function factsFromJson(value: unknown): FileFacts | undefined {
  if (!isRecord(value)) return undefined;
  const lines = LineIndex.fromJson(value['lines']);
  if (!lines) return undefined;
  const objects = value['objects'];
  const skipped = value['skipped'];
  const suppressions = value['suppressions'];
  if (!Array.isArray(objects) || !objects.every((object) => isObjectFacts(object, lines.length))) return undefined;
  if (!Array.isArray(skipped) || !skipped.every((note) => isRecord(note) && isSpan(note['span'], lines.length) && typeof note['reason'] === 'string' && typeof note['message'] === 'string' && (note['kind'] === undefined || typeof note['kind'] === 'string'))) {
    return undefined;
  }
  if (!Array.isArray(suppressions)) return undefined;
  const map = new Map<number, Set<string>>();
  for (const entry of suppressions as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2 || !Number.isSafeInteger(entry[0]) || !isStrings(entry[1])) return undefined;
    map.set(entry[0] as number, new Set(entry[1] as string[]));
  }
  return { lines, objects: objects as ObjectFacts[], skipped: skipped as FileFacts['skipped'], suppressions: map };
}

/** The facts an instance was placed from: the instance without what placing added. */
export function factsOfInstance(instance: KubeObject): ObjectFacts {
  const facts: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(instance)) if (!PLACEMENT_FIELDS.has(field)) facts[field] = value;
  return facts as unknown as ObjectFacts;
}

/** What `instantiate` adds to facts (model/instances.ts). */
const PLACEMENT_FIELDS: ReadonlySet<string> = new Set(['fileId', 'scopeId', 'namespace', 'explicitNamespace', 'labelMap']);

// ---- checks ------------------------------------------------------------------------------------

/**
 * Fields each shape iterates over, and what they hold: arrays of records or of strings. Typed by
 * the shape union, so a shape added to the model without an entry here does not compile.
 */
const ARRAYS: Readonly<Record<KubeObject['shape'], Readonly<Record<string, 'records' | 'strings'>>>> = {
  service: { ports: 'records' },
  template: { labels: 'records', controllerLabels: 'records', containers: 'records' },
  endpoints: { addresses: 'records', ports: 'records' },
  ingress: { backends: 'records' },
  route: { parents: 'records', hostnames: 'strings', rules: 'records' },
  gateway: { listeners: 'records' },
  referenceGrant: { from: 'records', to: 'records' },
  monitor: { namespaceNames: 'strings', endpoints: 'records' },
  resource: { podLabels: 'records' },
};
const SHAPES: ReadonlySet<string> = new Set(Object.keys(ARRAYS));

function isObjectFacts(value: unknown, length: number): boolean {
  if (!isRecord(value)) return false;
  const shape = value['shape'];
  if (typeof shape !== 'string' || !SHAPES.has(shape)) return false;
  if (!Number.isSafeInteger(value['order']) || !isSpan(value['span'], length) || !isSpan(value['nameSpan'], length)) return false;
  for (const field of ['apiVersion', 'kind', 'name']) if (typeof value[field] !== 'string') return false;
  if (value['writtenNamespace'] !== undefined && typeof value['writtenNamespace'] !== 'string') return false;
  if (!isStrings(value['disabledRules']) || !isPairs(value['objectLabels'], length)) return false;
  for (const [field, holds] of Object.entries(ARRAYS[shape as KubeObject['shape']])) {
    const items = value[field];
    if (!Array.isArray(items) || !(holds === 'records' ? items.every(isRecord) : isStrings(items))) return false;
  }
  if (shape === 'service') return value['selector'] === null || isPairs(value['selector'], length);
  if (shape === 'template') {
    if (!isPairs(value['labels'], length)) return false;
    const containers = value['containers'] as Record<string, unknown>[];
    return containers.every((container) => Array.isArray(container['ports']) && Array.isArray(container['env']));
  }
  return true;
}

function isPairs(value: unknown, length: number): boolean {
  return Array.isArray(value) && value.every((pair) => isRecord(pair) && typeof pair['key'] === 'string' && typeof pair['value'] === 'string' && isSpan(pair['span'], length));
}

function isSpan(value: unknown, length: number): boolean {
  if (!isRecord(value)) return false;
  const { start, end } = value;
  return Number.isSafeInteger(start) && Number.isSafeInteger(end) && (start as number) >= 0 && (start as number) <= (end as number) && (end as number) <= length;
}

function isStrings(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether every number in the value is one JSON writes as itself. */
function survivesJson(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(survivesJson);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(survivesJson);
  return true;
}
