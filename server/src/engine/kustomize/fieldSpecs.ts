/**
 * kustomize's built-in field specs (api/konfig/builtinpluginconsts in kustomize v5.7.1), for the
 * fields the pruned tree keeps: where `commonLabels` and `labels` write, which fields name a
 * Service (name references updated after a prefix, suffix or namespace change), and where
 * `replicas` writes. Specs on fields the tree does not keep (affinity selectors, NetworkPolicy,
 * PodDisruptionBudget, volume claim templates) change nothing a link reads and are left out.
 */
import type { FieldSpec } from './kustomization';

/** `metadataLabelsFieldSpecs`: the object's labels and the Pod template labels of each workload kind. */
export const TEMPLATE_LABEL_SPECS: readonly FieldSpec[] = [
  { path: 'metadata/labels', create: true },
  { path: 'spec/template/metadata/labels', create: true, version: 'v1', kind: 'ReplicationController' },
  { path: 'spec/template/metadata/labels', create: true, kind: 'Deployment' },
  { path: 'spec/template/metadata/labels', create: true, kind: 'ReplicaSet' },
  { path: 'spec/template/metadata/labels', create: true, kind: 'DaemonSet' },
  { path: 'spec/template/metadata/labels', create: true, group: 'apps', kind: 'StatefulSet' },
  { path: 'spec/template/metadata/labels', create: true, group: 'batch', kind: 'Job' },
  { path: 'spec/jobTemplate/metadata/labels', create: true, group: 'batch', kind: 'CronJob' },
  { path: 'spec/jobTemplate/spec/template/metadata/labels', create: true, group: 'batch', kind: 'CronJob' },
];

/** `commonLabelFieldSpecs`: the selectors too (a Service selector is created when absent). */
export const COMMON_LABEL_SPECS: readonly FieldSpec[] = [
  { path: 'spec/selector', create: true, version: 'v1', kind: 'Service' },
  { path: 'spec/selector', create: true, version: 'v1', kind: 'ReplicationController' },
  { path: 'spec/selector/matchLabels', create: true, kind: 'Deployment' },
  { path: 'spec/selector/matchLabels', create: true, kind: 'ReplicaSet' },
  { path: 'spec/selector/matchLabels', create: true, kind: 'DaemonSet' },
  { path: 'spec/selector/matchLabels', create: true, group: 'apps', kind: 'StatefulSet' },
  { path: 'spec/selector/matchLabels', create: false, group: 'batch', kind: 'Job' },
  { path: 'spec/jobTemplate/spec/selector/matchLabels', create: false, group: 'batch', kind: 'CronJob' },
  ...TEMPLATE_LABEL_SPECS,
];

/** `replicasFieldSpecs`. */
export const REPLICA_SPECS: readonly FieldSpec[] = [
  { path: 'spec/replicas', create: true, kind: 'Deployment' },
  { path: 'spec/replicas', create: true, kind: 'ReplicationController' },
  { path: 'spec/replicas', create: true, kind: 'ReplicaSet' },
  { path: 'spec/replicas', create: true, kind: 'StatefulSet' },
];

/** `nameReferenceFieldSpecs` for `kind: Service, version: v1`: the fields that hold a Service name. */
export const SERVICE_NAME_REFERENCES: readonly FieldSpec[] = [
  { path: 'spec/serviceName', kind: 'StatefulSet', group: 'apps' },
  { path: 'spec/rules/http/paths/backend/serviceName', kind: 'Ingress' },
  { path: 'spec/backend/serviceName', kind: 'Ingress' },
  { path: 'spec/rules/http/paths/backend/service/name', kind: 'Ingress' },
  { path: 'spec/defaultBackend/service/name', kind: 'Ingress' },
];

export interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** Whether a field spec applies to an object: every part it names is equal (kustomize's `Gvk.IsSelected`). */
export function specSelects(spec: { readonly group?: string; readonly version?: string; readonly kind?: string }, gvk: Gvk): boolean {
  if (spec.group && spec.group !== gvk.group) return false;
  if (spec.version && spec.version !== gvk.version) return false;
  if (spec.kind && spec.kind !== gvk.kind) return false;
  return true;
}

/** Unites field specs as kustomize's `FsSlice.MergeAll` does: one per path and kinds, created if any asks. */
export function mergeSpecs(...lists: (readonly FieldSpec[])[]): FieldSpec[] {
  const out: FieldSpec[] = [];
  for (const list of lists) {
    for (const spec of list) {
      const index = out.findIndex((s) => s.path === spec.path && s.group === spec.group && s.version === spec.version && s.kind === spec.kind);
      if (index < 0) out.push(spec);
      else if (spec.create && !out[index]!.create) out[index] = { ...out[index]!, create: true };
    }
  }
  return out;
}
