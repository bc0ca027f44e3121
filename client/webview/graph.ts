/**
 * One port's path as a graph. Each hop is a DOM box placed in a CSS grid by `hop.column` (empty
 * columns collapse) and a lane per Pod hop; the arrows are SVG paths computed from the boxes'
 * positions and redrawn whenever a box or the graph changes size.
 *
 * Two layouts: `across` (columns left to right, lanes top to bottom) while the path fits the
 * panel's width, else `down` (columns top to bottom, lanes side by side), so that a path of six
 * hops fits a panel beside the editor without scrolling sideways. The choice follows the width of
 * the panel (`ResizeObserver`); the width the path needs across is measured while it is laid out
 * across. Arrow keys move the focus along the path and between lanes in either layout.
 */
import type { Hop, HopEdge, HopKind, PortPath, SourceLink } from '../../server/src/protocol/traffic';
import { element, svgElement } from './dom';
import type { Actions } from './state';

const KIND_NAMES: Readonly<Record<HopKind, string>> = {
  client: 'Client',
  gateway: 'Gateway',
  ingress: 'Ingress',
  route: 'Route',
  monitor: 'Monitor',
  'load-balancer': 'Load balancer',
  'node-port': 'Node port',
  'cluster-ip': 'Cluster IP',
  headless: 'Headless Service',
  'external-name': 'External name',
  endpoints: 'Endpoints',
  pod: 'Pods',
};

/** Length of an arrow head, in CSS pixels. */
const ARROW_LENGTH = 8;

/** `across`: columns left to right; `down`: columns top to bottom. */
export type Layout = 'across' | 'down';

/** Observers of the graphs on the page, disconnected when the page renders new data. */
const observers = new Set<ResizeObserver>();

export function disconnectGraphs(): void {
  for (const observer of observers) observer.disconnect();
  observers.clear();
}

interface Placed {
  readonly hop: Hop<SourceLink>;
  readonly box: HTMLElement;
  /** 0-based index among the graph's non-empty columns. */
  readonly column: number;
  /** 0-based lane (0 for a hop alone in its column). */
  readonly row: number;
  /** Alone in its column: spans every lane. */
  readonly spans: boolean;
}

export function portTitle(port: PortPath<SourceLink>): string {
  const name = port.name === undefined || port.name === '' ? '' : `${port.name} `;
  return `Port ${name}${port.port}/${port.protocol}`;
}

/** The graph of one port and, below it, the broken links as text. */
export function renderPortGraph(port: PortPath<SourceLink>, actions: Actions): HTMLElement {
  const columns = [...new Set(port.hops.map((hop) => hop.column))].sort((left, right) => left - right);
  const byColumn = columns.map((column) => port.hops.filter((hop) => hop.column === column));
  const lanes = Math.max(1, ...byColumn.map((hops) => hops.length));

  const svg = svgElement('svg', { class: 'edges', 'aria-hidden': 'true', focusable: 'false' });
  const graph = element('div', {
    className: 'graph',
    attributes: { role: 'group', 'aria-roledescription': 'traffic path', 'aria-label': describePath(port, byColumn) },
  });
  graph.appendChild(svg);

  const placed: Placed[] = [];
  byColumn.forEach((hops, column) => {
    hops.forEach((hop, index) => {
      const box = renderHop(hop, actions);
      graph.appendChild(box);
      // A single hop in a column spans every lane, centred; several take one lane each.
      placed.push({ hop, box, column, row: hops.length === 1 ? 0 : index, spans: hops.length === 1 });
    });
  });
  const shape: Shape = { columns: columns.length, lanes, placed };
  let layout: Layout = 'across';
  layOut(graph, shape, layout);

  const scroller = element('div', { className: 'graph-scroll' }, [graph]);
  const boxes = new Map(placed.map((entry) => [entry.hop.id, entry.box]));
  const redraw = (): void => drawEdges(graph, svg, boxes, port.edges, layout);
  let acrossWidth = 0;
  let pending = false;
  const fit = (): void => {
    pending = false;
    if (!scroller.isConnected) return;
    if (layout === 'across') acrossWidth = graph.offsetWidth;
    const next: Layout = acrossWidth > innerWidth(scroller) ? 'down' : 'across';
    if (next !== layout) {
      layout = next;
      layOut(graph, shape, layout);
    }
    redraw();
  };
  // The layout changes a frame later: changing sizes inside a ResizeObserver callback would make
  // the observer report a loop.
  const observer = new ResizeObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(fit);
  });
  observers.add(observer);
  observer.observe(scroller);
  observer.observe(graph);
  for (const entry of placed) observer.observe(entry.box);
  graph.addEventListener('keydown', (event) => moveFocus(event, placed, layout));

  const problems = renderBrokenEdges(port);
  return element('div', { className: 'path' }, [scroller, problems]);
}

