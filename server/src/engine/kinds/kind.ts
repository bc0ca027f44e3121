/**
 * What the engine knows about an object kind, as data: where its Pod templates are, how its
 * `spec.selector` must select them, which labels its controller adds to every Pod it creates, and
 * which fields it reads. One module per kind family declares these; the schema of kept fields,
 * the kinds that are read at all and the narrowing to objects all come from the declarations, so a
 * kind is declared once.
 */
import type { PNode } from '../syntax/tree';
import type { Schema } from '../syntax/schema';

/** How a document of the kind is narrowed to objects. */
export type ObjectShape =
  | 'service'
  | 'endpoints'
  | 'endpointSlice'
  | 'ingress'
  | 'workload'
  | 'route'
  | 'gateway'
  | 'referenceGrant'
  | 'serviceMonitor'
  | 'podMonitor'
  /** A custom resource whose operator makes Pods with labels the kind declares (`operatorPodLabels`). */
  | 'operated';

/** Where a kind holds a Pod template (a PodTemplateSpec: `metadata.labels` and `spec.containers`). */
export interface TemplateLocation {
  /**
   * Key path from the object root to the PodTemplateSpec. `*` steps into every item of a sequence
   * (JobSet `spec.replicatedJobs[*].template.spec.template`). The empty path means the object is a
   * Pod: its own `metadata` and `spec` are the template.
   */
  readonly path: readonly string[];
  /** Names the template when the kind has several: `leader`, `worker`. */
  readonly role?: string;
}

/** A label the controller puts on every Pod it creates, beyond the template's own labels. */
export interface ControllerLabel {
  readonly key: string;
  /** The values it takes on those Pods; `any` when they cannot be known from the manifest (hashes, uids, generated names). */
  readonly values: readonly string[] | 'any';
}

/**
 * A label's values as text for messages: the value, `web-0|web-1|web-2`, `web-0|…|web-9` past
 * three, `*` for any value.
 */
export function labelValuesText(values: readonly string[] | 'any'): string {
  if (values === 'any') return '*';
  if (values.length <= 3) return values.join('|');
  return `${values[0]}|…|${values[values.length - 1]}`;
}

/** What a controller-label function sees: the whole object and one of its templates. */
export interface TemplateSite {
  /** The object's `metadata.name`. */
  readonly name: string;
  /** The object's root node (kept fields only). */
  readonly root: PNode;
  /** The node of the sequence item the template was reached through (`*`), if any: a JobSet replicated job. */
  readonly item: PNode | undefined;
  readonly role: string | undefined;
}

/** What an `operatorPodLabels` function sees: the custom resource's name and root node (kept fields only). */
export interface OperatedSite {
  readonly name: string;
  readonly root: PNode;
}

export interface KindSpec {
  /** API group of the kind (`''` for the core group), as in the group part of `apiVersion`. */
  readonly group: string;
  readonly kind: string;
  readonly shape: ObjectShape;
  /** Pod templates of a workload shape. */
  readonly templates?: readonly TemplateLocation[];
  /**
   * How `spec.selector` must select the templates: a LabelSelector (`matchLabels`,
   * `matchExpressions`), or a plain label map (ReplicationController, DeploymentConfig).
   */
  readonly selector?: 'labelSelector' | 'map';
  /** Labels the controller adds to every Pod of a template. */
  readonly controllerLabels?: (site: TemplateSite) => readonly ControllerLabel[];
  /**
   * For the shape `operated`: every label of the Pods the kind's operator makes for one resource
   * (the labels the resource asks for and the operator's own), as the operator's source sets them.
   */
  readonly operatorPodLabels?: (site: OperatedSite) => readonly ControllerLabel[];
  /** The fields of the object the rules read, beyond metadata and the templates. */
  readonly reads?: Schema;
  /** The documentation that defines the kind's Pods and labels. */
  readonly docs: string;
}

/** The group part of an `apiVersion` (`apps/v1` → `apps`, `v1` → `''`). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** More ordinals than this are not listed: the label takes any value (`ordinals`). No workload runs this many Pods. */
export const MAX_ORDINALS = 10_000;

/**
 * `start` … `start + count - 1` as strings (ordinals of StatefulSet Pods, indexes of indexed Jobs),
 * each after `prefix`, leaving out those of `skipped` and going on past them until `count` are
 * listed; `'any'` for more than `MAX_ORDINALS`. `count` defaults to 1, `start` to 0.
 */
export function ordinals(count: number | undefined, prefix = '', start = 0, skipped: ReadonlySet<number> = NO_ORDINALS): string[] | 'any' {
  const wanted = Math.max(0, count ?? 1);
  if (wanted > MAX_ORDINALS) return 'any';
  const out: string[] = [];
  for (let ordinal = start; out.length < wanted; ordinal++) if (!skipped.has(ordinal)) out.push(`${prefix}${ordinal}`);
  return out;
}

const NO_ORDINALS: ReadonlySet<number> = new Set();

/** The node at a key path below a node (through mappings only), or undefined. */
function nodeAt(node: PNode | undefined, path: readonly string[]): PNode | undefined {
  let current = node;
  for (const key of path) {
    if (current?.type !== 'map') return undefined;
    current = current.entries.find((entry) => entry.key === key)?.value;
  }
  return current;
}

/** A numeric field of a node (`spec.replicas`), or undefined. */
export function numberAt(node: PNode | undefined, ...path: string[]): number | undefined {
  const current = nodeAt(node, path);
  return current?.type === 'scalar' && typeof current.value === 'number' && Number.isInteger(current.value) ? current.value : undefined;
}

/** The string pairs of a mapping field of a node (`spec.strategy.canary.canaryMetadata.labels`); empty when there is none. */
export function stringPairsAt(node: PNode | undefined, ...path: string[]): [string, string][] {
  const current = nodeAt(node, path);
  if (current?.type !== 'map') return [];
  const out: [string, string][] = [];
  for (const entry of current.entries) if (entry.value?.type === 'scalar' && entry.value.value !== null) out.push([entry.key, String(entry.value.value)]);
  return out;
}

/** A string field of a node, or undefined. */
export function stringAt(node: PNode | undefined, ...path: string[]): string | undefined {
  const current = nodeAt(node, path);
  return current?.type === 'scalar' && typeof current.value === 'string' ? current.value : undefined;
}
