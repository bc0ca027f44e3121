/**
 * The indexes of one scope, kept up to date as objects come and go. Selector matching is
 * namespace-scoped: a Service's selector only picks Pods in the Service's own namespace
 * (https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service), and Service
 * selectors are equality-based: every pair must be present with the same value
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#equality-based-requirement).
 * A Pod's labels are its template's labels plus those its controller adds (kinds/*.ts).
 */
import type { ControllerLabel } from '../kinds/kind';
import { compareObjects } from '../analysis/order';
import type { EndpointsObject, GatewayObject, IngressBackend, IngressObject, KubeObject, LabelPair, MonitorObject, PodTemplate, ReferenceGrantObject, ResourceObject, ServiceObject } from '../model/objects';
import { referencesOf, type NameReference } from '../model/references';

/**
 * Values by key. Most keys of a workspace's indexes hold one value (a Service name, a rare label
 * pair), so a key with one value keeps it in a `Single` rather than a `Set`, a fifth of the memory.
 */
class MultiMap<K, V> {
  /** Created by the first `add`: most indexes of a small scope (an overlay's) stay empty. */
  private map: Map<K, Single<V> | Set<V>> | undefined;

  add(key: K, value: V): void {
    const map = (this.map ??= new Map());
    const values = map.get(key);
    if (values === undefined) map.set(key, new Single(value));
    else if (values instanceof Single) {
      if (values.value !== value) map.set(key, new Set([values.value, value]));
    } else values.add(value);
  }

  delete(key: K, value: V): void {
    const map = this.map;
    const values = map?.get(key);
    if (map === undefined || values === undefined) return;
    if (values instanceof Single) {
      if (values.value === value) map.delete(key);
      return;
    }
    values.delete(value);
    if (values.size === 1) map.set(key, new Single(values.values().next().value as V));
  }

  get(key: K): ReadonlySet<V> {
    return this.map?.get(key) ?? EMPTY_SET;
  }

  keys(): IterableIterator<K> {
    return this.map?.keys() ?? NO_KEYS.keys();
  }

  isEmpty(): boolean {
    return this.map === undefined || this.map.size === 0;
  }
}

/**
 * Values by two keys, as nested maps. Keys are the strings objects hold (interned when the model
 * read them, so their hashes are computed once): no key is built by concatenation per lookup.
 */
class MultiMap2<A, B, V> {
  /** Created by the first `add` (see `MultiMap.map`). */
  private map: Map<A, MultiMap<B, V>> | undefined;

  add(first: A, second: B, value: V): void {
    const map = (this.map ??= new Map());
    let inner = map.get(first);
    if (!inner) map.set(first, (inner = new MultiMap()));
    inner.add(second, value);
  }

  delete(first: A, second: B, value: V): void {
    const inner = this.map?.get(first);
    if (!inner) return;
    inner.delete(second, value);
    if (inner.isEmpty()) this.map!.delete(first);
  }

  get(first: A, second: B): ReadonlySet<V> {
    return this.map?.get(first)?.get(second) ?? EMPTY_SET;
  }

  isEmpty(): boolean {
    return this.map === undefined || this.map.size === 0;
  }
}

/** Values by three keys, as nested maps (see `MultiMap2`). */
class MultiMap3<A, B, C, V> {
  /** Created by the first `add` (see `MultiMap.map`). */
  private map: Map<A, MultiMap2<B, C, V>> | undefined;

  add(first: A, second: B, third: C, value: V): void {
    const map = (this.map ??= new Map());
    let inner = map.get(first);
    if (!inner) map.set(first, (inner = new MultiMap2()));
    inner.add(second, third, value);
  }

  delete(first: A, second: B, third: C, value: V): void {
    const inner = this.map?.get(first);
    if (!inner) return;
    inner.delete(second, third, value);
    if (inner.isEmpty()) this.map!.delete(first);
  }

  get(first: A, second: B, third: C): ReadonlySet<V> {
    return this.map?.get(first)?.get(second, third) ?? EMPTY_SET;
  }
}

/** A read-only set of exactly one value. */
class Single<V> implements ReadonlySet<V> {
  constructor(readonly value: V) {}

  get size(): number {
    return 1;
  }

  has(value: V): boolean {
    return value === this.value;
  }

  forEach(callback: (value: V, key: V, set: ReadonlySet<V>) => void, thisArg?: unknown): void {
    callback.call(thisArg, this.value, this.value, this);
  }

  values(): SetIterator<V> {
    return [this.value].values();
  }