interface Shape {
  /** Non-empty columns. */
  readonly columns: number;
  readonly lanes: number;
  readonly placed: readonly Placed[];
}

/** Places every box for the layout: grid tracks, and each box's column and row. */
function layOut(graph: HTMLElement, shape: Shape, layout: Layout): void {
  graph.setAttribute('data-layout', layout);
  const along = `repeat(${shape.columns}, ${layout === 'across' ? 'max-content' : 'auto'})`;
  const lanes = layout === 'across' ? `repeat(${shape.lanes}, auto)` : `repeat(${shape.lanes}, minmax(0, 1fr))`;
  graph.style.setProperty('grid-template-columns', layout === 'across' ? along : lanes);
  graph.style.setProperty('grid-template-rows', layout === 'across' ? lanes : along);
  for (const entry of shape.placed) {
    const step = String(entry.column + 1);
    const lane = entry.spans ? `1 / span ${shape.lanes}` : String(entry.row + 1);
    entry.box.style.setProperty('grid-column', layout === 'across' ? step : lane);
    entry.box.style.setProperty('grid-row', layout === 'across' ? lane : step);
  }
}

/** The width inside an element's padding, in CSS pixels. */
function innerWidth(element: HTMLElement): number {
  const style = getComputedStyle(element);
  return element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
}

function renderHop(hop: Hop<SourceLink>, actions: Actions): HTMLElement {
  const kindName = KIND_NAMES[hop.kind];
  const className = `hop hop-${hop.kind}${hop.broken === undefined ? '' : ' broken'}`;
  const content = [
    element('span', { className: 'hop-kind' }, [kindName]),
    element('span', { className: 'hop-label' }, [hop.label]),
    hop.detail === '' ? undefined : element('span', { className: 'hop-detail' }, [hop.detail]),
    ...hop.notes.map((note) => element('span', { className: 'hop-note' }, [note])),
    hop.broken === undefined ? undefined : element('span', { className: 'hop-broken' }, [hop.broken]),
  ];
  const location = hop.location;
  if (location === undefined) {
    return element('div', { className, attributes: { 'data-hop': hop.id } }, content);
  }
  const described = [kindName, hop.label, hop.detail, hop.broken === undefined ? '' : `broken: ${hop.broken}`, ...hop.notes]
    .filter((part) => part !== '')
    .join(', ');
  const button = element(
    'button',
    { className, attributes: { type: 'button', 'data-hop': hop.id, 'aria-label': described, title: 'Show in the manifest' } },
    content,
  );
  button.addEventListener('click', () => actions.reveal(location, `${kindName} ${hop.label}`));
  return button;
}

