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

/** Manifest files the server indexes and watches. */
export const MANIFEST_GLOB = '**/*.{yaml,yml,json}';

export type RuleSeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

export const RULE_SEVERITY_SETTINGS: readonly RuleSeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

export type TraceSetting = 'off' | 'messages' | 'verbose';

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
};
