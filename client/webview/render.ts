/**
 * Renders a preview (or the reason there is none) into the page: a toolbar with the title, the
 * kustomize build switcher (for a file several builds hold) and the scope switcher, then one region per Service with its DNS names, env vars and port paths.
 * Every manifest-derived string goes through `element`'s text children.
 */
import type {
  DnsInfo,
  EnvCollision,
  EnvInfo,
  OverlayChoices,
  PortForward,
  PortPath,
  ServiceTraffic,
  SourceLink,
  TrafficPreview,
  TrafficScope,
} from '../../server/src/protocol/traffic';
import { element, replaceChildren, uniqueId, type Child } from './dom';
import { disconnectGraphs, portTitle, renderPortGraph } from './graph';
import type { Actions } from './state';

export interface RenderOptions {
  /** Whether the scope switcher is shown (only an extension can answer a scope change). */
  readonly scopes: boolean;
  readonly scope: TrafficScope;
}

const SCOPE_CHOICES: readonly (readonly [TrafficScope, string])[] = [
  ['service', 'Service'],
  ['file', 'File'],
  ['namespace', 'Namespace'],
];

export function renderPreview(root: HTMLElement, preview: TrafficPreview<SourceLink>, actions: Actions, options: RenderOptions): void {
  disconnectGraphs();
  const count = preview.services.length;
  const subtitle = `${count} Service${count === 1 ? '' : 's'} · cluster domain ${preview.clusterDomain}`;
  const sections = preview.services.map((service) => renderService(service, actions));
  replaceChildren(root, [
    renderToolbar(preview.title, subtitle, actions, options, preview.overlays),
    preview.note === undefined ? undefined : element('p', { className: 'note', attributes: { role: 'note' } }, [preview.note]),
    count > 1 ? renderContents(preview.services, sections) : undefined,
    element('main', { className: 'services' }, count === 0 ? [element('p', { className: 'empty' }, ['No Service in this scope.'])] : sections),
  ]);
}

export function renderEmpty(root: HTMLElement, reason: string, actions: Actions, options: RenderOptions): void {
  disconnectGraphs();
  replaceChildren(root, [
    renderToolbar('Traffic preview', '', actions, options),
    element('main', { className: 'services' }, [element('p', { className: 'empty', attributes: { role: 'status' } }, [reason])]),
  ]);
}

function renderToolbar(title: string, subtitle: string, actions: Actions, options: RenderOptions, overlays?: OverlayChoices): HTMLElement {
  return element('header', { className: 'toolbar' }, [
    element('div', { className: 'heading' }, [
      element('h1', {}, [title]),
      subtitle === '' ? undefined : element('p', { className: 'subtitle' }, [subtitle]),
    ]),
    overlays === undefined ? undefined : options.scopes ? renderOverlaySwitcher(overlays, actions) : renderOverlayNote(overlays),
    options.scopes ? renderScopeSwitcher(options.scope, actions) : undefined,
  ]);
}

/** `staging`, or `base as is` for the base built without an overlay. */
function overlayText(choice: OverlayChoices['choices'][number]): string {
  return choice.kind === 'base' ? `${choice.label} as is` : choice.label;
}

/** The kustomize builds of the file (its base alone, each overlay by folder name); choosing one asks for its preview. */
function renderOverlaySwitcher(overlays: OverlayChoices, actions: Actions): HTMLElement {
  const name = uniqueId('overlay');
  const choices = overlays.choices.map((choice) => {
    const input = element('input', { attributes: { type: 'radio', name, value: choice.id, 'data-overlay-kind': choice.kind } });
    input.checked = choice.id === overlays.selected;
    input.addEventListener('change', () => {
      if (input.checked) actions.overlay(choice.id);
    });
    return element('label', { className: 'scope-choice' }, [input, element('span', {}, [overlayText(choice)])]);
  });
  return element('fieldset', { className: 'overlays', attributes: { title: 'The kustomize build this preview shows' } }, [
    element('legend', { className: 'visually-hidden' }, ['Preview as built by']),
    ...choices,
  ]);
}

/** Where no extension can answer a choice (a standalone page): which build the preview shows. */
function renderOverlayNote(overlays: OverlayChoices): HTMLElement {
  const selected = overlays.choices.find((choice) => choice.id === overlays.selected);
  return element('p', { className: 'subtitle overlay-note' }, [`As built by ${selected === undefined ? 'an overlay' : overlayText(selected)}`]);
}

function renderScopeSwitcher(current: TrafficScope, actions: Actions): HTMLElement {
  const name = uniqueId('scope');
  const choices = SCOPE_CHOICES.map(([scope, text]) => {
    const input = element('input', { attributes: { type: 'radio', name, value: scope } });
    input.checked = scope === current;
    input.addEventListener('change', () => {
      if (input.checked) actions.scope(scope);
    });
    return element('label', { className: 'scope-choice' }, [input, element('span', {}, [text])]);
  });
  return element('fieldset', { className: 'scope' }, [element('legend', { className: 'visually-hidden' }, ['Show Services of']), ...choices]);
}

