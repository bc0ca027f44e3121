/**
 * The traffic preview: what a client reaches through a Service, derived from manifests alone.
 * One contract for every layer: the engine builds `TrafficPreview<FileSpan>` (offsets into files),
 * the server sends `TrafficPreview<SourceLink>` (URI + line/character) as the result of the custom
 * request below, the client forwards it to the webview, and the CLI embeds it in a standalone page.
 *
 * Types, constants and one pure function (`mapLocations`): imports nothing, so the engine, the
 * server, the CLI, the client and the browser code can all use it.
 */

/** Custom LSP request: `TrafficPreviewParams` → `TrafficPreview<SourceLink> | null`. */
export const TRAFFIC_PREVIEW_REQUEST = 'serviceLens/trafficPreview';

/** Which Services a preview shows: the one at the cursor, those of its file or namespace, or all (CLI). */
export type TrafficScope = 'service' | 'file' | 'namespace' | 'workspace';

export interface TrafficPreviewParams {
  /** The document the cursor is in. */
  readonly uri: string;
  /** The cursor (0-based, UTF-16); with scope `service` the Service under or before it. */
  readonly position: { readonly line: number; readonly character: number };
  readonly scope: TrafficScope;
  /**
   * The kustomize build to preview the file in: the `id` of one of `TrafficPreview.overlays`'
   * choices. Absent, or no longer a choice: the first overlay that builds the file.
   */
  readonly overlay?: string;
}

/** One build a file can be previewed in: a kustomize overlay that builds it, or its base built alone. */
export interface OverlayChoice {
  /** Opaque to the client: sent back as `TrafficPreviewParams.overlay` (the kustomization file). */
  readonly id: string;
  /** The folder name of the kustomization (`prod`, `staging`, `base`). */
  readonly label: string;
  /** `base`: the kustomization that lists the file, built without any overlay; `overlay`: a top one. */
  readonly kind: 'base' | 'overlay';
}

/** The builds a file belongs to, when there are several, and the one the preview shows. */
export interface OverlayChoices {
  readonly selected: string;
  /** The base first, then the overlays by folder. */
  readonly choices: readonly OverlayChoice[];
}

/** Where a node of the preview comes from, for "reveal in editor". */
export interface SourceLink {
  readonly uri: string;
  readonly line: number;
  readonly character: number;
}

export interface TrafficPreview<L> {
  readonly version: 1;
  readonly scope: TrafficScope;
  /** A heading: `Service shop/web`, `web.yaml`, `namespace shop`. */
  readonly title: string;
  readonly clusterDomain: string;
  readonly services: readonly ServiceTraffic<L>[];
  /** Why some Services of the scope are not shown (the preview of a namespace or workspace is capped), if any are left out. */
  readonly note?: string;
  /** Present when the file is built by more than one kustomization: which build this preview shows. */
  readonly overlays?: OverlayChoices;
}

export interface ServiceTraffic<L> {
  readonly name: string;
  readonly namespace: string;
  /** Effective type: ClusterIP, NodePort, LoadBalancer or ExternalName. */
  readonly type: string;
  /** `clusterIP: None` */
  readonly headless: boolean;
  /** Null for a Service without a selector. */
  readonly selector: Readonly<Record<string, string>> | null;
  readonly location: L;
  readonly dns: DnsInfo<L>;
  readonly env: EnvInfo<L>;
  readonly ports: readonly PortPath<L>[];
  /** Service-wide facts worth knowing: session affinity, traffic policies, not-ready addresses. */
  readonly notes: readonly string[];
}

export interface DnsRecord<L> {
  /** `A`, `SRV` or `CNAME`. */
  readonly type: 'A' | 'SRV' | 'CNAME';
  readonly name: string;
  /** What the record resolves to, in words: `cluster IP`, `each ready Pod's IP`, a host, `port 80 on …`. */
  readonly value: string;
  readonly location?: L;
}

export interface DnsInfo<L> {
  /** `<svc>.<ns>.svc.<zone>` */
  readonly fqdn: string;
  /** Names that resolve from a Pod in the Service's namespace (`<svc>`) and from other namespaces (`<svc>.<ns>`). */
  readonly shortNames: readonly { readonly name: string; readonly from: string }[];
  readonly records: readonly DnsRecord<L>[];
  /** Caveats: ExternalName Host-header and TLS, headless without ready Pods, selectorless endpoints. */
  readonly notes: readonly string[];
}

export interface EnvVar {
  readonly name: string;
  readonly value: string;
}

export interface EnvCollision<L> {
  /** `Deployment/web` */
  readonly template: string;
  readonly name: string;
  readonly location: L;
}

export interface EnvInfo<L> {
  /** Whether Pods get these variables at all (only Services with a cluster IP do). */
  readonly applies: boolean;
  /** Why not, or the caveats (only Pods created after the Service; enableServiceLinks: false on …). */
  readonly notes: readonly string[];
  readonly variables: readonly EnvVar[];
  /** Env names that Pod templates of the namespace set themselves and that these variables would shadow or be shadowed by. */
  readonly collisions: readonly EnvCollision<L>[];
}

