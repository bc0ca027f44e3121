/**
 * Strategic merge of a patch into an object, as kustomize does it with kyaml's merge2
 * (https://kubectl.docs.kubernetes.io/references/kustomize/glossary/#patchstrategicmerge and
 * https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md):
 * maps merge key by key; a `null` value deletes a key; `$patch: delete` deletes a map or a list
 * item, `$patch: replace` replaces it; lists the Kubernetes API marks with `patchStrategy: merge`
 * merge element by element on their keys, every other list is replaced whole.
 */
import { cloneNode, getChild, scalarText, type MMap, type MNode, type MScalar, type MSeq } from './tree';

const DIRECTIVE = '$patch';

/**
 * The types (`apiVersion kind`) of the Kubernetes OpenAPI that kustomize embeds (Kubernetes 1.21's)
 * whose lists the keys below merge. kustomize finds merge keys in that schema by group, version
 * and kind: a custom resource (an Argo Rollout, an OpenKruise StatefulSet, an OpenShift
 * DeploymentConfig) or a version the schema lacks (`extensions/v1beta1` Deployment) has none, so a
 * list of a patch replaces the object's list whole (the `openapi` field of a kustomization can add
 * a schema: kubectl.docs.kubernetes.io/references/kustomize/kustomization/openapi/). Each entry and
 * each such kind was checked with kubectl kustomize (kustomize v5.7.1).
 */
const SCHEMA_TYPES: ReadonlySet<string> = new Set([
  'v1 Pod',
  'v1 PodTemplate',
  'v1 ReplicationController',
  'v1 Service',
  'apps/v1 Deployment',
  'apps/v1 StatefulSet',
  'apps/v1 DaemonSet',
  'apps/v1 ReplicaSet',
  'batch/v1 Job',
  'batch/v1 CronJob',
  'batch/v1beta1 CronJob',
]);

/**
 * The merge keys of the lists in the pruned tree that have `x-kubernetes-patch-strategy: merge`
 * in the Kubernetes OpenAPI that kustomize embeds; where the API also lists
 * `x-kubernetes-list-map-keys`, kyaml matches on all of them (a missing one matches anything).
 * `path` is the field names from the object's root (list indices left out). Undefined (the list
 * is replaced) for a list without a merge strategy and for every list of a type the schema lacks
 * (`SCHEMA_TYPES`).
 */
export function listMergeKeys(type: { readonly apiVersion: string; readonly kind: string }, path: readonly string[]): readonly string[] | undefined {
  if (!SCHEMA_TYPES.has(`${type.apiVersion} ${type.kind}`)) return undefined;
  const kind = type.kind;
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  const inContainer = path.includes('containers') || path.includes('initContainers');
  if ((last === 'containers' || last === 'initContainers') && parent === 'spec') return ['name'];
  if (inContainer && last === 'ports' && (parent === 'containers' || parent === 'initContainers')) return ['containerPort', 'protocol'];
  if (inContainer && last === 'env') return ['name'];
  if (kind === 'Service' && path.length === 2 && path[0] === 'spec' && last === 'ports') return ['port', 'protocol'];
  return undefined;
}

export interface MergeContext {
  /** The object's `apiVersion` and `kind` (they choose the merge keys: `listMergeKeys`). */
  readonly apiVersion: string;
  readonly kind: string;
  /**
   * Told of each element of a patch's list that kustomize merges on several keys and that leaves
   * nothing in the result (`mergeListByKeys`), with the object's element it met on its first key,
   * if any; and of each `$patch: delete` element that met an element on its first key and left it
   * in the result (`deletes`). kubectl kustomize does both without a word.
   */
  readonly ignored?: (element: MMap, met: MMap | undefined, keys: readonly string[], deletes: boolean) => void;
}

function directiveOf(node: MNode | undefined): string | undefined {
  return node?.type === 'map' ? scalarText(getChild(node, DIRECTIVE)) : undefined;
}

