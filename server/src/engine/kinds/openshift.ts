/**
 * OpenShift `DeploymentConfig` (`apps.openshift.io`): `spec.template` with a plain-map
 * `spec.selector`. Each rollout creates a ReplicationController `<name>-<version>` whose Pods carry
 * `deploymentconfig=<name>` and `deployment=<name>-<version>`
 * (https://docs.redhat.com/en/documentation/openshift_container_platform/4.14/html/building_applications/deployments).
 */
import type { KindSpec } from './kind';

export const OPENSHIFT_KINDS: readonly KindSpec[] = [
  {
    group: 'apps.openshift.io',
    kind: 'DeploymentConfig',
    shape: 'workload',
    templates: [{ path: ['spec', 'template'] }],
    selector: 'map',
    controllerLabels: (site) => [
      { key: 'deploymentconfig', values: [site.name] },
      { key: 'deployment', values: 'any' },
    ],
    docs: 'https://docs.redhat.com/en/documentation/openshift_container_platform/4.14/html/building_applications/deployments',
  },
];