  keys(): SetIterator<V> {
    return [this.value].values();
  }

  entries(): SetIterator<[V, V]> {
    return [[this.value, this.value] as [V, V]].values();
  }

  [Symbol.iterator](): SetIterator<V> {
    return [this.value].values();
  }
}

const EMPTY_SET: ReadonlySet<never> = new Set();
const NO_KEYS: ReadonlyMap<never, never> = new Map<never, never>();
/** Memo entries kept per namespace before they are dropped (see `LinkIndex.memo`). */
const MEMOS_PER_NAMESPACE = 65_536;

/** The controller label of a template for a key, if its controller adds one. */
export function controllerLabel(template: PodTemplate, key: string): ControllerLabel | undefined {
  for (const label of template.controllerLabels) if (label.key === key) return label;
  return undefined;
}

/**
 * What a template's Pods carry for a label key: the template's own value, else the values its
 * controller gives (`any` for hashes and uids), else undefined.
 */
export function podLabel(template: PodTemplate, key: string): string | readonly string[] | 'any' | undefined {
  const own = template.labelMap.get(key);
  if (own !== undefined) return own;
  return controllerLabel(template, key)?.values;
}

/** Whether the Pods of a template satisfy every pair of an equality-based selector. */
export function satisfies(template: PodTemplate, selector: readonly LabelPair[]): boolean {
  for (const pair of selector) if (!satisfiesPair(template, pair)) return false;
  return true;
}

export function satisfiesPair(template: PodTemplate, pair: { readonly key: string; readonly value: string }): boolean {
  const own = template.labelMap.get(pair.key);
  if (own !== undefined) return own === pair.value;
  if (template.controllerLabels.length === 0) return false;
  const values = controllerLabel(template, pair.key)?.values;
  if (values === undefined) return false;
  return values === 'any' || values.includes(pair.value);
}

/** The `key=value` pairs a template's Pods are known to carry (own labels and finite controller labels). */
function knownPairs(template: PodTemplate): (readonly [string, string])[] {
  const out = template.labels.map((pair) => [pair.key, pair.value] as const);
  for (const label of template.controllerLabels) {
    if (label.values === 'any' || template.labelMap.has(label.key)) continue;
    for (const value of label.values) out.push([label.key, value]);
  }
  return out;
}

/** Keys whose value a template's Pods carry but the manifest cannot tell. */
function anyKeys(template: PodTemplate): string[] {
  return template.controllerLabels.filter((label) => label.values === 'any' && !template.labelMap.has(label.key)).map((label) => label.key);
}

/** The label keys a template's Pods carry (own labels and controller labels). */
export function podKeys(template: PodTemplate): string[] {
  const keys = template.labels.map((pair) => pair.key);
  for (const label of template.controllerLabels) if (!template.labelMap.has(label.key)) keys.push(label.key);
  return keys;
}

export class LinkIndex {
  private readonly templatesByNamespace = new MultiMap<string, PodTemplate>();
  /**
   * Templates by namespace, label key and value (own labels and finite controller values) and by
   * namespace and key (controller labels of any value): links are looked up in one namespace.
   */
  private readonly templatesByNamespacePair = new MultiMap3<string, string, string, PodTemplate>();
  private readonly templatesByNamespaceAnyKey = new MultiMap2<string, string, PodTemplate>();
  private readonly templatesByNamespaceKey = new MultiMap2<string, string, PodTemplate>();
  private readonly templatesByName = new MultiMap3<string, string, string, PodTemplate>();
  private readonly servicesByNamespaceKey = new MultiMap2<string, string, ServiceObject>();
  private readonly servicesByPair = new MultiMap2<string, string, ServiceObject>();
  private readonly servicesByKey = new MultiMap<string, ServiceObject>();
  private readonly servicesByNodePort = new MultiMap<number, ServiceObject>();
  private readonly servicesByName = new MultiMap2<string, string, ServiceObject>();
  /** Services by name alone, in every namespace. */
  private readonly servicesByNameAnywhere = new MultiMap<string, ServiceObject>();
  private readonly endpointsByName = new MultiMap2<string, string, EndpointsObject>();
  private readonly resourcesByNamespace = new MultiMap<string, ResourceObject>();
  private readonly referencesByTarget = new MultiMap3<string, string, string, NameReference>();
  private readonly referencesByObject = new Map<KubeObject, NameReference[]>();
  private readonly referencesByName = new MultiMap2<string, string, NameReference>();
  private readonly allServices = new Set<ServiceObject>();
  /** Answers computed from the templates of one namespace (nearest misses), dropped when one of them comes or goes. */
  private readonly memos = new Map<string, Map<string, unknown>>();
  private readonly allTemplates = new Set<PodTemplate>();
  private readonly servicesByNamespace = new MultiMap<string, ServiceObject>();
  private readonly grantsByNamespace = new MultiMap<string, ReferenceGrantObject>();
  private readonly gatewaysByName = new MultiMap2<string, string, GatewayObject>();
  private readonly allMonitors = new Set<MonitorObject>();