/** Broken links as text, except those whose reason their target hop already shows. */
function renderBrokenEdges(port: PortPath<SourceLink>): HTMLElement | undefined {
  const hops = new Map(port.hops.map((hop) => [hop.id, hop]));
  const broken = port.edges.filter((edge) => edge.broken !== undefined && hops.get(edge.to)?.broken !== edge.broken);
  if (broken.length === 0) return undefined;
  return element(
    'ul',
    { className: 'broken-edges', attributes: { 'aria-label': 'Broken links' } },
    broken.map((edge) =>
      element('li', { className: 'broken-edge' }, [
        element('span', { className: 'edge-ends' }, [`${hops.get(edge.from)?.label ?? edge.from} → ${hops.get(edge.to)?.label ?? edge.to}`]),
        ': ',
        element('span', { className: 'edge-reason' }, [edge.broken ?? '']),
      ]),
    ),
  );
}

/** "Client, then Cluster IP :80, then Pods Deployment/web or StatefulSet/db; broken: …". */
function describePath(port: PortPath<SourceLink>, byColumn: readonly (readonly Hop<SourceLink>[])[]): string {
  const steps = byColumn.map(describeColumn);
  const brokenHops = port.hops.filter((hop) => hop.broken !== undefined).length;
  const brokenEdges = port.edges.filter((edge) => edge.broken !== undefined).length;
  const problems = [
    brokenHops > 0 ? `${brokenHops} broken hop${brokenHops === 1 ? '' : 's'}` : '',
    brokenEdges > 0 ? `${brokenEdges} broken link${brokenEdges === 1 ? '' : 's'}` : '',
  ].filter((part) => part !== '');
  const path = `Traffic path of ${portTitle(port)}: ${steps.join(', then ')}`;
  return problems.length === 0 ? path : `${path}. ${problems.join(', ')}.`;
}

/** `Pods Deployment/web or Pod/web-canary`: the kind once per run of hops of that kind; `Client`, not `Client client`. */
function describeColumn(hops: readonly Hop<SourceLink>[]): string {
  const parts: string[] = [];
  hops.forEach((hop, index) => {
    const kindName = KIND_NAMES[hop.kind];
    const label = hop.label.toLowerCase() === kindName.toLowerCase() ? '' : hop.label;
    const sameKind = index > 0 && hops[index - 1]!.kind === hop.kind;
    parts.push(sameKind && label !== '' ? label : [kindName, label].filter((part) => part !== '').join(' '));
  });
  return parts.join(' or ');
}

function drawEdges(graph: HTMLElement, svg: SVGSVGElement, boxes: ReadonlyMap<string, HTMLElement>, edges: readonly HopEdge[], layout: Layout): void {
  // The SVG itself must not count: after a change of layout its old size would keep the graph wide.
  svg.setAttribute('width', '0');
  svg.setAttribute('height', '0');
  const width = graph.scrollWidth;
  const height = graph.scrollHeight;
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const drawn = edges.flatMap((edge) => {
    const from = boxes.get(edge.from);
    const to = boxes.get(edge.to);
    return from === undefined || to === undefined ? [] : [drawEdge(edge, from, to, layout)];
  });
  svg.replaceChildren(...drawn);
}

/** A curve from the source box's far side to the target box's near side, ending in an arrow head. */
function drawEdge(edge: HopEdge, from: HTMLElement, to: HTMLElement, layout: Layout): SVGGElement {
  // offsetLeft/offsetTop are relative to the graph (the boxes' offset parent), as is the SVG.
  const { line, head } = layout === 'across' ? acrossCurve(from, to) : downCurve(from, to);
  const group = svgElement('g', { class: edge.broken === undefined ? 'edge' : 'edge broken', 'data-from': edge.from, 'data-to': edge.to }, [
    svgElement('path', { class: 'edge-line', d: line }),
    svgElement('path', { class: 'edge-head', d: head }),
  ]);
  if (edge.broken !== undefined) group.appendChild(svgElement('title', {}, [edge.broken]));
  return group;
}