function isNull(node: MNode | undefined): boolean {
  return node === undefined || (node.type === 'scalar' && node.value === null);
}

/** Merges `patch` into `dest`; returns the result (possibly `dest` changed in place), or undefined when the patch deletes it. */
export function mergeNode(dest: MNode | undefined, patch: MNode, path: string[], context: MergeContext): MNode | undefined {
  if (patch.type === 'map') {
    const directive = directiveOf(patch);
    if (directive === 'delete') return undefined;
    if (directive === 'replace' || dest?.type !== 'map') return materialize(patch, path, context);
    return mergeMap(dest, patch, path, context);
  }
  if (patch.type === 'seq') {
    const keys = listMergeKeys(context, path);
    if (!keys) return materialize(patch, path, context);
    return mergeList(dest?.type === 'seq' ? dest : undefined, patch, keys, path, context);
  }
  return cloneNode(patch);
}

/** A patch value with its directives applied to nothing: what it adds where the object has nothing. */
function materialize(patch: MNode, path: string[], context: MergeContext): MNode | undefined {
  if (patch.type === 'map') {
    if (directiveOf(patch) === 'delete') return undefined;
    return mergeMap({ type: 'map', entries: [], span: patch.span }, patch, path, context);
  }
  if (patch.type === 'seq') {
    const keys = listMergeKeys(context, path);
    if (keys) return mergeList(undefined, patch, keys, path, context);
    // A list without a merge strategy is taken as written, its maps cleaned of directives.
    return { type: 'seq', span: patch.span, items: patch.items.map((item) => (item ? materialize(item, path, context) : undefined)) };
  }
  return cloneNode(patch);
}

function mergeMap(dest: MMap, patch: MMap, path: string[], context: MergeContext): MMap {
  for (const entry of patch.entries) {
    if (entry.key === DIRECTIVE) continue;
    const index = dest.entries.findIndex((e) => e.key === entry.key);
    if (isNull(entry.value)) {
      if (index >= 0) dest.entries.splice(index, 1);
      continue;
    }
    const childPath = [...path, entry.key];
    const existing = index >= 0 ? dest.entries[index]!.value : undefined;
    const merged = mergeNode(existing, entry.value!, childPath, context);
    if (merged === undefined) {
      if (index >= 0) dest.entries.splice(index, 1);
    } else if (index >= 0) {
      dest.entries[index]!.value = merged;
    } else {
      dest.entries.push({ key: entry.key, keySpan: entry.keySpan, value: merged });
    }
  }
  return dest;
}

function keyValues(node: MNode | undefined, keys: readonly string[]): string[] {
  return keys.map((key) => scalarText(getChild(node, key)) ?? '');
}

/** kyaml's rule for multi-key lists: no key differs where both elements have it, and at least one position agrees. */
function sameElement(a: readonly string[], b: readonly string[]): boolean {
  let common = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) common = true;
    else if (a[i] !== '' && b[i] !== '') return false;
  }
  return common;
}

/**
 * Merges a list by its keys as kustomize's merge does (kyaml merge2 with `ListIncreaseDirection:
 * prepend`; the order checked against kubectl kustomize). With one key (containers by `name`) the
 * patch's elements come first, in patch order, each merged with the element it matches, and the
 * object's unmatched elements follow in their order. With several keys (ports) an element the
 * patch merges stays in its place; only new elements come first.
 * With several keys (`port` and `protocol`), a key that any element of either list sets is
 * required, so an element that leaves it out (a `$patch: delete` without `protocol` while another
 * port names one) matches nothing and deletes nothing.
 */
