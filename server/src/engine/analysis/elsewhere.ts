/**
 * What one scope lacks and another scope of the workspace holds. A workspace folder's plain
 * manifests, each kustomize overlay's build and each rendered Helm chart are analysed as scopes
 * of their own, but all of them are applied to clusters: an Ingress written as a plain file routes
 * to a Service that an overlay builds, and a Service of one build selects Pods that another build
 * (or a plain file) makes. Kubernetes resolves a Service name or a selector among all the objects
 * of the namespace, whoever applied them
 * (https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service), so a
 * name or a selector a scope cannot resolve is looked up in the other scopes before it is reported
 * as missing.
 *
 * Alternatives are not looked in: two overlays that build the same file (`overlays/dev` and
 * `overlays/prod` of one base) are variants of one application for different clusters, so one
 * cannot stand for what the other lacks; nor can two charts one of which holds the other (an
 * umbrella chart and its subchart).
 */
import type { LabelPair, PodTemplate } from '../model/objects';

/** A lookup in the other scopes: a Service by name, or Pod templates by selector, in one namespace. */
export type ElsewhereQuery =
  | { readonly kind: 'service'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'pods'; readonly namespace: string; readonly selector: readonly LabelPair[] };

/** Where another scope holds what was looked up: its label (`overlay prod`) and, for Pods, its matching templates. */
export interface ElsewhereAnswer {
  readonly scopeId: string;
  readonly scope: string;
  readonly templates: readonly PodTemplate[];
}

/** What `Elsewhere` reads of a scope. */
export interface ElsewhereScope {
  readonly id: string;
  readonly options: { readonly label: string };
  readonly linkIndex: {
    namespaces(): string[];
    servicesNamed(namespace: string, name: string): ReadonlySet<unknown>;
    matches(namespace: string, selector: readonly LabelPair[]): PodTemplate[];
  };
}

/**
 * Answers `ElsewhereQuery`s over the scopes of a host. The scopes of each namespace are gathered
 * when a change has settled (`settle`), so a lookup reads only the scopes that have objects in its
 * namespace. Between `changed` (a scope linked again, objects a scope provides came or went) and
 * the next `settle`, answers come from the last gathering and may be stale: the host then asks
 * every scope to look again (`Scope.refreshElsewhere`).
 */
export class Elsewhere {
  private generation = 0;
  private gatheredAt = -1;
  private byNamespace = new Map<string, ElsewhereScope[]>();

  /**
   * @param scopes every scope of the host, in a stable order (the first holder found is named)
   * @param alternatives whether two scopes (by id) are variants of one application
   */
  constructor(
    private readonly scopes: () => Iterable<ElsewhereScope>,
    private readonly alternatives: (left: string, right: string) => boolean,
  ) {}

  /** What the scopes provide may have changed: answers are stale until the next `settle`. */
  changed(): void {
    this.generation++;
  }

  /** Gathers the scopes again when something changed since the last gathering; true when it did (every lookup is to be made again). */
  settle(): boolean {
    if (this.gatheredAt === this.generation) return false;
    this.byNamespace = new Map();
    for (const scope of this.scopes()) {
      for (const name of scope.linkIndex.namespaces()) {
        let list = this.byNamespace.get(name);
        if (!list) this.byNamespace.set(name, (list = []));
        list.push(scope);
      }
    }
    this.gatheredAt = this.generation;
    return true;
  }

  /** The first scope other than `from` (and no alternative of it) that holds what `query` looks for. */
  answer(from: string, query: ElsewhereQuery): ElsewhereAnswer | undefined {
    for (const scope of this.scopesOf(query.namespace)) {
      if (scope.id === from) continue;
      if (query.kind === 'service') {
        if (scope.linkIndex.servicesNamed(query.namespace, query.name).size === 0) continue;
        if (this.alternatives(from, scope.id)) continue;
        return { scopeId: scope.id, scope: scope.options.label, templates: [] };
      }
      if (query.selector.length === 0) return undefined;
      const templates = scope.linkIndex.matches(query.namespace, query.selector);
      if (templates.length === 0 || this.alternatives(from, scope.id)) continue;
      return { scopeId: scope.id, scope: scope.options.label, templates };
    }
    return undefined;
  }

  private scopesOf(namespace: string): readonly ElsewhereScope[] {
    return this.byNamespace.get(namespace) ?? NO_SCOPES;
  }
}

const NO_SCOPES: readonly ElsewhereScope[] = [];

/** Whether two answers name the same scope and the same templates (the same objects). */
export function sameAnswer(left: ElsewhereAnswer | undefined, right: ElsewhereAnswer | undefined): boolean {
  if (left === undefined || right === undefined) return left === right;
  if (left.scopeId !== right.scopeId || left.templates.length !== right.templates.length) return false;
  return left.templates.every((template, index) => template === right.templates[index]);
}

/** A stable key of a query, for the lookups an object made. */
export function queryKey(query: ElsewhereQuery): string {
  if (query.kind === 'service') return `s\u0000${query.namespace}\u0000${query.name}`;
  return `p\u0000${query.namespace}\u0000${query.selector.map((pair) => `${pair.key}=${pair.value}`).join('\u0001')}`;
}
