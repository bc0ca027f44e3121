/**
 * Renders the engine's HoverModel as Markdown: a Service's hover leads with what it reaches (its
 * Pod templates, with links), then one short row per port, the `kubectl port-forward` command of
 * each port, the selector and DNS name; a Pod template's selecting Services; a selector pair's
 * nearest miss. Objects are named `Kind/name`; links point at `file#L<line>`. A Service's hover ends
 * with a command link that opens its traffic preview (the client trusts that one command only).
 */
import type { Snapshot } from '../engine/workspace';
import type { BuiltIdentity, HoverModel, NearestMiss, Referrer, ServicePortReport, ServiceReport, TemplateRef } from '../engine/reports';
import type { FileSpan } from '../engine/types';
import { portForward } from '../engine/traffic/portForward';

type TemplateHover = Extract<HoverModel, { kind: 'template' }>;
type SelectorPairHover = Extract<HoverModel, { kind: 'selector-pair' }>;
type ReferenceHover = Extract<HoverModel, { kind: 'reference' }>;

/** The client command that opens the traffic preview; arguments: document URI and position. */
const SHOW_TRAFFIC_PREVIEW = 'serviceLens.showTrafficPreview';

export function hoverMarkdown(workspace: Snapshot, model: HoverModel): string {
  switch (model.kind) {
    case 'service':
      return [serviceMarkdown(workspace, model.service), referrersMarkdown(workspace, model.referrers), buildsMarkdown(model.builds), alsoHereMarkdown(workspace, model.alsoHere)].filter((part) => part !== '').join('\n\n');
    case 'reference':
      return referenceMarkdown(workspace, model);
    case 'template':
      return [templateMarkdown(workspace, model), buildsMarkdown(model.builds)].filter((part) => part !== '').join('\n\n');
    case 'selector-pair':
      return selectorPairMarkdown(workspace, model);
  }
}

/** The other Services the hovered text makes (a Helm `range`), each in full, after a rule. */
function alsoHereMarkdown(workspace: Snapshot, services: readonly ServiceReport[] | undefined): string {
  if (!services || services.length === 0) return '';
  const count = services.length + 1;
  return [`---`, `This text makes ${count} Services in the render; the others:`, ...services.map((service) => serviceMarkdown(workspace, service))].join('\n\n');
}

/** What each kustomize overlay builds from an object of a base. */
function buildsMarkdown(builds: readonly BuiltIdentity[] | undefined): string {
  if (!builds || builds.length === 0) return '';
  const lines = builds.map((build) => {
    const labels = Object.entries(build.labels).map(([key, value]) => `${key}=${value}`).join(', ');
    return `- overlay ${code(build.overlay)}: ${text(`${build.kind} ${build.namespace}/${build.name}`)}${labels ? ` · ${code(labels)}` : ''}`;
  });
  return ['Built by kustomize as:', ...lines].join('\n');
}

/** The objects that point at a Service, each with a link. */
function referrersMarkdown(workspace: Snapshot, referrers: readonly Referrer[]): string {
  if (referrers.length === 0) return '';
  return ['Pointed at by:', ...referrers.map((referrer) => `- ${link(workspace, `${referrer.kind}/${referrer.name}`, referrer)} · ${text(referrer.via)}`)].join('\n');
}

/** A backend or `serviceName`: the Service it reaches, with its ports; or that there is none. */
function referenceMarkdown(workspace: Snapshot, model: ReferenceHover): string {
  const service = model.service;
  if (!service) return `No Service ${code(model.name)} in namespace ${code(model.namespace)}.`;
  const ports = service.ports.map((port) => `- ${code(`${port.name ? `${port.name} ` : ''}${port.port}/${port.protocol}`)} → targetPort ${code(String(port.targetPort))}`);
  if (model.refused !== undefined) {
    return [
      `Refused: ${text(model.refused)}. The route's \`ResolvedRefs\` condition is False (\`RefNotPermitted\`): no traffic reaches ${link(workspace, `Service/${service.name}`, service)} through this backendRef.`,
      ports.length > 0 ? ['Ports of the Service:', ...ports].join('\n') : 'The Service declares no ports.',
    ].join('\n\n');
  }
  return [
    `Reaches ${link(workspace, `Service/${service.name}`, service)}${model.elsewhere ? ` of ${text(model.elsewhere)} (applied apart)` : ''} · namespace ${code(service.namespace)} · ${text(service.headless ? `${service.type}, headless` : service.type)}`,
    ports.length > 0 ? ['Ports:', ...ports].join('\n') : 'The Service declares no ports.',
  ].join('\n\n');
}

function serviceMarkdown(workspace: Snapshot, service: ServiceReport): string {
  return [serviceDetails(workspace, service), trafficPreviewLink(workspace, service)].join('\n\n');
}

/** Templates named in one line or one table cell before the rest is counted. */
const LISTED_TEMPLATES = 3;

/**
 * What the Service reaches first (its Pod templates, its external name, its endpoint objects),
 * then one table row per port, the `kubectl port-forward` commands, and last the selector and
 * DNS name.
 */
