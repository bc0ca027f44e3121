/**
 * Links one Service to the Pod templates it selects and resolves each of its ports on them.
 *
 * Kubernetes semantics (https://kubernetes.io/docs/concepts/services-networking/service/):
 * - "By default and for convenience, the targetPort is set to the same value as the port field";
 *   the API server also defaults a targetPort of 0 or "" to `port`.
 * - A named targetPort refers to a container port `name` in each Pod, so "you can change the port
 *   numbers that Pods expose" per Pod; the endpoints controller resolves it per Pod by name and
 *   protocol. A numeric targetPort is used as is: `containerPort` is informational
 *   (reference/kubernetes-api/workload-resources/pod-v1/#ports: "Not specifying a port here DOES NOT
 *   prevent that port from being exposed").
 * - ExternalName Services have no selector semantics; a Service without a selector gets its
 *   endpoints from Endpoints/EndpointSlices written by hand.
 * - Sidecars (init containers with `restartPolicy: Always`) run for the Pod's life and serve ports
 *   like app containers (concepts/workloads/pods/sidecar-containers/).
 */
import type { ContainerFact, LabelPair, PodTemplate, ServiceObject, ServicePortFact } from '../model/objects';
import type { Span } from '../types';
import { compareObjects } from './order';
import type { Universe } from './universe';

export type PortOutcome =
  | {
      readonly template: PodTemplate;
      readonly kind: 'name' | 'number';
      readonly container: string;
      readonly containerPort: number | undefined;
      readonly protocol: string;
      /** The container port entry it resolved to. */
      readonly portSpan: Span;
    }
  | { readonly template: PodTemplate; readonly kind: 'undeclared'; readonly declaresPorts: boolean }
  | { readonly template: PodTemplate; readonly kind: 'unresolved' }
  | { readonly template: PodTemplate; readonly kind: 'protocol'; readonly otherProtocols: readonly string[] };

export interface PortLink {
  readonly fact: ServicePortFact;
  /** Effective targetPort; undefined when the port has no number to default from. */
  readonly target: number | string | undefined;
  readonly defaulted: boolean;
  /** Where a finding about the target points: the targetPort value, else the port value, else the item. */
  readonly targetSpan: Span;
  readonly outcomes: readonly PortOutcome[];
}

export interface NearestMiss {
  readonly template: PodTemplate;
  readonly satisfied: number;
  /** The first selector pair the template does not satisfy. */
  readonly pair: LabelPair;
  readonly actual: string | undefined;
}

export interface ServiceLink {
  readonly service: ServiceObject;
  /** Whether the selector is used at all: a non-empty selector on a non-ExternalName Service. */
  readonly selecting: boolean;
  readonly matches: readonly PodTemplate[];
  readonly otherNamespace: readonly PodTemplate[];
  readonly nearestMiss: NearestMiss | undefined;
  readonly ports: readonly PortLink[];
}

export function linkService(service: ServiceObject, universe: Universe): ServiceLink {
  const selector = service.selector;
  const selecting = selector !== null && service.type !== 'ExternalName';
  const matches = selecting ? universe.matches(service.namespace, selector) : [];
  const otherNamespace = selecting && matches.length === 0 ? universe.matchesElsewhere(service.namespace, selector) : [];
  const nearestMiss = selecting && matches.length === 0 ? findNearestMiss(service, selector, universe) : undefined;
  const ports = service.ports.map((fact) => linkPort(fact, matches));
  return { service, selecting, matches, otherNamespace, nearestMiss, ports };
}

function linkPort(fact: ServicePortFact, matches: readonly PodTemplate[]): PortLink {
  const written = fact.targetPort?.value;
  const defaulted = written === undefined || written === 0 || written === '';
  const target = defaulted ? fact.port?.value : written;
  const targetSpan = (!defaulted && fact.targetPort?.span) || fact.port?.span || fact.span;
  const outcomes = target === undefined ? [] : matches.map((template) => resolveOn(template, target, fact.protocol));
  return { fact, target, defaulted, targetSpan, outcomes };
}

/** Containers whose ports a Service can reach: app containers and sidecars. */
export function servingContainers(template: PodTemplate): ContainerFact[] {
  return template.containers.filter((container) => !container.init || container.restartable);
}

function resolveOn(template: PodTemplate, target: number | string, protocol: string): PortOutcome {
  const containers = servingContainers(template);
  const otherProtocols = new Set<string>();
  let declaresPorts = false;
  for (const container of containers) {
    for (const port of container.ports) {
      declaresPorts = true;
      const same = typeof target === 'string' ? port.name === target : port.containerPort === target;
      if (!same) continue;
      if (port.protocol === protocol) {
        return {
          template,
          kind: typeof target === 'string' ? 'name' : 'number',
          container: container.name,
          containerPort: port.containerPort,
          protocol: port.protocol,
          portSpan: port.span,
        };
      }
      otherProtocols.add(port.protocol);
    }
  }
  if (otherProtocols.size > 0) return { template, kind: 'protocol', otherProtocols: [...otherProtocols].sort() };
  if (typeof target === 'string') return { template, kind: 'unresolved' };
  return { template, kind: 'undeclared', declaresPorts };
}

/**
 * The template in the Service's namespace that comes closest to the selector: most pairs
 * satisfied, then most selector keys present, then the closest differing value, then file order.
 */
function findNearestMiss(service: ServiceObject, selector: readonly LabelPair[], universe: Universe): NearestMiss | undefined {
  const keys = selector.map((pair) => pair.key);
  let bestTemplate: PodTemplate | undefined;
  let bestFirst: LabelPair | undefined;
  let bestSatisfied = -1;
  let bestKeys = -1;
  let bestDistance: number | undefined;
  for (const template of universe.templatesWithAnyKey(service.namespace, keys)) {
    let satisfied = 0;
    let keysPresent = 0;
    let first: LabelPair | undefined;
    for (const pair of selector) {
      const actual = template.labelMap.get(pair.key);
      if (actual !== undefined) keysPresent++;
      if (actual === pair.value) satisfied++;
      else if (!first) first = pair;
    }
    if (!first) continue;
    if (satisfied < bestSatisfied || (satisfied === bestSatisfied && keysPresent < bestKeys)) continue;
    if (satisfied > bestSatisfied || keysPresent > bestKeys) {
      bestTemplate = template;
      bestFirst = first;
      bestSatisfied = satisfied;
      bestKeys = keysPresent;
      bestDistance = undefined;
      continue;
    }
    // A tie on pairs and keys: the closer differing value wins, then file order. The distance is
    // computed only up to the best one so far, which keeps wide namespaces cheap.
    const limit = (bestDistance ??= valueDistance(bestTemplate!.labelMap.get(bestFirst!.key), bestFirst!.value, Number.MAX_SAFE_INTEGER));
    const distance = valueDistance(template.labelMap.get(first.key), first.value, limit);
    if (distance < limit || (distance === limit && compareObjects(template, bestTemplate!) < 0)) {
      bestTemplate = template;
      bestFirst = first;
      bestDistance = distance;
    }
  }
  if (!bestTemplate || !bestFirst) return undefined;
  return { template: bestTemplate, satisfied: bestSatisfied, pair: bestFirst, actual: bestTemplate.labelMap.get(bestFirst.key) };
}

function valueDistance(actual: string | undefined, wanted: string, limit: number): number {
  return actual === undefined ? Number.MAX_SAFE_INTEGER : editDistance(actual, wanted, limit);
}

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