  add(object: KubeObject): void {
    this.update(object, true);
  }

  remove(object: KubeObject): void {
    this.update(object, false);
  }

  private update(object: KubeObject, adding: boolean): void {
    const op = adding ? 'add' : 'delete';
    if (adding) {
      const references = referencesOf(object);
      if (references.length > 0) this.referencesByObject.set(object, [...references]);
      for (const reference of references) {
        this.referencesByTarget.add(reference.targetKind, reference.namespace, reference.name, reference);
        this.referencesByName.add(reference.targetKind, reference.name, reference);
      }
    } else {
      for (const reference of this.referencesByObject.get(object) ?? []) {
        this.referencesByTarget.delete(reference.targetKind, reference.namespace, reference.name, reference);
        this.referencesByName.delete(reference.targetKind, reference.name, reference);
      }
      this.referencesByObject.delete(object);
    }
    switch (object.shape) {
      case 'service':
        if (adding) this.allServices.add(object);
        else this.allServices.delete(object);
        this.servicesByName[op](object.namespace, object.name, object);
        this.servicesByNameAnywhere[op](object.name, object);
        this.servicesByNamespace[op](object.namespace, object);
        for (const pair of object.selector ?? []) {
          this.servicesByNamespaceKey[op](object.namespace, pair.key, object);
          this.servicesByPair[op](pair.key, pair.value, object);
          this.servicesByKey[op](pair.key, object);
        }
        for (const port of object.ports) if (port.nodePort) this.servicesByNodePort[op](port.nodePort.value, object);
        return;
      case 'endpoints':
        this.endpointsByName[op](object.namespace, object.serviceName, object);
        return;
      case 'ingress':
      case 'route':
        return;
      case 'gateway':
        this.gatewaysByName[op](object.namespace, object.name, object);
        return;
      case 'referenceGrant':
        this.grantsByNamespace[op](object.namespace, object);
        return;
      case 'monitor':
        if (adding) this.allMonitors.add(object);
        else this.allMonitors.delete(object);
        return;
      case 'resource':
        this.resourcesByNamespace[op](object.namespace, object);
        return;
      case 'template':
        this.memos.delete(object.namespace);
        if (adding) this.allTemplates.add(object);
        else this.allTemplates.delete(object);
        this.templatesByNamespace[op](object.namespace, object);
        this.templatesByName[op](object.kind, object.namespace, object.name, object);
        for (const pair of object.labels) {
          this.templatesByNamespacePair[op](object.namespace, pair.key, pair.value, object);
          this.templatesByNamespaceKey[op](object.namespace, pair.key, object);
        }
        for (const label of object.controllerLabels) {
          if (object.labelMap.has(label.key)) continue;
          this.templatesByNamespaceKey[op](object.namespace, label.key, object);
          if (label.values === 'any') {
            this.templatesByNamespaceAnyKey[op](object.namespace, label.key, object);
          } else {
            for (const value of label.values) {
              this.templatesByNamespacePair[op](object.namespace, label.key, value, object);
            }
          }
        }
        return;
    }
  }

  services(): ReadonlySet<ServiceObject> {
    return this.allServices;
  }

  /** Services of a namespace, or of every namespace (`all`), in a stable order. */
  servicesIn(namespace: string | 'all'): ServiceObject[] {
    return [...(namespace === 'all' ? this.allServices : this.servicesByNamespace.get(namespace))].sort(compareObjects);
  }

  /** Pod templates of a namespace, or of every namespace (`all`), in a stable order. */
  templatesAnywhere(namespace: string | 'all'): PodTemplate[] {
    return [...(namespace === 'all' ? this.allTemplates : this.templatesByNamespace.get(namespace))].sort(compareObjects);
  }

  /** ReferenceGrants of a namespace, in a stable order. */
  grantsIn(namespace: string): ReferenceGrantObject[] {
    return [...this.grantsByNamespace.get(namespace)].sort(compareObjects);
  }

