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
 * Not everything another scope holds counts (`ElsewhereScopes.counts`): nothing of a variant of
 * the asking scope (overlays `dev` and `prod` of one base build the same Service or workload, with
 * the same name, for different clusters; a chart and a chart it renders as a subchart are one
 * release), and no plain file below a kustomization's folder that no kustomization lists (no one
 * applies it: `kubectl apply -k` builds what is listed).
 *
 * What is found is checked as if it were the asking scope's own: a reference's port, a route's
 * ReferenceGrant, a StatefulSet's headless Service, a Service's target ports on the Pods it
 * selects there.
 */
import type { LinkIndex } from '../index/linkIndex';
import { isService, isTemplate, type KubeObject, type LabelPair, type PodTemplate, type ReferenceGrantObject, type ServiceObject } from '../model/objects';
import { compareObjects } from './order';

/** A lookup in the other scopes: a Service by name, or Pod templates by selector, in one namespace. */
export type ElsewhereQuery =
  | { readonly kind: 'service'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'pods'; readonly namespace: string; readonly selector: readonly LabelPair[] }
  /** ReferenceGrants of `namespace` that allow what `allows` checks (a route's backend there). */
  | { readonly kind: 'grant'; readonly namespace: string; readonly allows: (grants: readonly ReferenceGrantObject[]) => boolean }
  /** The Services or Pod templates `find` picks from a scope's index, in any namespace (a monitor's selection). */
  | { readonly kind: 'selected'; readonly find: (index: LinkIndex) => readonly KubeObject[] };

/**
 * Where another scope holds what was looked up: that scope (its label, `overlay prod`, and the
 * folder of its build, none for plain files), its index (for the checks that follow), and the
 * Services or the Pod templates found there.
 */
export interface ElsewhereAnswer {
  readonly scopeId: string;
  /** The scope's label (`overlay prod`, `chart web`, `workspace folder`). */
  readonly label: string;
  readonly build: string | undefined;
  readonly index: LinkIndex;
  readonly services: readonly ServiceObject[];
  readonly templates: readonly PodTemplate[];
}

/** What `Elsewhere` reads of a scope. */
export interface ElsewhereScope {
  readonly id: string;
  readonly options: { readonly label: string; readonly build?: string };
  readonly linkIndex: LinkIndex;
}

/** What decides whether an object another scope holds counts for a scope that lacks it. */
export interface ElsewhereScopes {
  /** Every scope of the host, in a stable order (the first holder found is named). */
  all(): Iterable<ElsewhereScope>;
  /** Whether `object`, of the scope `holder`, may stand for what the scope `asking` lacks. */
  counts(asking: string, holder: string, object: KubeObject): boolean;
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
  /** Every scope, as last gathered. */
  private gathered: readonly ElsewhereScope[] = [];

  /** Objects some answer named: a change of one of them calls for the lookups to be made again (`namedInAnswer`). */
  private readonly named = new WeakSet<KubeObject>();

  constructor(private readonly scopes: ElsewhereScopes) {}

  /** Whether an answer named this object (its replacement may change what the lookups find). */
  namedInAnswer(object: KubeObject): boolean {
    return this.named.has(object);
  }

  /** What the scopes provide may have changed: answers are stale until the next `settle`. */
  changed(): void {
    this.generation++;
  }

  /** Gathers the scopes again when something changed since the last gathering; true when it did (every lookup is to be made again). */
  settle(): boolean {
    if (this.gatheredAt === this.generation) return false;
    this.byNamespace = new Map();
    this.gathered = [...this.scopes.all()];
    for (const scope of this.gathered) {
      for (const name of scope.linkIndex.providedNamespaces()) {
        let list = this.byNamespace.get(name);
        if (!list) this.byNamespace.set(name, (list = []));
        list.push(scope);
      }
    }
    this.gatheredAt = this.generation;
    return true;
  }

  /** The first scope other than `from` whose objects may stand for what `query` looks for (`answers`). */
  answer(from: string, query: ElsewhereQuery): ElsewhereAnswer | undefined {
    return this.answers(from, query)[0];
  }

  /**
   * Every scope other than `from` that holds what `query` looks for, with the objects that may
   * stand for it (`ElsewhereScopes.counts`), in the scopes' order. Several may: a plain Ingress in
   * front of a Service that two overlays build apart (for two clusters) is right when either is.
   */
  answers(from: string, query: ElsewhereQuery): readonly ElsewhereAnswer[] {
    if (query.kind === 'pods' && query.selector.length === 0) return NO_ANSWERS;
    let out: ElsewhereAnswer[] | undefined;
    for (const scope of query.kind === 'selected' ? this.gathered : this.scopesOf(query.namespace)) {
      if (scope.id === from) continue;
      const index = scope.linkIndex;
      const found: readonly KubeObject[] =
        query.kind === 'service'
          ? [...index.servicesNamed(query.namespace, query.name)].sort(compareObjects)
          : query.kind === 'pods'
            ? index.matches(query.namespace, query.selector)
            : query.kind === 'selected'
              ? query.find(index)
              : query.allows(index.grantsIn(query.namespace))
                ? index.grantsIn(query.namespace)
                : NO_OBJECTS;
      if (found.length === 0) continue;
      const counted = found.filter((object) => this.scopes.counts(from, scope.id, object));
      if (counted.length === 0) continue;
      for (const object of counted) this.named.add(object);
      const answer = { scopeId: scope.id, label: scope.options.label, build: scope.options.build, index };
      (out ??= []).push(
        query.kind === 'service'
          ? { ...answer, services: counted as ServiceObject[], templates: NO_TEMPLATES }
          : query.kind === 'pods'
            ? { ...answer, services: NO_SERVICES, templates: counted as PodTemplate[] }
            : query.kind === 'selected'
              ? { ...answer, services: counted.filter(isService), templates: counted.filter(isTemplate) }
              : { ...answer, services: NO_SERVICES, templates: NO_TEMPLATES },
      );
    }
    return out ?? NO_ANSWERS;
  }

  private scopesOf(namespace: string): readonly ElsewhereScope[] {
    return this.byNamespace.get(namespace) ?? NO_SCOPES;
  }
}

const NO_SCOPES: readonly ElsewhereScope[] = [];
const NO_ANSWERS: readonly ElsewhereAnswer[] = [];
const NO_OBJECTS: readonly KubeObject[] = [];
const NO_TEMPLATES: readonly PodTemplate[] = [];
const NO_SERVICES: readonly ServiceObject[] = [];

/** How reports and the preview name where an answer's objects come from: its build (`overlay prod`), or `plain manifests`. */
export function sourceOf(answer: ElsewhereAnswer): string {
  return answer.build === undefined ? 'plain manifests' : answer.label;
}

/** Whether two lists of answers name the same scopes and the same objects, in order. */
export function sameAnswers(left: readonly ElsewhereAnswer[], right: readonly ElsewhereAnswer[]): boolean {
  const same = (one: readonly KubeObject[], other: readonly KubeObject[]): boolean => one.length === other.length && one.every((object, index) => object === other[index]);
  return (
    left.length === right.length &&
    left.every((answer, position) => {
      const other = right[position]!;
      return answer.scopeId === other.scopeId && answer.index === other.index && same(answer.services, other.services) && same(answer.templates, other.templates);
    })
  );
}
