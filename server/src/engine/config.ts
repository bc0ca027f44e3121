import type { PodTemplatePaths } from './kinds/registry';
import type { RuleId, Severity } from './types';

export type SeveritySetting = Severity | 'off';

export interface EngineConfig {
  /** Namespace of objects without `metadata.namespace` (kubectl uses the context's namespace, usually `default`). */
  readonly defaultNamespace: string;
  /** Cluster DNS zone; Services resolve as `<svc>.<ns>.svc.<clusterDomain>`. */
  readonly clusterDomain: string;
  /** Per-rule severity overrides; `off` disables a rule. */
  readonly rules: Readonly<Partial<Record<RuleId, SeveritySetting>>>;
  /** More kinds with Pod templates: `Kind` or `group/Kind` → dotted key paths (`spec.podTemplate`). */
  readonly podTemplatePaths: PodTemplatePaths;
  /** Build kustomize overlays and analyse files as built there (false: read every file as it is). */
  readonly kustomize: boolean;
}

export const DEFAULT_CONFIG: EngineConfig = {
  defaultNamespace: 'default',
  clusterDomain: 'cluster.local',
  rules: {},
  podTemplatePaths: {},
  kustomize: true,
};

export function resolveConfig(partial: Partial<EngineConfig> | undefined): EngineConfig {
  return {
    defaultNamespace: nonEmpty(partial?.defaultNamespace) ?? DEFAULT_CONFIG.defaultNamespace,
    clusterDomain: nonEmpty(partial?.clusterDomain)?.replace(/\.+$/, '') ?? DEFAULT_CONFIG.clusterDomain,
    rules: { ...(partial?.rules ?? {}) },
    podTemplatePaths: { ...(partial?.podTemplatePaths ?? {}) },
    kustomize: partial?.kustomize ?? DEFAULT_CONFIG.kustomize,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