  gatewaysNamed(namespace: string, name: string): GatewayObject[] {
    return [...this.gatewaysByName.get(namespace, name)].sort(compareObjects);
  }

  /** Every ServiceMonitor and PodMonitor, in a stable order. */
  monitors(): MonitorObject[] {
    return [...this.allMonitors].sort(compareObjects);
  }

  /** Pod templates in `namespace` whose Pods satisfy every pair, in a stable order. */
  matches(namespace: string, selector: readonly LabelPair[]): PodTemplate[] {
    return this.satisfying(namespace, selector).sort(compareObjects);
  }

  /** Pod templates in other namespaces that satisfy every pair. */
  matchesElsewhere(namespace: string, selector: readonly LabelPair[]): PodTemplate[] {
    const out: PodTemplate[] = [];
    for (const other of this.templatesByNamespace.keys()) if (other !== namespace) out.push(...this.satisfying(other, selector));
    return out.sort(compareObjects);
  }

  /** The templates of `namespace` that satisfy every pair of `selector`, found through its rarest pair. */
  private satisfying(namespace: string, selector: readonly LabelPair[]): PodTemplate[] {
    let best: { exact: ReadonlySet<PodTemplate>; any: ReadonlySet<PodTemplate> } | undefined;
    for (const pair of selector) {
      const exact = this.templatesWithKnownPair(namespace, pair.key, pair.value);
      const any = this.templatesWithAnyValue(namespace, pair.key);
      if (!best || exact.size + any.size < best.exact.size + best.any.size) best = { exact, any };
      if (best.exact.size + best.any.size === 0) return [];
    }
    if (!best) return [];
    const out = new Set<PodTemplate>();
    for (const template of best.exact) if (satisfies(template, selector)) out.add(template);
    for (const template of best.any) if (satisfies(template, selector)) out.add(template);
    return [...out];
  }

  /**
   * The answer of `compute` for `key` among the templates of `namespace`, computed once until a
   * template of that namespace is added or removed. `compute` must read nothing but those templates
   * (and its own arguments): the memo is then the same as computing again.
   */
  memo<T>(namespace: string, key: string, compute: () => T): T {
    let memos = this.memos.get(namespace);
    if (!memos) this.memos.set(namespace, (memos = new Map()));
    if (memos.has(key)) return memos.get(key) as T;
    if (memos.size >= MEMOS_PER_NAMESPACE) memos.clear(); // selectors typed one keystroke at a time
    const value = compute();
    memos.set(key, value);
    return value;
  }

  /** Templates of `namespace` whose Pods carry `key=value` as a known value (own label or a finite controller value). */
  templatesWithKnownPair(namespace: string, key: string, value: string): ReadonlySet<PodTemplate> {
    return this.templatesByNamespacePair.get(namespace, key, value);
  }

  /** Templates of `namespace` whose controller sets `key` to a value the manifest cannot tell (a hash, a uid). */
  templatesWithAnyValue(namespace: string, key: string): ReadonlySet<PodTemplate> {
    return this.templatesByNamespaceAnyKey.get(namespace, key);
  }

  /** Templates in `namespace` whose Pods carry at least one of `keys` (nearest-miss candidates). */
  templatesWithAnyKey(namespace: string, keys: readonly string[]): ReadonlySet<PodTemplate> {
    if (keys.length === 1) return this.templatesByNamespaceKey.get(namespace, keys[0]!);
    const out = new Set<PodTemplate>();
    for (const key of keys) for (const template of this.templatesByNamespaceKey.get(namespace, key)) out.add(template);
    return out;
  }

  templatesIn(namespace: string): ReadonlySet<PodTemplate> {
    return this.templatesByNamespace.get(namespace);
  }

  /** Templates of the workload `kind/name` in `namespace`. */
  templatesNamed(kind: string, namespace: string, name: string): PodTemplate[] {
    return [...this.templatesByName.get(kind, namespace, name)].sort(compareObjects);
  }

  /** Services anywhere whose selector the template's Pods satisfy. */
  servicesSelecting(template: PodTemplate, sameNamespaceOnly: boolean): ServiceObject[] {
    const out = new Set<ServiceObject>();
    const consider = (service: ServiceObject) => {
      if (sameNamespaceOnly && service.namespace !== template.namespace) return;
      if (service.selector && satisfies(template, service.selector)) out.add(service);
    };
    for (const [key, value] of knownPairs(template)) for (const service of this.servicesByPair.get(key, value)) consider(service);
    for (const key of anyKeys(template)) for (const service of this.servicesByKey.get(key)) consider(service);
    return [...out].sort(compareObjects);
  }