function serviceDetails(workspace: Snapshot, service: ServiceReport): string {
  const type = service.headless ? `${service.type}, headless` : service.type;
  const sections = [`**Service/${text(service.name)}** · namespace ${code(service.namespace)} · ${text(type)}`, reachesMarkdown(workspace, service)];
  if (service.type !== 'ExternalName' && service.ports.length > 0) {
    sections.push(service.matches.length > 0 ? portTable(workspace, service) : `Ports: ${service.ports.map(portMappingText).join(', ')}`);
    const forwards = portForwardMarkdown(service);
    if (forwards !== '') sections.push(forwards);
  }
  const facts = service.selector === null || service.type === 'ExternalName' ? [] : [`Selector ${selectorText(service.selector)}`];
  facts.push(`DNS ${code(service.dnsName)}`);
  sections.push(facts.join(' · '));
  return sections.join('\n\n');
}

function reachesMarkdown(workspace: Snapshot, service: ServiceReport): string {
  if (service.type === 'ExternalName') {
    return `Reaches ${code(service.externalName ?? '(no externalName)')}: a DNS alias; the selector is ignored.`;
  }
  if (service.selector === null) {
    if (service.endpointObjects.length === 0) {
      return 'Reaches nothing in this workspace: without a selector, its endpoints come from Endpoints or EndpointSlices named for it (none here).';
    }
    return `Reaches the addresses of ${service.endpointObjects.map((object) => link(workspace, `${object.kind}/${object.name}`, object)).join(', ')} (no selector).`;
  }
  if (service.matches.length > 0) {
    const count = service.matches.length;
    return `Reaches ${count} Pod template${count === 1 ? '' : 's'}: ${listed(service.matches.map((template) => templateLink(workspace, template)))}`;
  }
  if (service.owner) {
    return `Reaches the Pods that the operator of ${link(workspace, `${service.owner.kind}/${service.owner.name}`, service.owner)} makes (they are in no manifest).`;
  }
  if (service.elsewhere) {
    const templates = service.elsewhere.matches.map((template) => templateLink(workspace, template));
    return `Reaches ${listed(templates)} of ${text(service.elsewhere.label)}: analysed apart, applied to the same namespace.`;
  }
  const lines = [`Reaches nothing: no Pod template in namespace ${code(service.namespace)} matches the selector.`];
  if (service.otherNamespaceMatches.length > 0) {
    const others = service.otherNamespaceMatches.map((template) => `${templateLink(workspace, template)} in ${code(template.namespace)}`);
    lines.push(`It matches ${listed(others)}.`);
  }
  return lines.join(' ');
}

/**
 * One row per port: `port → targetPort` and the container port it reaches; when every template
 * resolves it alike, that container port once, else each template's outcome.
 */
function portTable(workspace: Snapshot, service: ServiceReport): string {
  const rows = ['| Port | Reaches |', '| --- | --- |'];
  const templates = service.matches.length;
  for (const port of service.ports) {
    const target = port.targetPortDefaulted ? `${String(port.targetPort)} (default)` : String(port.targetPort);
    const node = port.nodePort === undefined ? '' : ` · node ${port.nodePort}`;
    const outcomes = [
      ...port.resolutions.map((resolution) => ({
        template: resolution.template,
        outcome: `${resolution.container}:${resolution.containerPort ?? port.targetPort}/${resolution.protocol}${resolution.containerPort === undefined ? ' (not declared)' : ''}`,
        ok: true,
      })),
      ...port.unresolved.map((miss) => ({ template: miss.template, outcome: `✗ ${miss.reason}`, ok: false })),
    ];
    const distinct = new Set(outcomes.map((entry) => entry.outcome));
    let reaches: string;
    if (outcomes.length === 0) reaches = '';
    else if (distinct.size === 1 && outcomes.length === templates) {
      const [only] = outcomes;
      reaches = `${cell(only!.outcome)}${templates > 1 ? ` on all ${templates}` : ''}`;
    } else {
      reaches = listed(outcomes.map((entry) => `${templateLink(workspace, entry.template)} ${cell(entry.outcome)}`), ' · ');
    }
    rows.push(`| ${cell(`${portText(port)} → ${target}${node}`)} | ${reaches} |`);
  }
  return rows.join('\n');
}

/** The `kubectl port-forward` command of each port kubectl can forward, else why not (once). */
function portForwardMarkdown(service: ServiceReport): string {
  const forwarded = { name: service.name, namespace: service.namespace, type: service.type, hasSelector: service.selector !== null };
  const forwards = service.ports.map((port) => portForward(forwarded, { port: port.port, protocol: port.protocol }));
  const commands = forwards.flatMap((forward) => (forward.kind === 'command' ? [forward.command] : []));
  if (commands.length === 1) return `Port-forward: ${code(commands[0]!)}`;
  if (commands.length > 1) return ['Port-forward:', ...commands.map((command) => `- ${code(command)}`)].join('\n');
  const reasons = [...new Set(forwards.flatMap((forward) => (forward.kind === 'unavailable' ? [forward.reason] : [])))];
  return reasons.length === 0 ? '' : `Port-forward: ${text(reasons.join(' '))}`;
}

