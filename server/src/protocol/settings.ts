/**
 * The `serviceLens` settings section as the client contributes it and the server reads it through
 * `workspace/configuration` (per workspace folder). Shared by the extension and the language server;
 * imports nothing, so either side can use it.
 */

/** The configuration section the server asks for. */
export const SETTINGS_SECTION = 'serviceLens';

/** The editor's own exclude globs, honoured by the workspace scan in addition to `serviceLens.exclude`. */
export const FILES_EXCLUDE_SECTION = 'files.exclude';

/**
 * `initializationOptions` the extension sends: `storageUri` is the extension's storage for this
 * workspace (`ExtensionContext.storageUri`), where the server keeps its fact cache; absent when
 * there is none (no folder open), and then nothing is cached.
 */
export interface InitializationOptions {
  readonly storageUri?: string;
}

/** `source` of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'service-lens';

/** Manifest files the server indexes and watches, with kustomizations named `Kustomization` (kustomize's third file name). */
export const MANIFEST_GLOB = '**/{*.yaml,*.yml,*.json,Kustomization}';

export type RuleSeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

export const RULE_SEVERITY_SETTINGS: readonly RuleSeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

export type TraceSetting = 'off' | 'messages' | 'verbose';

/**
 * `serviceLens.helm.*`: rendering Helm charts with `helm template`, in trusted workspaces only
 * (see protocol/trust.ts).
 */
export interface HelmSettings {
  /** Render the workspace's charts and analyse what helm prints. */
  readonly enabled: boolean;
  /** The helm program: a name looked up on PATH, or an absolute path. */
  readonly path: string;
  /**
   * Chart folder glob (relative to the workspace folder, e.g. `charts/cart` or `deploy/*`) → values
   * files (relative to the workspace folder) passed with `-f` in order, after the chart's own
   * values.yaml. The first glob that matches a chart applies.
   */
  readonly valuesFiles: Readonly<Record<string, readonly string[]>>;
  /** Milliseconds one render may take before helm is stopped; between HELM_TIMEOUT_MIN_MS and HELM_TIMEOUT_MAX_MS. */
  readonly timeoutMs: number;
}

/** Bounds of `serviceLens.helm.timeoutMs`: a chart renders in well under a second. */
export const HELM_TIMEOUT_MIN_MS = 1_000;
export const HELM_TIMEOUT_MAX_MS = 120_000;
export const HELM_TIMEOUT_DEFAULT_MS = 10_000;

export interface ServiceLensSettings {
  /** Namespace of objects without `metadata.namespace`. */
  readonly defaultNamespace: string;
  /** Cluster DNS zone used in Service DNS names. */
  readonly clusterDomain: string;
  /** Globs relative to the workspace folder, excluded from the scan (node_modules and .git always are). */
  readonly exclude: readonly string[];
  /** Follow symbolic links whose real path leaves the workspace folder. */
  readonly followSymlinksOutsideWorkspace: boolean;
  /** Rule id → severity override, or `off`. */
  readonly rules: Readonly<Record<string, RuleSeveritySetting>>;
  /** More kinds with Pod templates: `Kind` or `group/Kind` → dotted key paths such as `spec.podTemplate`. */
  readonly podTemplatePaths: Readonly<Record<string, readonly string[]>>;
  /** Build kustomize overlays and analyse files as built there (`serviceLens.kustomize.enabled`). */
  readonly kustomize: { readonly enabled: boolean };
  readonly trace: { readonly server: TraceSetting };
  readonly helm: HelmSettings;
}

export const DEFAULT_SETTINGS: ServiceLensSettings = {
  defaultNamespace: 'default',
  clusterDomain: 'cluster.local',
  exclude: [],
  followSymlinksOutsideWorkspace: false,
  rules: {},
  podTemplatePaths: {},
  kustomize: { enabled: true },
  trace: { server: 'off' },
  helm: { enabled: true, path: 'helm', valuesFiles: {}, timeoutMs: HELM_TIMEOUT_DEFAULT_MS },
};