function renderContents(services: readonly ServiceTraffic<SourceLink>[], sections: readonly HTMLElement[]): HTMLElement {
  const links = services.map((service, index) => {
    const link = element('a', {}, [`${service.namespace}/${service.name}`]);
    link.href = `#${sections[index]?.id ?? ''}`;
    return element('li', {}, [link]);
  });
  return element('nav', { className: 'contents', attributes: { 'aria-label': 'Services' } }, [element('ul', {}, links)]);
}

function renderService(service: ServiceTraffic<SourceLink>, actions: Actions): HTMLElement {
  const headingId = uniqueId('service-title');
  const nameButton = element('button', { className: 'service-name link', attributes: { type: 'button', title: 'Show in the manifest' } }, [service.name]);
  nameButton.addEventListener('click', () => actions.reveal(service.location, `Service ${service.name}`));
  const type = service.headless ? `${service.type}, headless` : service.type;
  return element('section', { className: 'service', attributes: { id: uniqueId('service'), role: 'region', 'aria-labelledby': headingId } }, [
    element('header', { className: 'service-header' }, [
      element('h2', { attributes: { id: headingId } }, [element('span', { className: 'kind' }, ['Service']), ' ', nameButton]),
      element('dl', { className: 'facts' }, [
        ...fact('Namespace', [service.namespace]),
        ...fact('Type', [type]),
        ...fact('Selector', renderSelector(service.selector)),
      ]),
    ]),
    renderNotes(service.notes, 'Notes on this Service'),
    renderDns(service.name, service.dns, actions),
    renderEnv(service.env, actions),
    ...service.ports.map((port) => renderPort(port, actions)),
    service.ports.length === 0 ? element('p', { className: 'muted' }, ['No ports.']) : undefined,
  ]);
}

function fact(term: string, description: readonly Child[]): HTMLElement[] {
  return [element('dt', {}, [term]), element('dd', {}, description)];
}

function renderSelector(selector: Readonly<Record<string, string>> | null): Child[] {
  if (selector === null) return [element('span', { className: 'muted' }, ['none (endpoints are managed by hand)'])];
  const pairs = Object.entries(selector);
  if (pairs.length === 0) return [element('span', { className: 'muted' }, ['empty'])];
  return pairs.map(([key, value]) => element('code', { className: 'chip' }, [`${key}=${value}`]));
}

function renderNotes(notes: readonly string[], label: string): HTMLElement | undefined {
  if (notes.length === 0) return undefined;
  return element(
    'ul',
    { className: 'notes', attributes: { 'aria-label': label } },
    notes.map((note) => element('li', {}, [note])),
  );
}

function renderDns(serviceName: string, dns: DnsInfo<SourceLink>, actions: Actions): HTMLElement {
  const headingId = uniqueId('dns');
  const names = [
    { name: dns.fqdn, from: 'from any Pod (fully qualified)' },
    ...dns.shortNames.map((short) => ({ name: short.name, from: `from ${short.from}` })),
  ];
  const recordRows = dns.records.map((record) =>
    element('tr', {}, [
      element('td', {}, [element('span', { className: `record-type record-${record.type.toLowerCase()}` }, [record.type])]),
      element('td', { className: 'record-name' }, [
        dnsName(record.name),
        ' ',
        copyButton(record.name, actions),
        record.location === undefined ? undefined : revealButton(record.location, 'source', `${record.type} ${record.name}`, actions),
      ]),
      element('td', { className: 'record-value' }, [record.value]),
    ]),
  );
  return element('section', { className: 'block dns', attributes: { 'aria-labelledby': headingId } }, [
    element('h3', { attributes: { id: headingId } }, ['DNS']),
    element(
      'ul',
      { className: 'dns-names', attributes: { 'aria-label': `DNS names of ${serviceName}` } },
      names.map((entry) =>
        element('li', {}, [
          dnsName(entry.name),
          copyButton(entry.name, actions),
          element('span', { className: 'dns-from' }, [entry.from]),
        ]),
      ),
    ),
    recordRows.length === 0
      ? undefined
      : element('table', { className: 'records' }, [
          element('caption', { className: 'visually-hidden' }, [`DNS records of ${serviceName}`]),
          element('thead', {}, [
            element('tr', {}, [
              element('th', { attributes: { scope: 'col' } }, ['Record']),
              element('th', { attributes: { scope: 'col' } }, ['Name']),
              element('th', { attributes: { scope: 'col' } }, ['Resolves to']),
            ]),
          ]),
          element('tbody', {}, recordRows),
        ]),
    renderNotes(dns.notes, 'Notes on DNS'),
  ]);
}

