/**
 * Whether a chart's dependencies are switched on by the values a render uses, as helm decides it
 * (https://helm.sh/docs/topics/charts/#tags-and-condition-fields-in-dependencies):
 * - `condition` holds one or more comma-separated YAML paths into the top chart's values; the first
 *   path that resolves to a boolean decides, and conditions override tags;
 * - `tags` are looked up under the values' `tags`: the dependency is on when any of its tags is
 *   true, off when some are false and none true, and on when none is set;
 * - with neither, a dependency is on.
 * The values are the chart's `values.yaml` with each values file merged over it in order, maps key
 * by key (helm's coalescing), as `helm template -f` reads them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

type Values = Record<string, unknown>;

function isRecord(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A values file as a map; an unreadable or malformed file, or one that is not a map, counts as empty. */
function readValues(file: string): Values {
  try {
    const value: unknown = parse(fs.readFileSync(file, 'utf8'));
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

/** `over` merged into `base`: maps key by key, anything else replaced. */
function merge(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isRecord(current) && isRecord(value) ? merge(current, value) : value;
  }
  return out;
}

function lookup(values: Values, dotted: string): unknown {
  let current: unknown = values;
  for (const part of dotted.split('.')) {
    if (!isRecord(current) || !Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

/** Whether one dependency entry of Chart.yaml is on for `values` (see the module comment). */
export function dependencyEnabled(dependency: Values, values: Values): boolean {
  let enabled = true;
  const tags = Array.isArray(dependency['tags']) ? dependency['tags'].map(String) : [];
  const tagValues = isRecord(values['tags']) ? values['tags'] : {};
  const set = tags.map((tag) => tagValues[tag]).filter((value): value is boolean => typeof value === 'boolean');
  if (set.length > 0) enabled = set.some((value) => value);
  const condition = typeof dependency['condition'] === 'string' ? dependency['condition'] : '';
  for (const dotted of condition.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const value = lookup(values, dotted);
    if (typeof value === 'boolean') return value;
  }
  return enabled;
}

/**
 * The dependencies among `names` (by `name`) that the chart in `chartDirectory` switches off for
 * the values of a render (`valuesFiles`, after its own values.yaml). An unreadable Chart.yaml
 * switches nothing off.
 */
export function disabledDependencies(chartDirectory: string, valuesFiles: readonly string[], names: readonly string[]): string[] {
  let chart: unknown;
  try {
    chart = parse(fs.readFileSync(path.join(chartDirectory, 'Chart.yaml'), 'utf8'));
  } catch {
    return [];
  }
  if (!isRecord(chart) || !Array.isArray(chart['dependencies'])) return [];
  let values = readValues(path.join(chartDirectory, 'values.yaml'));
  for (const file of valuesFiles) values = merge(values, readValues(file));
  // A dependency listed twice (under two aliases) is needed when either entry is on.
  const on = new Map<string, boolean>();
  for (const dependency of chart['dependencies']) {
    if (!isRecord(dependency)) continue;
    const name = String(dependency['name'] ?? '');
    if (names.includes(name)) on.set(name, (on.get(name) ?? false) || dependencyEnabled(dependency, values));
  }
  return [...on].filter(([, enabled]) => !enabled).map(([name]) => name);
}
