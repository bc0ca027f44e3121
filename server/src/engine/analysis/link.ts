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
import type { ElsewhereAnswer } from './elsewhere';
import { fitted, NO_ITEMS } from '../model/compact';
import { apiGroup } from '../kinds/kind';
import type { LinkIndex } from '../index/linkIndex';
import type { ContainerFact, LabelPair, PodTemplate, ResourceObject, ServiceObject, ServicePortFact } from '../model/objects';
import type { Span } from '../types';
import { editDistance } from './editDistance';
import { findNearestMiss } from './nearestMiss';
import { compareObjects } from './order';
import { nearestByDirectory } from './proximity';

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
  /** What the template's Pods carry for that key (`a|b` for several controller values), if anything. */
  readonly actual: string | undefined;
}

/**
 * A custom resource whose operator makes the Pods a selector names: the selector has a pair whose
 * key is in the resource's API group domain (or a parent domain of it) and whose value is the
 * resource's name (`cnpg.io/cluster: pg-main` for the `postgresql.cnpg.io` Cluster `pg-main`).
 * A heuristic: operators conventionally label the Pods they make so (docs/kubernetes-semantics.md).
 */
export interface OperatorOwner {
  readonly resource: ResourceObject;
  readonly pair: LabelPair;
}

export interface ServiceLink {
  readonly service: ServiceObject;
  /** Whether the selector is used at all: a non-empty selector on a non-ExternalName Service. */
  readonly selecting: boolean;
  /** The templates the Service reaches: the nearest matches in the directory tree (see proximity.ts). */
  readonly matches: readonly PodTemplate[];
  /** Matches farther away in the directory tree (other samples, alternatives): listed, not port-checked. */
  readonly alsoMatches: readonly PodTemplate[];
  readonly otherNamespace: readonly PodTemplate[];
  readonly nearestMiss: NearestMiss | undefined;
  /** When nothing matches: the custom resource whose operator makes the Pods. */
  readonly owner: OperatorOwner | undefined;
  /** When nothing matches and no owner: a custom resource named almost like a selector value (a typo). */
  readonly ownerMiss: OperatorOwner | undefined;
  readonly ports: readonly PortLink[];
  /**
   * When nothing matches in the Service's own scope and no operator makes its Pods: another scope
   * of the workspace whose templates it matches (a plain Service in front of the Pods an overlay
   * builds: analysis/elsewhere.ts). Set by the scope; not port-checked.
   */
  readonly elsewhere?: ElsewhereAnswer;
}

export interface LinkOptions {
  /** Keep only the nearest matches in the directory tree (a workspace folder; not an overlay or chart, which are applied whole). */
  readonly proximity: boolean;
}

export function linkService(service: ServiceObject, index: LinkIndex, options: LinkOptions): ServiceLink {
  const selector = service.selector;
  const selecting = selector !== null && service.type !== 'ExternalName';
  const all = selecting ? index.matches(service.namespace, selector) : [];
  const { nearest: matches, farther: alsoMatches } = options.proximity ? nearestByDirectory(service.fileId, all) : { nearest: all, farther: [] };
  const unmatched = selecting && matches.length === 0;
  const owner = unmatched ? findOwner(service, selector, index, false) : undefined;
  const ownerMiss = unmatched && !owner ? findOwner(service, selector, index, true) : undefined;
  const otherNamespace = unmatched && !owner ? index.matchesElsewhere(service.namespace, selector) : [];
  const nearestMiss = unmatched && !owner ? findNearestMiss(service.namespace, selector, index) : undefined;
  const ports = service.ports.map((fact) => linkPort(fact, matches));
  return { service, selecting, matches: fitted(matches), alsoMatches: fitted(alsoMatches), otherNamespace: fitted(otherNamespace), nearestMiss, owner, ownerMiss, ports };
}

/** Whether a label key's prefix is the API group's domain or a parent domain of it (`cnpg.io` for `postgresql.cnpg.io`). */
function inGroupDomain(key: string, group: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const prefix = key.slice(0, slash);
  if (!prefix.includes('.')) return false;
  return group === prefix || group.endsWith('.' + prefix);
}

/** Whether the Pods an operator makes for `resource`, with the labels its kind declares, satisfy every pair of `selector`. */
function operatorPodsSatisfy(resource: ResourceObject, selector: readonly LabelPair[]): boolean {
  if (resource.podLabels.length === 0) return false;
  return selector.every((pair) => {
    const label = resource.podLabels.find((candidate) => candidate.key === pair.key);
    return label !== undefined && (label.values === 'any' || label.values.includes(pair.value));
  });
}

/**
 * The custom resource of the Service's namespace that owns the selected Pods: one whose kind
 * declares its Pods' labels and they satisfy the selector, else one named exactly by a pair in its
 * domain; or with `nearMiss`, the one whose name is closest to a selector value under its domain
 * (edit distance at most a third of the name, at least 1).
 */
function findOwner(service: ServiceObject, selector: readonly LabelPair[], index: LinkIndex, nearMiss: boolean): OperatorOwner | undefined {
  const resources = index.resourcesIn(service.namespace);
  if (resources.size === 0) return undefined;
  const sorted = [...resources].sort(compareObjects);
  if (!nearMiss && selector.length > 0) {
    const labelled = sorted.find((resource) => operatorPodsSatisfy(resource, selector));
    if (labelled) return { resource: labelled, pair: selector[0]! };
  }
  if (nearMiss) {
    // The resource whose operator's Pods satisfy the most pairs (one at least), with the first pair they do not.
    let closest: { owner: OperatorOwner; satisfied: number } | undefined;
    for (const resource of sorted) {
      if (resource.podLabels.length === 0) continue;
      const failing = selector.filter((pair) => !operatorPodsSatisfy(resource, [pair]));
      const satisfied = selector.length - failing.length;
      if (satisfied > 0 && failing.length > 0 && (!closest || satisfied > closest.satisfied)) closest = { owner: { resource, pair: failing[0]! }, satisfied };
    }
    if (closest) return closest.owner;
  }
  let best: { owner: OperatorOwner; distance: number } | undefined;
  for (const resource of sorted) {
    const group = apiGroup(resource.apiVersion);
    for (const pair of selector) {
      if (!inGroupDomain(pair.key, group)) continue;
      if (!nearMiss) {
        if (pair.value === resource.name) return { resource, pair };
        continue;
      }
      const limit = Math.max(1, Math.floor(resource.name.length / 3));
      const distance = editDistance(pair.value, resource.name, limit);
      if (distance <= limit && (!best || distance < best.distance)) best = { owner: { resource, pair }, distance };
    }
  }
  return best?.owner;
}

/** One Service port resolved on the templates a Service reaches (the port's target, then each template's outcome). */
export function linkPort(fact: ServicePortFact, matches: readonly PodTemplate[]): PortLink {
  const written = fact.targetPort?.value;
  const defaulted = written === undefined || written === 0 || written === '';
  const target = defaulted ? fact.port?.value : written;
  const targetSpan = (!defaulted && fact.targetPort?.span) || fact.port?.span || fact.span;
  const outcomes = target === undefined ? NO_ITEMS : matches.map((template) => resolveOn(template, target, fact.protocol));
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