function mergeList(dest: MSeq | undefined, patch: MSeq, keys: readonly string[], path: string[], context: MergeContext): MSeq | undefined {
  // A list directive is an element holding `$patch` alone.
  const directiveItem = patch.items.find((item) => item?.type === 'map' && item.entries.length === 1 && item.entries[0]!.key === DIRECTIVE);
  const listDirective = directiveOf(directiveItem);
  const elements = patch.items.filter((item) => item !== directiveItem);
  if (listDirective === 'delete') return undefined;
  if (keys.length > 1 && dest && listDirective !== 'replace') return mergeListByKeys(dest, elements, keys, path, context);
  const remaining: (MNode | undefined)[] = listDirective === 'replace' || !dest ? [] : [...dest.items];
  const required = new Set<string>();
  if (keys.length > 1) {
    for (const item of [...remaining, ...elements]) keys.forEach((key, i) => {
      if (keyValues(item, keys)[i] !== '') required.add(key);
    });
  }
  const front: MNode[] = [];
  const place = (node: MNode): void => {
    front.push(node);
  };
  for (const element of elements) {
    if (!element) continue;
    if (element.type !== 'map') {
      // Primitive items of a merged list are a set.
      const text = scalarText(element);
      const index = remaining.findIndex((item) => scalarText(item) === text);
      if (index >= 0) remaining.splice(index, 1);
      if (!front.some((item) => scalarText(item) === text)) place(cloneNode(element));
      continue;
    }
    const values = keyValues(element, keys);
    const directive = directiveOf(element);
    const matches = (item: MNode | undefined): boolean => item?.type === 'map' && sameElement(keyValues(item, keys), values);
    if (directive === 'delete') {
      if (keys.some((key, i) => values[i] === '' && required.has(key))) continue;
      const index = remaining.findIndex(matches);
      if (index >= 0) remaining.splice(index, 1);
      const placed = front.findIndex(matches);
      if (placed >= 0) front.splice(placed, 1);
      continue;
    }
    const placed = values.every((v) => v === '') ? -1 : front.findIndex(matches);
    const index = values.every((v) => v === '') || placed >= 0 ? -1 : remaining.findIndex(matches);
    const current = placed >= 0 ? front[placed] : index >= 0 ? remaining[index] : undefined;
    const merged = directive === 'replace' || !current ? materialize(stripDirective(element), path, context) : mergeNode(current, element, path, context);
    if (index >= 0 && keys.length > 1) {
      if (merged) remaining[index] = merged;
      else remaining.splice(index, 1);
      continue;
    }
    if (index >= 0) remaining.splice(index, 1);
    if (!merged) continue;
    if (placed >= 0) front[placed] = merged;
    else place(merged);
  }
  return { type: 'seq', span: (dest ?? patch).span, items: [...front, ...remaining] };
}

function stripDirective(node: MMap): MMap {
  return { type: 'map', span: node.span, entries: node.entries.filter((e) => e.key !== DIRECTIVE) };
}

// ---- lists merged on several keys (ports: `port` or `containerPort`, and `protocol`) -------------

/*
 * kustomize merges a list whose OpenAPI schema names several `x-kubernetes-list-map-keys` by kyaml's
 * walker (kyaml v0.20.1, yaml/walk/associative_sequence.go: `setAssociativeSequenceElements`,
 * `validateKeys`, `mergeValues`, `appendListNode`; the matchers `ElementMatcher`, `FieldMatcher`
 * and `ElementSetter` of yaml/fns.go). Its result is not a plain merge on the keys: an element that
 * leaves a key out while another element of either list sets it is looked up with that key empty,
 * so a patch port without `protocol` merges into nothing when the object's port writes
 * `protocol: TCP`, and the object's port is kept as it was (kubernetes-sigs/kustomize#3620 and
 * #4752). The functions below follow those steps one by one, and the differential test checks them
 * against `kubectl kustomize` on random port lists (test/support/portMergeGenerator.ts).
 */

/** A field's text as kyaml's `ElementValuesList` reads it: '' when the field is missing, null or empty. */
function keyText(item: MNode | undefined, key: string): string {
  return scalarText(getChild(item, key)) ?? '';
}

function hasField(item: MNode | undefined, key: string): boolean {
  return item?.type === 'map' && item.entries.some((entry) => entry.key === key);
}

