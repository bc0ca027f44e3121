/**
 * `--format text`: one line per finding (`file:line:col severity rule-id message`, 1-based), then
 * each Service with what it selects and how its ports resolve, then a summary line.
 */
import type { PortResolution, ServicePortReport, ServiceReport, TemplateRef } from '../../engine/reports';
import type { Finding, Severity } from '../../engine/types';
import { relativePath, type CheckResult } from '../check';

export interface TextStyle {
  severity(severity: Severity, text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export const PLAIN: TextStyle = {
  severity: (_severity, text) => text,
  dim: (text) => text,
  bold: (text) => text,
};

const SEVERITY_COLOURS: Readonly<Record<Severity, string>> = {
  error: '31', // red
  warning: '33', // yellow
  information: '36', // cyan
  hint: '90', // grey
};

export const ANSI: TextStyle = {
  severity: (severity, text) => `\u001b[${SEVERITY_COLOURS[severity]}m${text}\u001b[39m`,
  dim: (text) => `\u001b[2m${text}\u001b[22m`,
  bold: (text) => `\u001b[1m${text}\u001b[22m`,
};

export function formatText(result: CheckResult, cwd: string, style: TextStyle): string {
  const lines: string[] = [];
  for (const finding of result.findings) lines.push(findingLine(result, cwd, finding, style));

  if (result.services.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(style.bold('Services'));
    for (const service of result.services) lines.push(...serviceLines(cwd, service, style));
  }

  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(result));
  return `${lines.join('\n')}\n`;
}

export function findingLine(result: CheckResult, cwd: string, finding: Finding, style: TextStyle): string {
  const start = result.positionAt(finding.fileId, finding.span.start);
  const location = `${relativePath(cwd, finding.fileId)}:${start.line + 1}:${start.character + 1}`;
  return `${location} ${style.severity(finding.severity, finding.severity)} ${style.dim(finding.ruleId)} ${oneLine(finding.message)}`;
}

function serviceLines(cwd: string, service: ServiceReport, style: TextStyle): string[] {
  const traits = [service.type];
  if (service.headless) traits.push('headless');
  if (service.selector === null && service.type !== 'ExternalName') traits.push('no selector');
  const head = `  ${style.bold(`Service ${service.namespace}/${service.name}`)} (${traits.join(', ')}) -> ${targets(cwd, service)}`;
  const several = service.matches.length > 1;
  // Selectorless and ExternalName Services get no Pod templates by design: their ports stop at targetPort.
  const selecting = service.selector !== null && service.type !== 'ExternalName';
  return [head, `    dns ${service.dnsName}`, ...service.ports.map((port) => `    ${portLine(port, several, selecting)}`)];
}

function targets(cwd: string, service: ServiceReport): string {
  if (service.type === 'ExternalName') return service.externalName ?? 'no externalName';
  if (service.selector === null) {
    if (service.endpointObjects.length === 0) return 'no Endpoints or EndpointSlices';
    return service.endpointObjects.map((object) => reference(cwd, object)).join(', ');
  }
  if (service.matches.length > 0) return service.matches.map((template) => reference(cwd, template)).join(', ');
  if (service.otherNamespaceMatches.length > 0) {
    const elsewhere = service.otherNamespaceMatches
      .map((template) => `${template.kind}/${template.name} in ${template.namespace}`)
      .join(', ');
    return `no Pod template in ${service.namespace} (matches ${elsewhere})`;
  }
  return `no Pod template in ${service.namespace}`;
}

function reference(cwd: string, object: { kind: string; name: string; fileId: string }): string {
  return `${object.kind}/${object.name} [${relativePath(cwd, object.fileId)}]`;
}

/** `80 -> http -> web:8080/TCP`; with several matched templates each resolution names its template. */
function portLine(port: ServicePortReport, several: boolean, selecting: boolean): string {
  const source = port.protocol === 'TCP' ? `${port.port}` : `${port.port}/${port.protocol}`;
  const outcomes = [
    ...port.resolutions.map((resolution) => resolutionText(port, resolution, several)),
    ...port.unresolved.map((miss) => `unresolved on ${templateName(miss.template)}: ${oneLine(miss.reason)}`),
  ];
  if (outcomes.length > 0) return `${source} -> ${port.targetPort} -> ${outcomes.join('; ')}`;
  return `${source} -> ${port.targetPort}${selecting ? ' -> no Pod template' : ''}`;
}

function resolutionText(port: ServicePortReport, resolution: PortResolution, several: boolean): string {
  const number = resolution.containerPort ?? port.targetPort;
  const undeclared = resolution.containerPort === undefined ? ' (not declared)' : '';
  const text = `${resolution.container}:${number}/${resolution.protocol}${undeclared}`;
  return several ? `${templateName(resolution.template)} ${text}` : text;
}

function templateName(template: TemplateRef): string {
  return `${template.kind}/${template.name}`;
}

export function summaryLine(result: CheckResult): string {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const finding of result.findings) counts[finding.severity] += 1;
  const parts = [
    plural(counts.error, 'error', 'errors'),
    plural(counts.warning, 'warning', 'warnings'),
    `${counts.information} information`,
  ];
  if (counts.hint > 0) parts.push(plural(counts.hint, 'hint', 'hints'));
  const files = plural(result.fileIds.length, 'file', 'files');
  const services = plural(result.services.length, 'Service', 'Services');
  return `${parts.join(', ')} in ${files}; ${services}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Messages are single sentences, but a line-oriented format must never be split by one. */
function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ');
}
