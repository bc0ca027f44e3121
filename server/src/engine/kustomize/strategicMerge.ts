/**
 * Strategic merge of a patch into an object, as kustomize does it with kyaml's merge2
 * (https://kubectl.docs.kubernetes.io/references/kustomize/glossary/#patchstrategicmerge and
 * https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md):
 * maps merge key by key; a `null` value deletes a key; `$patch: delete` deletes a map or a list
 * item, `$patch: replace` replaces it; lists the Kubernetes API marks with `patchStrategy: merge`
 * merge element by element on their keys, every other list is replaced whole.
 */
import { cloneNode, getChild, scalarText, type MMap, type MNode, type MSeq } from './tree';

const DIRECTIVE = '$patch';

/**
 * The merge keys of the lists in the pruned tree that have `x-kubernetes-patch-strategy: merge`
 * in the Kubernetes OpenAPI that kustomize embeds; where the API also lists
 * `x-kubernetes-list-map-keys`, kyaml matches on all of them (a missing one matches anything).
 * `path` is the field names from the object's root (list indices left out).
 */
export function listMergeKeys(kind: string, path: readonly string[]): readonly string[] | undefined {
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
  readonly kind: string;
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
    const keys = listMergeKeys(context.kind, path);
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
    const keys = listMergeKeys(context.kind, path);
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