function renderEnv(env: EnvInfo<SourceLink>, actions: Actions): HTMLElement {
  const byName = new Map<string, EnvCollision<SourceLink>[]>();
  for (const collision of env.collisions) byName.set(collision.name, [...(byName.get(collision.name) ?? []), collision]);
  const known = new Set(env.variables.map((variable) => variable.name));
  const rows = env.variables.map((variable) => {
    const collisions = byName.get(variable.name) ?? [];
    return element('tr', { className: collisions.length > 0 ? 'collision' : undefined }, [
      element('td', {}, [
        element('code', {}, [variable.name]),
        collisions.length === 0 ? undefined : renderCollisionNote(collisions, actions),
      ]),
      element('td', {}, [element('code', {}, [variable.value])]),
    ]);
  });
  const others = env.collisions.filter((collision) => !known.has(collision.name));
  const summary = env.applies ? `Environment variables (${env.variables.length})` : 'Environment variables (none)';
  const collisionCount = env.collisions.length;
  return element('details', { className: 'block env' }, [
    element('summary', {}, [
      element('span', { className: 'summary-title' }, [summary]),
      collisionCount === 0 ? undefined : element('span', { className: 'warning-badge' }, [`${collisionCount} collision${collisionCount === 1 ? '' : 's'}`]),
    ]),
    renderNotes(env.notes, 'Notes on environment variables'),
    rows.length === 0
      ? undefined
      : element('table', { className: 'variables' }, [
          element('caption', { className: 'visually-hidden' }, ['Environment variables']),
          element('thead', {}, [
            element('tr', {}, [element('th', { attributes: { scope: 'col' } }, ['Name']), element('th', { attributes: { scope: 'col' } }, ['Value'])]),
          ]),
          element('tbody', {}, rows),
        ]),
    others.length === 0
      ? undefined
      : element(
          'ul',
          { className: 'collisions', attributes: { 'aria-label': 'Other collisions' } },
          others.map((collision) => element('li', {}, [element('code', {}, [collision.name]), ' ', renderCollisionNote([collision], actions)])),
        ),
  ]);
}

function renderCollisionNote(collisions: readonly EnvCollision<SourceLink>[], actions: Actions): HTMLElement {
  const links: Child[] = [];
  collisions.forEach((collision, index) => {
    if (index > 0) links.push(', ');
    links.push(revealButton(collision.location, collision.template, `${collision.name} in ${collision.template}`, actions));
  });
  return element('span', { className: 'collision-note' }, ['collides with the variable set by ', ...links]);
}

function renderPort(port: PortPath<SourceLink>, actions: Actions): HTMLElement {
  const headingId = uniqueId('port');
  const target = typeof port.targetPort === 'number' ? String(port.targetPort) : `“${port.targetPort}”`;
  return element('section', { className: 'block port', attributes: { 'aria-labelledby': headingId } }, [
    element('h3', { attributes: { id: headingId } }, [
      portTitle(port),
      element('span', { className: 'port-facts' }, [
        `target port ${target}`,
        port.nodePort === undefined ? undefined : ` · node port ${port.nodePort}`,
      ]),
    ]),
    port.portForward === undefined ? undefined : renderPortForward(port.portForward, actions),
    renderPortGraph(port, actions),
  ]);
}

/** The `kubectl port-forward` command with a copy button, or why there is none. */
function renderPortForward(forward: PortForward, actions: Actions): HTMLElement {
  const term = element('span', { className: 'port-forward-term' }, ['Port-forward']);
  if (forward.kind === 'unavailable') {
    return element('p', { className: 'port-forward unavailable' }, [term, ' ', element('span', { className: 'muted' }, [forward.reason])]);
  }
  return element('p', { className: 'port-forward', attributes: { 'data-local-port': String(forward.localPort) } }, [
    term,
    ' ',
    element('code', { className: 'command' }, [forward.command]),
    ' ',
    copyButton(forward.command, actions),
  ]);
}

/** A DNS name that may wrap after each dot (a `<wbr>` element, not markup from the name). */
function dnsName(name: string): HTMLElement {
  const parts: Child[] = [];
  name.split('.').forEach((label, index) => {
    if (index > 0) parts.push('.', element('wbr'));
    parts.push(label);
  });
  return element('code', { className: 'dns-name' }, parts);
}

function copyButton(text: string, actions: Actions): HTMLElement {
  const button = element('button', { className: 'copy', attributes: { type: 'button', 'aria-label': `Copy ${text}`, title: 'Copy' } }, ['Copy']);
  button.addEventListener('click', () => actions.copy(text));
  return button;
}

function revealButton(location: SourceLink, text: string, what: string, actions: Actions): HTMLElement {
  const button = element('button', { className: 'link', attributes: { type: 'button', title: `Show ${what} in the manifest` } }, [text]);
  button.addEventListener('click', () => actions.reveal(location, what));
  return button;
}
