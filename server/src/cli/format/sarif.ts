/**
 * `--format sarif`: a SARIF 2.1.0 log with one run. Locations are relative to `%SRCROOT%` (the
 * working directory, declared in `originalUriBaseIds`); regions are 1-based with columns counted in
 * UTF-16 code units, the engine's own unit. Each rule carries its summary and its help, from the
 * rule's page (ruleHelp.ts).
 */
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { ruleDocUrl } from '../../engine/rules/docs';
import { RULES } from '../../engine/rules/registry';
import type { Severity, Span } from '../../engine/types';
import { rangeOf, relativePath, type CheckResult } from '../check';
import { VERSION } from '../version';
import { ruleHelp, rulePageReader } from './ruleHelp';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/service-lens/service-lens';
const SOURCE_ROOT = '%SRCROOT%';

const LEVELS: Readonly<Record<Severity, Sarif.Result.level>> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

export function toSarifLog(result: CheckResult, cwd: string, readRulePage: (id: string) => string | undefined = rulePageReader()): Sarif.Log {
  const rules: Sarif.ReportingDescriptor[] = RULES.map((rule) => ({
    id: rule.id,
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.summary },
    help: ruleHelp(rule, readRulePage(rule.id)),
    helpUri: ruleDocUrl(rule.id),
    defaultConfiguration: { level: LEVELS[rule.defaultSeverity] },
  }));
  const ruleIndex = new Map<string, number>(RULES.map((rule, index) => [rule.id, index]));

  const results: Sarif.Result[] = result.findings.map((finding) => {
    const sarifResult: Sarif.Result = {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId) ?? -1,
      level: LEVELS[finding.severity],
      message: { text: finding.message },
      locations: [{ physicalLocation: physicalLocation(result, cwd, finding.fileId, finding.span) }],
    };
    if (finding.related.length > 0) {
      sarifResult.relatedLocations = finding.related.map((related, index) => ({
        id: index,
        physicalLocation: physicalLocation(result, cwd, related.fileId, related.span),
        message: { text: related.message },
      }));
    }
    return sarifResult;
  });

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'service-lens', version: VERSION, informationUri: INFORMATION_URI, rules } },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: directoryUri(cwd) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(result: CheckResult, cwd: string): string {
  return `${JSON.stringify(toSarifLog(result, cwd), null, 2)}\n`;
}

function physicalLocation(result: CheckResult, cwd: string, fileId: string, span: Span): Sarif.PhysicalLocation {
  const range = rangeOf(result, fileId, span);
  return {
    artifactLocation: artifactLocation(cwd, fileId),
    region: {
      startLine: range.start.line + 1,
      startColumn: range.start.character + 1,
      endLine: range.end.line + 1,
      endColumn: range.end.character + 1,
    },
  };
}

/** Relative to `%SRCROOT%` when the file is under the working directory, else an absolute file URI. */
function artifactLocation(cwd: string, fileId: string): Sarif.ArtifactLocation {
  const relative = relativePath(cwd, fileId);
  if (relative.startsWith('../') || /^[A-Za-z]:/.test(relative) || relative.startsWith('/')) {
    return { uri: pathToFileURL(fileId).href };
  }
  return { uri: relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith('/') ? href : `${href}/`;
}
