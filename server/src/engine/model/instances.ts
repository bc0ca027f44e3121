/**
 * Places object facts in a scope: the file they belong to, the scope, and the effective namespace
 * (the written one, else the scope's default: "a namespaced object without `metadata.namespace`
 * lands in the namespace of the request", https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/).
 */
import type { KubeObject, ObjectFacts, Placement } from './objects';

export interface PlacementContext {
  readonly fileId: string;
  readonly scopeId: string;
  readonly defaultNamespace: string;
}

/** One instance of each fact, in the order given. */
export function instantiate(facts: readonly ObjectFacts[], context: PlacementContext): KubeObject[] {
  return facts.map((fact) => instantiateOne(fact, context));
}

export function instantiateOne(fact: ObjectFacts, context: PlacementContext): KubeObject {
  const placement: Placement = {
    fileId: context.fileId,
    scopeId: context.scopeId,
    namespace: fact.writtenNamespace ?? context.defaultNamespace,
    explicitNamespace: fact.writtenNamespace !== undefined,
  };
  if (fact.shape === 'template') {
    return { ...fact, ...placement, labelMap: new Map(fact.labels.map((pair) => [pair.key, pair.value])) };
  }
  return { ...fact, ...placement };
}
