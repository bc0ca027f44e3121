/**
 * The command line of `service-lens`, parsed with `node:util` parseArgs. Parsing never throws: a
 * bad command line is a `usage` result whose message the caller prints before exiting with 2.
 */
import { parseArgs } from 'node:util';
import type { SeveritySetting } from '../engine/config';
import { isRuleId, RULE_IDS, type RuleId } from '../engine/rules/registry';
import type { Severity } from '../engine/types';
import { parsePreviewCommand, type PreviewOptions } from './preview';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface CheckOptions {
  /** Files and directories as given; `.` when none are. */
  readonly paths: readonly string[];
  readonly format: Format;
  /** The lowest severity that makes the run fail (exit 1); `none` reports without failing. */
  readonly failOn: Severity | 'none';
  readonly rules: Readonly<Partial<Record<RuleId, SeveritySetting>>>;
  readonly defaultNamespace: string | undefined;
  readonly clusterDomain: string | undefined;
  /** `--follow-symlinks-outside`: follow links whose real path leaves the path given. */
  readonly followSymlinksOutside: boolean;
  /** `--cache DIR`: keep the facts of every file in DIR and take unchanged files from there next time. */
  readonly cacheDirectory: string | undefined;
  /** `--kustomize on|off`: build kustomize overlays (default), or read every file as it is. */
  readonly kustomize: boolean;
  /** `--helm off|auto`: off (default) skips templated documents; auto renders charts with `helm` when it is on PATH. */
  readonly helm: 'off' | 'auto';
  /** `--helm-values FILE`, repeatable: values files after each chart's values.yaml, as given (relative to the working directory). */
  readonly helmValues: readonly string[];
}

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'check'; readonly options: CheckOptions }
  | { readonly kind: 'preview'; readonly options: PreviewOptions }
  | { readonly kind: 'usage'; readonly message: string };

export const USAGE = `Usage: service-lens check [paths...] [options]
       service-lens preview [paths...] --out <file.html> [--default-namespace <ns>] [--cluster-domain <domain>]
                            [--follow-symlinks-outside] [--overlay <kustomization folder>]

Links Kubernetes Services to the Pod templates they select and reports unmatched
selectors and port mismatches. All paths of one run form one linking universe;
directories are searched for *.yaml, *.yml and *.json files.

Options:
  --format <text|json|sarif>        output format (default: text)
  --fail-on <error|warning|info|none>
                                    exit 1 when a finding is at least this severe (default: error);
                                    none: report only, exit 0 whatever is found
  --rule <id>=<severity>|off        override a rule's severity (error, warning, information, hint)
                                    or turn it off; repeatable
  --default-namespace <namespace>   namespace of objects without metadata.namespace (default: default)
  --cluster-domain <domain>         cluster DNS domain (default: cluster.local)
  --follow-symlinks-outside         follow symbolic links whose real path leaves the path given
                                    (default: such links are not followed and are noted on stderr)
  --cache <dir>                     check: keep what each file says in <dir> and read only changed
                                    files next time (results are the same with or without it)
  --kustomize <on|off>              on (default): analyse the files a kustomization reaches as
                                    kustomize builds them, each top overlay as its own scope;
                                    off: read every file as it is (patch files are still skipped)
  --helm <off|auto>                 off (default): Helm templates are skipped; auto: render each
                                    chart (folder with Chart.yaml) with helm template, when helm is
                                    on PATH, and analyse each chart as its own scope
  --helm-values <file>              with --helm auto: a values file passed to helm with -f after the
                                    chart's values.yaml (a file inside a chart folder: that chart
                                    only; elsewhere: every chart); repeatable
  --out <file.html>                 preview: write the traffic preview of every Service (DNS names,
                                    env vars, paths) to this standalone page
  --overlay <path>                  preview: only the Services this kustomization (folder or file)
                                    builds: an overlay, or a base built alone (default: every build)
  -h, --help                        show this help
  --version                         show the version

Exit status: 0 no finding at or above --fail-on, 1 findings at or above --fail-on,
2 usage or input/output error.

Rules: ${RULE_IDS.join(', ')}
`;