/** Right side of `from` to the left side of `to`. */
function acrossCurve(from: HTMLElement, to: HTMLElement): { line: string; head: string } {
  const startX = from.offsetLeft + from.offsetWidth;
  const startY = from.offsetTop + from.offsetHeight / 2;
  const endX = to.offsetLeft;
  const endY = to.offsetTop + to.offsetHeight / 2;
  const lineEndX = endX - ARROW_LENGTH;
  const bend = Math.max(12, (lineEndX - startX) / 2);
  return {
    line: `M ${round(startX)} ${round(startY)} C ${round(startX + bend)} ${round(startY)}, ${round(lineEndX - bend)} ${round(endY)}, ${round(lineEndX)} ${round(endY)}`,
    head: `M ${round(endX)} ${round(endY)} L ${round(lineEndX)} ${round(endY - ARROW_LENGTH / 2)} L ${round(lineEndX)} ${round(endY + ARROW_LENGTH / 2)} Z`,
  };
}

/** Bottom of `from` to the top of `to`. */
function downCurve(from: HTMLElement, to: HTMLElement): { line: string; head: string } {
  const startX = from.offsetLeft + from.offsetWidth / 2;
  const startY = from.offsetTop + from.offsetHeight;
  const endX = to.offsetLeft + to.offsetWidth / 2;
  const endY = to.offsetTop;
  const lineEndY = endY - ARROW_LENGTH;
  const bend = Math.max(8, (lineEndY - startY) / 2);
  return {
    line: `M ${round(startX)} ${round(startY)} C ${round(startX)} ${round(startY + bend)}, ${round(endX)} ${round(lineEndY - bend)}, ${round(endX)} ${round(lineEndY)}`,
    head: `M ${round(endX)} ${round(endY)} L ${round(endX - ARROW_LENGTH / 2)} ${round(lineEndY)} L ${round(endX + ARROW_LENGTH / 2)} ${round(lineEndY)} Z`,
  };
}

function round(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

/** The arrow keys that go along the path (next, previous) and across its lanes (next, previous). */
const KEYS: Readonly<Record<Layout, Readonly<Record<string, 'next' | 'previous' | 'lane-next' | 'lane-previous'>>>> = {
  across: { ArrowRight: 'next', ArrowLeft: 'previous', ArrowDown: 'lane-next', ArrowUp: 'lane-previous' },
  down: { ArrowDown: 'next', ArrowUp: 'previous', ArrowRight: 'lane-next', ArrowLeft: 'lane-previous' },
};

function moveFocus(event: KeyboardEvent, placed: readonly Placed[], layout: Layout): void {
  const current = placed.find((entry) => entry.box === event.target);
  if (current === undefined) return;
  const focusable = placed.filter((entry) => entry.box instanceof HTMLButtonElement);
  let candidates: readonly Placed[];
  switch (KEYS[layout][event.key]) {
    case 'next': {
      const next = Math.min(...focusable.filter((entry) => entry.column > current.column).map((entry) => entry.column));
      candidates = focusable.filter((entry) => entry.column === next);
      break;
    }
    case 'previous': {
      const previous = Math.max(...focusable.filter((entry) => entry.column < current.column).map((entry) => entry.column));
      candidates = focusable.filter((entry) => entry.column === previous);
      break;
    }
    case 'lane-next':
      candidates = focusable.filter((entry) => entry.column === current.column && entry.row > current.row).slice(0, 1);
      break;
    case 'lane-previous':
      candidates = focusable.filter((entry) => entry.column === current.column && entry.row < current.row).slice(-1);
      break;
    default:
      return;
  }
  const target = nearestRow(candidates, current.row);
  if (target === undefined) return;
  event.preventDefault();
  target.box.focus();
}

function nearestRow(candidates: readonly Placed[], row: number): Placed | undefined {
  let best: Placed | undefined;
  for (const candidate of candidates) {
    if (best === undefined || Math.abs(candidate.row - row) < Math.abs(best.row - row)) best = candidate;
  }
  return best;
}