/** `MatchField(key, value)`: the field is written, with exactly that text (a written empty value for ''). */
function fieldEquals(item: MNode | undefined, key: string, value: string): boolean {
  return hasField(item, key) && keyText(item, key) === value;
}

/**
 * `ElementList` as the walker calls it (`elementValueList`): the first mapping of `items` whose
 * fields equal the non-empty `values`; when all are empty, whose fields are all written empty.
 */
function elementList(items: readonly (MNode | undefined)[], keys: readonly string[], values: readonly string[]): MNode | undefined {
  const used = values.some((value) => value !== '') ? keys.flatMap((key, index) => (values[index] !== '' ? [index] : [])) : keys.map((_, index) => index);
  return items.find((item) => item?.type === 'map' && used.every((index) => fieldEquals(item, keys[index]!, values[index]!)));
}

/**
 * Whether `ElementSetter` takes `item` for `keys` and `values`: a value of '' only asks that the
 * field be written; keys past the end of `values` repeat the last answer, and no values match nothing.
 */
function setterMatches(item: MMap, keys: readonly string[], values: readonly string[]): boolean {
  let found = false;
  for (let index = 0; index < keys.length; index++) {
    if (index < values.length) found = values[index] === '' ? hasField(item, keys[index]!) : fieldEquals(item, keys[index]!, values[index]!);
    if (!found) return false;
  }
  return found;
}

/**
 * `ElementSetter`: every item it takes is replaced by `element` (or removed when there is none),
 * and `element` is appended when it took none. Empty items are dropped; with no values, so is every
 * item it does not take.
 */
function elementSetter(items: readonly (MNode | undefined)[], keys: readonly string[], values: readonly string[], element: MNode | undefined): MNode[] {
  const out: MNode[] = [];
  let taken = false;
  for (const item of items) {
    if (item === undefined || isNull(item) || (item.type === 'map' && item.entries.length === 0)) continue;
    if (item.type !== 'map' || !setterMatches(item, keys, values)) {
      if (values.length > 0 || item.type !== 'map') out.push(item);
      continue;
    }
    taken = true;
    if (element) out.push(element);
  }
  if (element && !taken) out.push(element);
  return out;
}

/**
 * `mergeValues`: key values that agree where both are written (and agree somewhere) are filled from
 * each other, in place. As in kyaml's loop, the left side is the list as it was when its row began.
 */
function mergeKeyValues(valuesList: string[][]): void {
  for (let i = 0; i < valuesList.length; i++) {
    const left = valuesList[i]!;
    for (let j = 0; j < valuesList.length; j++) {
      const merged = mergedValues(left, valuesList[j]!);
      if (merged) valuesList[i] = valuesList[j] = merged;
    }
  }
}

function mergedValues(a: readonly string[], b: readonly string[]): string[] | undefined {
  let common = false;
  const out: string[] = [];
  for (let index = 0; index < a.length; index++) {
    if (a[index] === b[index]) {
      common = true;
      out.push(a[index]!);
    } else if (a[index] !== '' && b[index] !== '') {
      return undefined;
    } else {
      out.push(a[index] !== '' ? a[index]! : b[index]!);
    }
  }
  return common ? out : undefined;
}

/** A key's value set on an element that lacks it (`SetField` with a plain scalar: `80` reads as a number). */
function keyScalar(value: string, span: MNode['span']): MScalar {
  return { type: 'scalar', value: /^(0|[1-9][0-9]*)$/.test(value) ? Number(value) : value, span };
}

/**
 * Merges the patch's `elements` into `dest` on several keys, step by step as kyaml does (above).
 * Elements of the object are changed in place, as a merge of one key changes them.
 */
