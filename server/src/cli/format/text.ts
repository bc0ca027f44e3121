/**
 * `--format text`: one line per finding (`file:line:col severity rule-id message`, 1-based), then
 * each Service with what it selects and how its ports resolve, then a summary line. Every name,
 * message and path from the input is shown with control characters escaped (escape.ts), so one
 * finding is one line and nothing in a manifest reaches the terminal as a control sequence.
 */
import type { EndpointPortReport, PortResolution, ServicePortReport, ServiceReport, TemplateRef } from '../../engine/reports';
import type { Finding, Severity } from '../../engine/types';
import { relativePath as rawRelativePath, type CheckResult } from '../check';
import { escapeControls as e } from './escape';

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

/** A file's path relative to the working directory, escaped for display. */
function relativePath(cwd: string, fileId: string): string {
  return e(rawRelativePath(cwd, fileId));
}

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
  return `${location} ${style.severity(finding.severity, finding.severity)} ${style.dim(finding.ruleId)} ${e(finding.message)}`;
}

function serviceLines(cwd: string, service: ServiceReport, style: TextStyle): string[] {
  const traits = [e(service.type)];
  if (service.headless) traits.push('headless');
  if (service.selector === null && service.type !== 'ExternalName') traits.push('no selector');
  const built = service.build ? ` in ${e(service.build.label)}` : '';
  const head = `  ${style.bold(`Service ${e(service.namespace)}/${e(service.name)}`)} (${traits.join(', ')})${built} -> ${targets(cwd, service)}`;
  const several = service.matches.length > 1;
  // Selectorless and ExternalName Services get no Pod templates by design: their ports stop at targetPort.
  const selecting = service.selector !== null && service.type !== 'ExternalName';
  return [head, `    dns ${e(service.dnsName)}`, ...service.ports.map((port) => `    ${portLine(port, several, selecting, service.owner !== undefined ? 'owned' : service.elsewhere)}`)];
}

function targets(cwd: string, service: ServiceReport): string {
  if (service.type === 'ExternalName') return service.externalName === undefined ? 'no externalName' : e(service.externalName);
  if (service.selector === null) {
    if (service.endpointObjects.length === 0) return 'no Endpoints or EndpointSlices';
    return service.endpointObjects.map((object) => reference(cwd, object)).join(', ');
  }
  if (service.matches.length > 0) return service.matches.map((template) => reference(cwd, template)).join(', ');
  if (service.owner) return `Pods its operator makes for ${reference(cwd, service.owner)}`;
  if (service.elsewhere) {
    const { build, label } = service.elsewhere;
    const from = build === undefined ? e(label) : `${e(label)} (${e(relativePath(cwd, build) || '.')})`;
    return `${service.elsewhere.matches.map((template) => reference(cwd, template)).join(', ')}, from ${from}, applied apart`;
  }
  if (service.otherNamespaceMatches.length > 0) {
    const elsewhere = service.otherNamespaceMatches
      .map((template) => `${e(template.kind)}/${e(template.name)} in ${e(template.namespace)}`)
      .join(', ');
    return `no Pod template in ${e(service.namespace)} (matches ${elsewhere})`;
  }
  return `no Pod template in ${e(service.namespace)}`;
}

function reference(cwd: string, object: { kind: string; name: string; fileId: string }): string {
  return `${e(object.kind)}/${e(object.name)} [${relativePath(cwd, object.fileId)}]`;
}

/** `80 -> http -> web:8080/TCP`; with several matched templates each resolution names its template. */
/** `beyond`: where the Pods are when no template of the Service's scope is (`owned`: an operator makes them; else the scope that builds them). */
function portLine(port: ServicePortReport, several: boolean, selecting: boolean, beyond: 'owned' | { readonly label: string } | undefined): string {
  const source = port.protocol === 'TCP' ? `${port.port}` : `${port.port}/${e(port.protocol)}`;
  // A number written as a string (`"8080"`) is a port name to the API server: shown with its quotes.
  const targetPort = typeof port.targetPort === 'string' && /^[0-9]+$/.test(port.targetPort) ? JSON.stringify(port.targetPort) : e(String(port.targetPort));
  const outcomes = [
    ...port.resolutions.map((resolution) => resolutionText(port, resolution, several)),
    ...port.unresolved.map((miss) => `unresolved on ${templateName(miss.template)}: ${e(miss.reason)}`),
  ];
  if (outcomes.length > 0) return `${source} -> ${targetPort} -> ${outcomes.join('; ')}`;
  // Without a selector, a port reaches the endpoint port of its name on each Endpoints or EndpointSlice.
  if (port.endpointPorts.length > 0) return `${source} -> ${port.endpointPorts.map((endpoint) => endpointPortText(port, endpoint)).join('; ')}`;
  if (!selecting) return `${source} -> ${targetPort}`;
  if (beyond === 'owned') return `${source} -> ${targetPort} -> the operator's Pods (ports not in a manifest)`;
  if (beyond !== undefined) return `${source} -> ${targetPort} -> Pods of ${e(beyond.label)}`;
  return `${source} -> ${targetPort} -> no Pod template`;
}

/** `EndpointSlice/pg-1:6432 (port sql)`, or `Endpoints/legacy: no port named http (its ports: web 8080/TCP)`. */
function endpointPortText(port: ServicePortReport, endpoint: EndpointPortReport): string {
  const object = `${e(endpoint.object.kind)}/${e(endpoint.object.name)}`;
  const name = port.name === undefined ? 'the unnamed port' : `port ${e(port.name)}`;
  if (endpoint.port !== undefined) return `${object}:${endpoint.port} (${name})`;
  return `${object}: no ${port.name === undefined ? 'unnamed port' : `port named ${e(port.name)}`} (its ports: ${e(endpoint.ports)})`;
}

function resolutionText(port: ServicePortReport, resolution: PortResolution, several: boolean): string {
  const number = resolution.containerPort ?? e(String(port.targetPort));
  const undeclared = resolution.containerPort === undefined ? ' (not declared)' : '';
  const text = `${e(resolution.container)}:${number}/${e(resolution.protocol)}${undeclared}`;
  return several ? `${templateName(resolution.template)} ${text}` : text;
}

function templateName(template: TemplateRef): string {
  return `${e(template.kind)}/${e(template.name)}`;
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