  /** Services of `namespace` whose selector has the pair `key=value`, in a stable order. */
  servicesWithPair(namespace: string, key: string, value: string): ServiceObject[] {
    return [...this.servicesByPair.get(key, value)].filter((service) => service.namespace === namespace).sort(compareObjects);
  }

  /** Services of `namespace` whose selector uses the label key `key`. */
  servicesWithKey(namespace: string, key: string): ReadonlySet<ServiceObject> {
    return this.servicesByNamespaceKey.get(namespace, key);
  }

  /** Pod templates of `namespace` whose own labels have the pair `key=value`, in a stable order. */
  templatesWithPair(namespace: string, key: string, value: string): PodTemplate[] {
    return [...this.templatesWithKnownPair(namespace, key, value)]
      .filter((template) => template.labelMap.get(key) === value)
      .sort(compareObjects);
  }

  /** Every namespace that holds a Pod template, a Service or a custom resource, sorted. */
  namespaces(): string[] {
    const out = new Set<string>(this.templatesByNamespace.keys());
    for (const service of this.allServices) out.add(service.namespace);
    for (const namespace of this.resourcesByNamespace.keys()) out.add(namespace);
    return [...out].sort();
  }

  /** Every namespace that holds a Pod template, a Service, a custom resource or a ReferenceGrant (what other scopes may look for here). */
  providedNamespaces(): string[] {
    const out = new Set(this.namespaces());
    for (const namespace of this.grantsByNamespace.keys()) out.add(namespace);
    return [...out];
  }

  servicesWithNodePort(nodePort: number): ReadonlySet<ServiceObject> {
    return this.servicesByNodePort.get(nodePort);
  }

  /**
   * The Services of this name in a namespace, in object order (`compareObjects`: file, then place):
   * the first is the same however and whenever they were added (a name held twice, one copy being
   * edited).
   */
  servicesNamed(namespace: string, name: string): readonly ServiceObject[] {
    const services = this.servicesByName.get(namespace, name);
    return services.size <= 1 ? [...services] : [...services].sort(compareObjects);
  }

  /** The Services of this name in every namespace. */
  servicesNamedAnywhere(name: string): ReadonlySet<ServiceObject> {
    return this.servicesByNameAnywhere.get(name);
  }

  /** The Services of a namespace, in no particular order (`servicesIn` sorts them). */
  servicesOfNamespace(namespace: string): ReadonlySet<ServiceObject> {
    return this.servicesByNamespace.get(namespace);
  }

  /** Custom resources of a namespace (possible owners of operator-made Pods). */
  resourcesIn(namespace: string): ReadonlySet<ResourceObject> {
    return this.resourcesByNamespace.get(namespace);
  }

  /** References by name to the object `kind/name` in `namespace`, in a stable order. */
  referencesTo(kind: string, namespace: string, name: string): NameReference[] {
    return [...this.referencesByTarget.get(kind, namespace, name)].sort((left, right) => compareObjects(left.from, right.from) || left.span.start - right.span.start);
  }

  /** References by name to objects `kind/name` of any namespace (a message may name a Service of that name elsewhere). */
  referencesNamed(kind: string, name: string): ReadonlySet<NameReference> {
    return this.referencesByName.get(kind, name);
  }

  /** Ingress backends in `namespace` that send traffic to the Service `serviceName`, with their Ingress. */
  ingressBackendsFor(namespace: string, serviceName: string): { ingress: IngressObject; backend: IngressBackend }[] {
    const out: { ingress: IngressObject; backend: IngressBackend }[] = [];
    const ingresses = new Set<IngressObject>();
    for (const reference of this.referencesTo('Service', namespace, serviceName)) {
      if (reference.from.shape === 'ingress') ingresses.add(reference.from);
    }
    for (const ingress of [...ingresses].sort(compareObjects)) {
      for (const backend of ingress.backends) if (backend.serviceName === serviceName) out.push({ ingress, backend });
    }
    return out;
  }

  /** Pod templates of a namespace in a stable order. */
  templatesInOrder(namespace: string): PodTemplate[] {
    return [...this.templatesByNamespace.get(namespace)].sort(compareObjects);
  }

  endpointsFor(namespace: string, serviceName: string): EndpointsObject[] {
    return [...this.endpointsByName.get(namespace, serviceName)].sort(compareObjects);
  }
}
