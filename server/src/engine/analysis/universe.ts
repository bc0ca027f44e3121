/**
 * Indexes of one linking universe, kept up to date as files come and go. Selector matching is
 * namespace-scoped: "The set of Pods targeted by a Service is usually determined by a selector",
 * and a Service's selector only picks Pods in the Service's own namespace
 * (https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service).
 * Service selectors are equality-based: every pair must be present with the same value
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#equality-based-requirement).
 */
import type { EndpointsObject, IngressBackend, IngressObject, KubeObject, LabelPair, PodTemplate, ServiceObject } from '../model/objects';
import { isEndpoints, isIngress, isService } from '../model/objects';
import { compareObjects } from './order';

class MultiMap<K, V> {
  private readonly map = new Map<K, Set<V>>();

  add(key: K, value: V): void {
    let set = this.map.get(key);
    if (!set) this.map.set(key, (set = new Set()));
    set.add(value);
  }

  delete(key: K, value: V): void {
    const set = this.map.get(key);
    if (!set) return;
    set.delete(value);
    if (set.size === 0) this.map.delete(key);
  }

  get(key: K): ReadonlySet<V> {
    return this.map.get(key) ?? EMPTY_SET;
  }
}

const EMPTY_SET: ReadonlySet<never> = new Set();
const SEP = '\u0000';

function pairKey(key: string, value: string): string {
  return key + SEP + value;
}

export function satisfies(template: PodTemplate, selector: readonly LabelPair[]): boolean {
  for (const pair of selector) if (template.labelMap.get(pair.key) !== pair.value) return false;
  return true;
}

export class Universe {
  private readonly templatesByNamespace = new MultiMap<string, PodTemplate>();
  private readonly templatesByPair = new MultiMap<string, PodTemplate>();
  private readonly templatesByNamespaceKey = new MultiMap<string, PodTemplate>();
  private readonly servicesByNamespaceKey = new MultiMap<string, ServiceObject>();
  private readonly servicesByPair = new MultiMap<string, ServiceObject>();
  private readonly servicesByNodePort = new MultiMap<number, ServiceObject>();
  private readonly servicesByName = new MultiMap<string, ServiceObject>();
  private readonly endpointsByName = new MultiMap<string, EndpointsObject>();
  private readonly ingressesByService = new MultiMap<string, IngressObject>();
  private readonly allServices = new Set<ServiceObject>();

  add(object: KubeObject): void {
    this.update(object, true);
  }

  remove(object: KubeObject): void {
    this.update(object, false);
  }

  private update(object: KubeObject, adding: boolean): void {
    const op = adding ? 'add' : 'delete';
    if (isService(object)) {
      if (adding) this.allServices.add(object);
      else this.allServices.delete(object);
      this.servicesByName[op](object.namespace + SEP + object.name, object);
      for (const pair of object.selector ?? []) {
        this.servicesByNamespaceKey[op](object.namespace + SEP + pair.key, object);
        this.servicesByPair[op](pairKey(pair.key, pair.value), object);
      }
      for (const port of object.ports) if (port.nodePort) this.servicesByNodePort[op](port.nodePort.value, object);
      return;
    }
    if (isEndpoints(object)) {
      this.endpointsByName[op](object.namespace + SEP + object.serviceName, object);
      return;
    }
    if (isIngress(object)) {
      for (const name of new Set(object.backends.map((backend) => backend.serviceName))) {
        this.ingressesByService[op](object.namespace + SEP + name, object);
      }
      return;
    }
    this.templatesByNamespace[op](object.namespace, object);
    for (const pair of object.labels) {
      this.templatesByPair[op](pairKey(pair.key, pair.value), object);
      this.templatesByNamespaceKey[op](object.namespace + SEP + pair.key, object);
    }
  }

  services(): ReadonlySet<ServiceObject> {
    return this.allServices;
  }

  /** Pod templates in `namespace` that satisfy every pair, in a stable order. */
  matches(namespace: string, selector: readonly LabelPair[]): PodTemplate[] {
    const found = this.satisfying(selector).filter((template) => template.namespace === namespace);
    return found.sort(compareObjects);
  }

  /** Pod templates in other namespaces that satisfy every pair. */
  matchesElsewhere(namespace: string, selector: readonly LabelPair[]): PodTemplate[] {
    return this.satisfying(selector).filter((template) => template.namespace !== namespace).sort(compareObjects);
  }

  private satisfying(selector: readonly LabelPair[]): PodTemplate[] {
    let smallest: ReadonlySet<PodTemplate> | undefined;
    for (const pair of selector) {
      const candidates = this.templatesByPair.get(pairKey(pair.key, pair.value));
      if (!smallest || candidates.size < smallest.size) smallest = candidates;
      if (smallest.size === 0) return [];
    }
    if (!smallest) return [];
    const out: PodTemplate[] = [];
    for (const template of smallest) if (satisfies(template, selector)) out.push(template);
    return out;
  }

  /** Templates in `namespace` that carry at least one of `keys` (nearest-miss candidates). */
  templatesWithAnyKey(namespace: string, keys: readonly string[]): ReadonlySet<PodTemplate> {
    if (keys.length === 1) return this.templatesByNamespaceKey.get(namespace + SEP + keys[0]!);
    const out = new Set<PodTemplate>();
    for (const key of keys) for (const template of this.templatesByNamespaceKey.get(namespace + SEP + key)) out.add(template);
    return out;
  }

  templatesIn(namespace: string): ReadonlySet<PodTemplate> {
    return this.templatesByNamespace.get(namespace);
  }

  /** Services in the template's namespace whose selector uses one of its label keys. */
  servicesSharingKeys(template: PodTemplate): Set<ServiceObject> {
    const out = new Set<ServiceObject>();
    for (const pair of template.labels) {
      for (const service of this.servicesByNamespaceKey.get(template.namespace + SEP + pair.key)) out.add(service);
    }
    return out;
  }

  /** Services anywhere whose selector the template satisfies. */
  servicesSelecting(template: PodTemplate, sameNamespaceOnly: boolean): ServiceObject[] {
    const out = new Set<ServiceObject>();
    for (const pair of template.labels) {
      for (const service of this.servicesByPair.get(pairKey(pair.key, pair.value))) {
        if (sameNamespaceOnly && service.namespace !== template.namespace) continue;
        if (service.selector && satisfies(template, service.selector)) out.add(service);
      }
    }
    return [...out].sort(compareObjects);
  }

  servicesWithNodePort(nodePort: number): ReadonlySet<ServiceObject> {
    return this.servicesByNodePort.get(nodePort);
  }

  servicesNamed(namespace: string, name: string): ReadonlySet<ServiceObject> {
    return this.servicesByName.get(namespace + SEP + name);
  }

  /** Ingress backends in `namespace` that send traffic to the Service `serviceName`, with their Ingress. */
  ingressBackendsFor(namespace: string, serviceName: string): { ingress: IngressObject; backend: IngressBackend }[] {
    const out: { ingress: IngressObject; backend: IngressBackend }[] = [];
    for (const ingress of [...this.ingressesByService.get(namespace + SEP + serviceName)].sort(compareObjects)) {
      for (const backend of ingress.backends) if (backend.serviceName === serviceName) out.push({ ingress, backend });
    }
    return out;
  }

  /** Pod templates of a namespace in a stable order. */
  templatesInOrder(namespace: string): PodTemplate[] {
    return [...this.templatesByNamespace.get(namespace)].sort(compareObjects);
  }

  endpointsFor(namespace: string, serviceName: string): EndpointsObject[] {
    return [...this.endpointsByName.get(namespace + SEP + serviceName)].sort(compareObjects);
  }
}