export type HopKind =
  | 'client'
  | 'gateway'
  | 'ingress'
  | 'route'
  | 'monitor'
  | 'load-balancer'
  | 'node-port'
  | 'cluster-ip'
  | 'headless'
  | 'external-name'
  | 'endpoints'
  | 'pod';

export interface Hop<L> {
  /** Unique within its port graph. */
  readonly id: string;
  readonly kind: HopKind;
  /**
   * Column, left to right: 0 client, 1 Gateway, 2 Ingress path, route rule or monitor, 3 load
   * balancer, 4 node port, 5 Service, 6 Pods. Only the order matters: empty columns collapse.
   */
  readonly column: number;
  /** One line: `web.example.com/api`, `:80`, `every node :30080`, `10.0.0.7:80`, `Deployment/web`. */
  readonly label: string;
  /** Second line: `container web :8080/TCP`, `allocated from 30000-32767`. */
  readonly detail: string;
  readonly location?: L;
  /** Set when traffic stops here, with the reason. */
  readonly broken?: string;
  /** Facts about this hop: `externalTrafficPolicy: Local (node-local endpoints only, source IP kept)`, `no readinessProbe`. */
  readonly notes: readonly string[];
}

export interface HopEdge {
  readonly from: string;
  readonly to: string;
  /** Set when this link is broken (e.g. an Ingress backend port the Service lacks). */
  readonly broken?: string;
}

/**
 * How to reach a Service port from the developer's machine: the `kubectl port-forward` command to
 * copy (`kubectl port-forward svc/web -n shop 8080:80`) and the local port it listens on, or why
 * kubectl cannot forward the port (UDP, no selector, ExternalName).
 */
export type PortForward =
  | { readonly kind: 'command'; readonly command: string; readonly localPort: number }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface PortPath<L> {
  readonly name: string | undefined;
  readonly port: number;
  readonly protocol: string;
  readonly targetPort: number | string;
  readonly nodePort: number | undefined;
  readonly hops: readonly Hop<L>[];
  readonly edges: readonly HopEdge[];
  /** Absent in previews saved before it existed. */
  readonly portForward?: PortForward;
}

// ---- locations -------------------------------------------------------------------------------

/** The same preview with every location converted by `convert`. */
export function mapLocations<From, To>(preview: TrafficPreview<From>, convert: (location: From) => To): TrafficPreview<To> {
  return { ...preview, services: preview.services.map((service) => mapService(service, convert)) };
}

function mapService<From, To>(service: ServiceTraffic<From>, convert: (location: From) => To): ServiceTraffic<To> {
  return {
    ...service,
    location: convert(service.location),
    dns: mapDns(service.dns, convert),
    env: mapEnv(service.env, convert),
    ports: service.ports.map((port) => mapPort(port, convert)),
  };
}

function mapDns<From, To>(dns: DnsInfo<From>, convert: (location: From) => To): DnsInfo<To> {
  return { ...dns, records: dns.records.map((record) => mapOptional<From, To, DnsRecord<From>>(record, convert)) };
}

function mapEnv<From, To>(env: EnvInfo<From>, convert: (location: From) => To): EnvInfo<To> {
  return { ...env, collisions: env.collisions.map((collision) => ({ ...collision, location: convert(collision.location) })) };
}

function mapPort<From, To>(port: PortPath<From>, convert: (location: From) => To): PortPath<To> {
  return { ...port, hops: port.hops.map((hop) => mapOptional<From, To, Hop<From>>(hop, convert)) };
}

/** Converts the optional `location` of a record or hop, leaving it out when it is absent. */
function mapOptional<From, To, Item extends { readonly location?: From }>(
  item: Item,
  convert: (location: From) => To,
): Omit<Item, 'location'> & { readonly location?: To } {
  const { location, ...rest } = item;
  return location === undefined ? rest : { ...rest, location: convert(location) };
}

// ---- webview messages (both directions are validated by type on receipt) --------------------

/** Extension → webview. */
export type HostMessage =
  | { readonly type: 'preview'; readonly preview: TrafficPreview<SourceLink> }
  | { readonly type: 'empty'; readonly reason: string };

/** Webview → extension. */
export type ViewMessage =
  | { readonly type: 'reveal'; readonly location: SourceLink }
  | { readonly type: 'copy'; readonly text: string }
  | { readonly type: 'scope'; readonly scope: TrafficScope }
  /** Preview the file in another build: an `OverlayChoice.id`. */
  | { readonly type: 'overlay'; readonly overlay: string }
  | { readonly type: 'ready' };

/** State kept by the webview across reloads (`getState`/`setState`) and by the panel serializer. */
export interface PreviewState {
  readonly scope: TrafficScope;
  readonly uri?: string;
  readonly position?: { readonly line: number; readonly character: number };
  readonly preview?: TrafficPreview<SourceLink>;
}