/** The first few items, then how many more. */
function listed(items: readonly string[], separator = ', '): string {
  if (items.length <= LISTED_TEMPLATES) return items.join(separator);
  return `${items.slice(0, LISTED_TEMPLATES).join(separator)} and ${items.length - LISTED_TEMPLATES} more`;
}

function templateMarkdown(workspace: Snapshot, model: TemplateHover): string {
  const { template, services } = model;
  const sections = [
    `**Pod template of ${templateLink(workspace, template)}** · namespace ${code(template.namespace)}`,
    `Labels: ${selectorText(model.labels)}`,
  ];
  if (services.length === 0) {
    sections.push(`No Service in namespace ${code(template.namespace)} selects this template.`);
  } else {
    const count = services.length;
    const items = services.map((service) => {
      const ports = service.ports.length > 0 ? ` · ports ${service.ports.map(portMappingText).join(', ')}` : '';
      return `- ${link(workspace, `Service/${service.name}`, service)}${ports} · ${code(service.dnsName)}`;
    });
    sections.push([`Selected by ${count} Service${count === 1 ? '' : 's'}:`, ...items].join('\n'));
  }
  return sections.join('\n\n');
}

function selectorPairMarkdown(workspace: Snapshot, model: SelectorPairHover): string {
  const { service } = model;
  const header = `Selector ${code(`${model.key}=${model.value}`)} of ${link(workspace, `Service/${service.name}`, service)}`;
  if (model.nearestMiss) {
    return [header, nearestMissText(workspace, service, model.nearestMiss)].join('\n\n');
  }
  return [header, serviceMarkdown(workspace, service)].join('\n\n---\n\n');
}

function nearestMissText(workspace: Snapshot, service: ServiceReport, miss: NearestMiss): string {
  const total = service.selector ? Object.keys(service.selector).length : 0;
  const has = miss.actual === undefined ? `has no ${code(miss.key)} label` : `has ${code(`${miss.key}=${miss.actual}`)}`;
  return [
    `No Pod template in namespace ${code(service.namespace)} matches.`,
    `Nearest miss: ${templateLink(workspace, miss.template)} satisfies ${miss.satisfied} of ${total} selector pair${total === 1 ? '' : 's'}; it ${has}, not ${code(`${miss.key}=${miss.wanted}`)}.`,
  ].join(' ');
}

/** `[Show traffic preview](command:…?<args>)` with the Service's URI and start position as arguments. */
function trafficPreviewLink(workspace: Snapshot, service: ServiceReport): string {
  const position = workspace.positionAt(service.fileId, service.span.start);
  const argumentsJson = JSON.stringify([service.fileId, { line: position.line, character: position.character }]);
  // encodeURIComponent keeps parentheses, which would end the Markdown link target early.
  const query = encodeURIComponent(argumentsJson).replace(/[()]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[Show traffic preview](command:${SHOW_TRAFFIC_PREVIEW}?${query})`;
}

function templateLink(workspace: Snapshot, template: TemplateRef): string {
  return link(workspace, `${template.kind}/${template.name}`, template);
}

/** A Markdown link to a place in a file of the home: `[label](file:///…#L12)`. */
function link(workspace: Snapshot, label: string, target: FileSpan): string {
  let line = 1;
  try {
    line = workspace.positionAt(target.fileId, target.span.start).line + 1;
  } catch {
    // The file left the home meanwhile: link to its top.
  }
  const href = `${target.fileId}#L${line}`.replace(/[()\s]/g, (character) => encodeURIComponent(character));
  return `[${text(label)}](${href})`;
}

function selectorText(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels);
  return pairs.length === 0 ? '(none)' : pairs.map(([key, value]) => code(`${key}=${value}`)).join(', ');
}

/** `http: 80/TCP` or `80/TCP`. */
function portText(port: ServicePortReport): string {
  return `${port.name ? `${port.name}: ` : ''}${port.port}/${port.protocol}`;
}

/** `80→http/TCP`. */
function portMappingText(port: ServicePortReport): string {
  // Without a selector, a port reaches the endpoint port of its name (reports.ts `endpointPorts`).
  if (port.endpointPorts.length > 0) {
    const reached = [...new Set(port.endpointPorts.map((endpoint) => (endpoint.port === undefined ? `no port ${port.name ?? '(unnamed)'}` : String(endpoint.port))))].join('|');
    return code(`${port.port}→${reached}/${port.protocol}`);
  }
  return code(`${port.port}→${port.targetPort}/${port.protocol}`);
}

/** Inline code that survives backticks in the value. */
function code(value: string): string {
  const fence = value.includes('`') ? '``' : '`';
  const padding = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${padding}${value}${padding}${fence}`;
}

/** Plain inline text with the Markdown punctuation that matters mid-line escaped. */
function text(value: string): string {
  return value.replace(/[\\`*_[\]<>|]/g, (character) => `\\${character}`);
}

/** A table cell: plain text without pipes or line breaks. */
function cell(value: string): string {
  return text(value).replace(/\r?\n/g, ' ');
}
