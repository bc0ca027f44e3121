/**
 * Reads the `serviceLens` and `files.exclude` sections for one scope (a workspace folder, or none for
 * loose files) through `workspace/configuration`, and narrows the raw JSON into engine config and
 * exclude globs. Unknown rule ids and invalid values are dropped, never trusted.
 */
import type { Connection } from 'vscode-languageserver/node';
import type { EngineConfig, SeveritySetting } from '../engine/config';
import { isRuleId, type RuleId } from '../engine/rules/registry';
import {
  DEFAULT_SETTINGS,
  FILES_EXCLUDE_SECTION,
  HELM_TIMEOUT_MAX_MS,
  HELM_TIMEOUT_MIN_MS,
  type HelmSettings,
  RULE_SEVERITY_SETTINGS,
  SETTINGS_SECTION,
  type RuleSeveritySetting,
} from '../protocol/settings';

export interface ScopeSettings {
  readonly engine: EngineConfig;
  /** `files.exclude` (enabled entries) then `serviceLens.exclude`; node_modules and .git are added by the matcher. */
  readonly excludeGlobs: readonly string[];
  /** `serviceLens.followSymlinksOutsideWorkspace`: follow links whose real path leaves the folder. */
  readonly followSymlinksOutsideWorkspace: boolean;
  /** `serviceLens.helm.*`: rendering charts (only ever used in a trusted workspace). */
  readonly helm: HelmSettings;
}

export const DEFAULT_SCOPE_SETTINGS: ScopeSettings = toScopeSettings(undefined, undefined);

/** Asks the client for the settings of `scopeUri`; defaults when the client cannot answer. */
export async function readScopeSettings(
  connection: Connection,
  scopeUri: string | undefined,
  clientHasConfiguration: boolean,
): Promise<ScopeSettings> {
  if (!clientHasConfiguration) {
    return DEFAULT_SCOPE_SETTINGS;
  }
  const sections: unknown = await connection.workspace.getConfiguration([
    { scopeUri, section: SETTINGS_SECTION },
    { scopeUri, section: FILES_EXCLUDE_SECTION },
  ]);
  const [lens, filesExclude] = Array.isArray(sections) ? (sections as unknown[]) : [];
  return toScopeSettings(lens, filesExclude);
}

export function toScopeSettings(lens: unknown, filesExclude: unknown): ScopeSettings {
  const raw = asRecord(lens);
  return {
    engine: {
      defaultNamespace: asNonEmptyString(raw['defaultNamespace']) ?? DEFAULT_SETTINGS.defaultNamespace,
      clusterDomain: asNonEmptyString(raw['clusterDomain']) ?? DEFAULT_SETTINGS.clusterDomain,
      rules: toRuleSeverities(raw['rules']),
      podTemplatePaths: toPodTemplatePaths(raw['podTemplatePaths']),
      kustomize: asRecord(raw['kustomize'])['enabled'] !== false,
    },
    excludeGlobs: [...enabledGlobs(filesExclude), ...stringList(raw['exclude'])],
    followSymlinksOutsideWorkspace: raw['followSymlinksOutsideWorkspace'] === true,
    helm: toHelmSettings(raw['helm']),
  };
}

/** `serviceLens.helm`: invalid entries fall back to the defaults. */
function toHelmSettings(value: unknown): HelmSettings {
  const raw = asRecord(value);
  const valuesFiles: Record<string, string[]> = {};
  for (const [glob, files] of Object.entries(asRecord(raw['valuesFiles']))) {
    const list = stringList(files).map((file) => file.trim());
    if (glob.trim() !== '' && list.length > 0) valuesFiles[glob.trim()] = list;
  }
  const timeout = raw['timeoutMs'];
  return {
    enabled: raw['enabled'] !== false,
    path: asNonEmptyString(raw['path']) ?? DEFAULT_SETTINGS.helm.path,
    valuesFiles,
    timeoutMs:
      typeof timeout === 'number' && Number.isFinite(timeout)
        ? Math.min(HELM_TIMEOUT_MAX_MS, Math.max(HELM_TIMEOUT_MIN_MS, Math.round(timeout)))
        : DEFAULT_SETTINGS.helm.timeoutMs,
  };
}

/** Whether two helm settings render charts the same way. */
export function sameHelmSettings(left: HelmSettings, right: HelmSettings): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

export function sameEngineConfig(left: EngineConfig, right: EngineConfig): boolean {
  const rules = (config: EngineConfig): string =>
    Object.entries(config.rules)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, severity]) => `${id}=${severity}`)
      .join(',');
  return (
    left.defaultNamespace === right.defaultNamespace &&
    left.clusterDomain === right.clusterDomain &&
    rules(left) === rules(right) &&
    JSON.stringify(left.podTemplatePaths) === JSON.stringify(right.podTemplatePaths) &&
    left.kustomize === right.kustomize
  );
}

/** `serviceLens.podTemplatePaths`: `Kind` or `group/Kind` → dotted paths of Pod templates. */
function toPodTemplatePaths(value: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [kind, paths] of Object.entries(asRecord(value))) {
    const list = stringList(paths).map((path) => path.trim());
    if (kind.trim() !== '' && list.length > 0) out[kind.trim()] = list;
  }
  return out;
}

/** Whether two settings walk the same files (same exclude globs, same link policy). */
export function sameWalk(left: ScopeSettings, right: ScopeSettings): boolean {
  return sameGlobs(left.excludeGlobs, right.excludeGlobs) && left.followSymlinksOutsideWorkspace === right.followSymlinksOutsideWorkspace;
}

export function sameGlobs(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((glob, index) => glob === right[index]);
}

function toRuleSeverities(value: unknown): Partial<Record<RuleId, SeveritySetting>> {
  const rules: Partial<Record<RuleId, SeveritySetting>> = {};
  for (const [id, severity] of Object.entries(asRecord(value))) {
    if (isRuleId(id) && isSeveritySetting(severity)) {
      rules[id] = severity;
    }
  }
  return rules;
}

/** `files.exclude` maps a glob to `true`/`false` or to a `{ when }` condition on a sibling file; only plain `true` counts. */
function enabledGlobs(value: unknown): string[] {
  return Object.entries(asRecord(value))
    .filter(([, enabled]) => enabled === true)
    .map(([glob]) => glob);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '') : [];
}

function isSeveritySetting(value: unknown): value is RuleSeveritySetting {
  return typeof value === 'string' && (RULE_SEVERITY_SETTINGS as readonly string[]).includes(value);
}

function asNonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
