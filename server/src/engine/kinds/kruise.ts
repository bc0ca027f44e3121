/**
 * OpenKruise workloads (`apps.kruise.io`): `CloneSet` labels its Pods with
 * `apps.kruise.io/cloneset-instance-id`, `controller-revision-hash` and `pod-template-hash`
 * (https://openkruise.io/docs/user-manuals/cloneset/); Advanced `StatefulSet` keeps the built-in
 * StatefulSet's Pod labels (https://openkruise.io/docs/user-manuals/advancedstatefulset/), for
 * ordinals that skip `spec.reserveOrdinals`: "replicas=3 and its reserveOrdinals=[1], the sts
 * will have Pods ordinals [0, 2, 3]" (apis/apps/v1beta1/statefulset_types.go); an entry is an
 * ordinal or, in later releases, a range `"2-4"`.
 */
import { LEAF } from '../syntax/schema';
import { child, type PNode } from '../syntax/tree';
import { statefulSetLabels } from './apps';
import type { KindSpec } from './kind';

const REPLICAS = { keys: { spec: { keys: { replicas: LEAF, serviceName: LEAF } } } };
const ADVANCED_STATEFUL_SET_READS = { keys: { spec: { keys: { replicas: LEAF, serviceName: LEAF, reserveOrdinals: { items: LEAF } } } } };

/** Ranges larger than this are not expanded (a typo such as `"0-99999999"`); their ordinals stay listed. */
const MAX_RESERVED = 10_000;

/** The ordinals `spec.reserveOrdinals` of an Advanced StatefulSet reserves. */
function reservedOrdinals(root: PNode): ReadonlySet<number> {
  const list = child(child(root, 'spec'), 'reserveOrdinals');
  const out = new Set<number>();
  if (list?.type !== 'seq') return out;
  for (const item of list.items) {
    if (item?.type !== 'scalar') continue;
    if (typeof item.value === 'number' && Number.isInteger(item.value)) {
      out.add(item.value);
      continue;
    }
    const range = typeof item.value === 'string' ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(item.value) : null;
    if (!range) continue;
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (to >= from && to - from < MAX_RESERVED) for (let ordinal = from; ordinal <= to; ordinal++) out.add(ordinal);
  }
  return out;
}

export const KRUISE_KINDS: readonly KindSpec[] = [
  {
    group: 'apps.kruise.io',
    kind: 'CloneSet',
    shape: 'workload',
    templates: [{ path: ['spec', 'template'] }],
    selector: 'labelSelector',
    controllerLabels: () => [
      { key: 'apps.kruise.io/cloneset-instance-id', values: 'any' },
      { key: 'controller-revision-hash', values: 'any' },
      { key: 'pod-template-hash', values: 'any' },
    ],
    reads: REPLICAS,
    docs: 'https://openkruise.io/docs/user-manuals/cloneset/',
  },
  {
    group: 'apps.kruise.io',
    kind: 'StatefulSet',
    shape: 'workload',
    templates: [{ path: ['spec', 'template'] }],
    selector: 'labelSelector',
    controllerLabels: (site) => statefulSetLabels(site, reservedOrdinals(site.root)),
    reads: ADVANCED_STATEFUL_SET_READS,
    docs: 'https://openkruise.io/docs/user-manuals/advancedstatefulset/',
  },
];