function mergeListByKeys(dest: MSeq, elements: readonly (MNode | undefined)[], keys: readonly string[], path: string[], context: MergeContext): MSeq {
  let destItems: (MNode | undefined)[] = [...dest.items];
  // The key values of every element, the patch's first (kustomize prepends), each distinct list once.
  const valuesList: string[][] = [];
  const seen = new Set<string>();
  for (const item of [...elements, ...destItems]) {
    const values = keys.map((key) => keyText(item, key));
    const id = values.join('\u0000');
    if (seen.has(id)) continue;
    seen.add(id);
    valuesList.push(values);
  }
  mergeKeyValues(valuesList);
  // The keys some element writes (all of them when none does).
  const written = keys.filter((_, index) => valuesList.some((values) => values[index] !== ''));
  const validKeys = written.length > 0 ? written : keys;
  let added: MNode[] = [];
  const elided = new Set<MNode>();
  // The patch elements each node of the result was merged from (a node of the object is changed in place).
  const origins = new Map<MNode, Set<MNode>>();
  const originalDest = [...destItems];
  for (const values of valuesList) {
    const validValues = written.length > 0 ? keys.flatMap((key, index) => (written.includes(key) ? [values[index]!] : [])) : values;
    const current = elementList(destItems, validKeys, validValues);
    const found = elementList(elements, validKeys, validValues);
    // kyaml removes an element's `$patch` when it reads it, so a later pass over the same element
    // (two key value lists merged into one) merges it as a plain element.
    const patchElement = found !== undefined && elided.has(found) && found.type === 'map' ? stripDirective(found) : found;
    if (found !== undefined) elided.add(found);
    const merged = patchElement === undefined ? current : current === undefined ? materialize(patchElement, path, context) : mergeNode(current, patchElement, path, context);
    if (merged === undefined || isNull(merged) || (merged.type === 'map' && merged.entries.length === 0)) {
      destItems = elementSetter(destItems, validKeys, validValues, undefined);
      continue;
    }
    if (merged.type === 'map') {
      validKeys.forEach((key, index) => {
        if (!hasField(merged, key) && validValues[index] !== '') merged.entries.push({ key, keySpan: merged.span, value: keyScalar(validValues[index]!, merged.span) });
      });
    }
    if (found !== undefined) {
      let from = origins.get(merged);
      if (!from) origins.set(merged, (from = new Set()));
      from.add(found);
    }
    added = elementSetter(added, validKeys, validValues, merged);
  }
  if (valuesList.length === 0) return { type: 'seq', span: dest.span, items: destItems };
  // The object's elements then take their places again (`appendListNode`).
  for (const item of destItems) {
    if (item === undefined) continue;
    const values: string[] = [];
    for (const key of validKeys) {
      if (!hasField(item, key)) added.push(item);
      else values.push(keyText(item, key));
    }
    if (validKeys.length > 1) added = elementSetter(added, validKeys, values, undefined);
    added = elementSetter(added, validKeys, values, item);
  }
  if (context.ignored) reportIgnored(elements, added, origins, originalDest, keys, context.ignored);
  return { type: 'seq', span: dest.span, items: added };
}

/**
 * Tells `ignored` of each patch element (not a `$patch` directive) that no element of the result was
 * merged from, and of each `$patch: delete` element whose object element of the same first key is
 * still in the result.
 */
function reportIgnored(
  elements: readonly (MNode | undefined)[],
  result: readonly MNode[],
  origins: ReadonlyMap<MNode, ReadonlySet<MNode>>,
  dest: readonly (MNode | undefined)[],
  keys: readonly string[],
  ignored: NonNullable<MergeContext['ignored']>,
): void {
  const used = new Set<MNode>();
  for (const item of result) for (const element of origins.get(item) ?? []) used.add(element);
  for (const element of elements) {
    if (element?.type !== 'map') continue;
    const directive = directiveOf(element);
    const first = keyText(element, keys[0]!);
    const met = first === '' ? undefined : dest.find((item): item is MMap => item?.type === 'map' && keyText(item, keys[0]!) === first);
    if (directive === 'delete') {
      if (met !== undefined && result.includes(met)) ignored(element, met, keys, true);
      continue;
    }
    if (used.has(element) || directive !== undefined) continue;
    ignored(element, met, keys, false);
  }
}