const SEVERITY_NAMES: ReadonlyMap<string, Severity> = new Map([
  ['error', 'error'],
  ['warning', 'warning'],
  ['information', 'information'],
  ['info', 'information'],
  ['hint', 'hint'],
]);

const OPTIONS = {
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  rule: { type: 'string', multiple: true },
  'default-namespace': { type: 'string' },
  'cluster-domain': { type: 'string' },
  out: { type: 'string' },
  'follow-symlinks-outside': { type: 'boolean' },
  cache: { type: 'string' },
  kustomize: { type: 'string' },
  helm: { type: 'string' },
  'helm-values': { type: 'string', multiple: true },
  overlay: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export function parseCommandLine(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [command, ...paths] = positionals;
  if (command === undefined) return usage('Missing command; expected "check" or "preview".');
  if (command === 'preview') return parsePreviewCommand(values, paths);
  if (command !== 'check') return usage(`Unknown command "${command}"; expected "check" or "preview".`);
  if (values.out !== undefined) return usage('--out is an option of preview, not of check.');
  if (values.cache !== undefined && values.cache.trim() === '') return usage('--cache needs a folder.');
  if (values.overlay !== undefined) return usage('--overlay is an option of preview, not of check.');

  const format = values.format ?? 'text';
  if (!isFormat(format)) return usage(`Unknown format "${format}"; expected one of ${FORMATS.join(', ')}.`);

  const failOnName = values['fail-on'] ?? 'error';
  const failOn = failOnName === 'none' ? 'none' : SEVERITY_NAMES.get(failOnName);
  if (failOn === undefined) {
    return usage(`Unknown --fail-on level "${failOnName}"; expected error, warning, info or none.`);
  }

  const rules: Partial<Record<RuleId, SeveritySetting>> = {};
  for (const entry of values.rule ?? []) {
    const parsedRule = parseRuleOverride(entry);
    if (typeof parsedRule === 'string') return usage(parsedRule);
    rules[parsedRule.id] = parsedRule.setting;
  }

  const defaultNamespace = values['default-namespace'];
  if (defaultNamespace !== undefined && defaultNamespace.trim() === '') {
    return usage('--default-namespace needs a namespace name.');
  }
  const clusterDomain = values['cluster-domain'];
  if (clusterDomain !== undefined && clusterDomain.trim() === '') {
    return usage('--cluster-domain needs a domain.');
  }
  const kustomize = values.kustomize ?? 'on';
  if (kustomize !== 'on' && kustomize !== 'off') return usage(`Unknown --kustomize value "${kustomize}"; expected on or off.`);

  const helm = values.helm ?? 'off';
  if (helm !== 'off' && helm !== 'auto') return usage(`Unknown --helm value "${helm}"; expected off or auto.`);
  const helmValues = values['helm-values'] ?? [];
  if (helmValues.some((file) => file.trim() === '')) return usage('--helm-values needs a file.');

  return {
    kind: 'check',
    options: {
      paths: paths.length > 0 ? paths : ['.'],
      format,
      failOn,
      rules,
      defaultNamespace,
      clusterDomain,
      followSymlinksOutside: values['follow-symlinks-outside'] === true,
      cacheDirectory: values.cache,
      kustomize: kustomize === 'on',
      helm,
      helmValues,
    },
  };
}

/** `<id>=<severity>` or `<id>=off`; a string result is the usage message. */
function parseRuleOverride(entry: string): { id: RuleId; setting: SeveritySetting } | string {
  const equals = entry.indexOf('=');
  if (equals < 0) return `--rule expects <id>=<severity>, got "${entry}".`;
  const id = entry.slice(0, equals).trim();
  const settingName = entry.slice(equals + 1).trim();
  if (!isRuleId(id)) return `Unknown rule "${id}" in --rule; known rules: ${RULE_IDS.join(', ')}.`;
  if (settingName === 'off') return { id, setting: 'off' };
  const severity = SEVERITY_NAMES.get(settingName);
  if (severity === undefined) {
    return `Unknown severity "${settingName}" for rule ${id}; expected error, warning, information, hint or off.`;
  }
  return { id, setting: severity };
}

function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

function usage(message: string): Command {
  return { kind: 'usage', message };
}
