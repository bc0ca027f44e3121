/**
 * Validation of everything that reaches the page: host messages, the data embedded in a standalone
 * page and restored state. Anything that does not have the exact shape of the protocol is rejected
 * as a whole (the caller ignores it), so the renderer only ever sees well-formed data.
 *
 * Pure functions without DOM access: the Node tests use them directly.
 */
import type {
  DnsInfo,
  DnsRecord,
  EnvCollision,
  EnvInfo,
  EnvVar,
  Hop,
  HopEdge,
  HopKind,
  HostMessage,
  OverlayChoice,
  OverlayChoices,
  PortForward,
  PortPath,
  PreviewState,
  ServiceTraffic,
  SourceLink,
  TrafficPreview,
  TrafficScope,
} from '../../server/src/protocol/traffic';

export const SCOPES: readonly TrafficScope[] = ['service', 'file', 'namespace', 'workspace'];
export const HOP_KINDS: readonly HopKind[] = [
  'client',
  'gateway',
  'ingress',
  'route',
  'monitor',
  'load-balancer',
  'node-port',
  'cluster-ip',
  'headless',
  'external-name',
  'endpoints',
  'pod',
];
const RECORD_TYPES: readonly string[] = ['A', 'SRV', 'CNAME'];

/** What a standalone page embeds in `<script type="application/json" id="preview-data">`. */
export interface StandaloneData {
  readonly message: HostMessage;
  /** A `file://` URL of the folder that file links are shown relative to. */
  readonly sourceRoot?: string;
}

type Check<T> = (value: unknown) => value is T;

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isArrayOf<T>(value: unknown, check: Check<T>): value is readonly T[] {
  return Array.isArray(value) && value.every((item) => check(item));
}

function isOptional<T>(value: unknown, check: Check<T>): value is T | undefined {
  return value === undefined || check(value);
}

function isStringMap(value: unknown): value is Readonly<Record<string, string>> {
  return isRecord(value) && Object.values(value).every(isString);
}

export function isScope(value: unknown): value is TrafficScope {
  return (SCOPES as readonly unknown[]).includes(value);
}

export function isSourceLink(value: unknown): value is SourceLink {
  return isRecord(value) && isString(value['uri']) && isCount(value['line']) && isCount(value['character']);
}

function isDnsRecord(value: unknown): value is DnsRecord<SourceLink> {
  return (
    isRecord(value) &&
    RECORD_TYPES.includes(value['type'] as string) &&
    isString(value['name']) &&
    isString(value['value']) &&
    isOptional(value['location'], isSourceLink)
  );
}

function isShortName(value: unknown): value is { readonly name: string; readonly from: string } {
  return isRecord(value) && isString(value['name']) && isString(value['from']);
}

function isDnsInfo(value: unknown): value is DnsInfo<SourceLink> {
  return (
    isRecord(value) &&
    isString(value['fqdn']) &&
    isArrayOf(value['shortNames'], isShortName) &&
    isArrayOf(value['records'], isDnsRecord) &&
    isArrayOf(value['notes'], isString)
  );
}

function isEnvVar(value: unknown): value is EnvVar {
  return isRecord(value) && isString(value['name']) && isString(value['value']);
}

function isEnvCollision(value: unknown): value is EnvCollision<SourceLink> {
  return isRecord(value) && isString(value['template']) && isString(value['name']) && isSourceLink(value['location']);
}

function isEnvInfo(value: unknown): value is EnvInfo<SourceLink> {
  return (
    isRecord(value) &&
    typeof value['applies'] === 'boolean' &&
    isArrayOf(value['notes'], isString) &&
    isArrayOf(value['variables'], isEnvVar) &&
    isArrayOf(value['collisions'], isEnvCollision)
  );
}

function isHop(value: unknown): value is Hop<SourceLink> {
  return (
    isRecord(value) &&
    isString(value['id']) &&
    (HOP_KINDS as readonly unknown[]).includes(value['kind']) &&
    isCount(value['column']) &&
    isString(value['label']) &&
    isString(value['detail']) &&
    isOptional(value['location'], isSourceLink) &&
    isOptional(value['broken'], isString) &&
    isArrayOf(value['notes'], isString)
  );
}

function isEdge(value: unknown): value is HopEdge {
  return isRecord(value) && isString(value['from']) && isString(value['to']) && isOptional(value['broken'], isString);
}

function isPortForward(value: unknown): value is PortForward {
  if (!isRecord(value)) return false;
  switch (value['kind']) {
    case 'command':
      return isString(value['command']) && isCount(value['localPort']);
    case 'unavailable':
      return isString(value['reason']);
    default:
      return false;
  }
}

function isPortPath(value: unknown): value is PortPath<SourceLink> {
  if (!isRecord(value)) return false;
  const targetPort = value['targetPort'];
  return (
    isOptional(value['name'], isString) &&
    isCount(value['port']) &&
    isString(value['protocol']) &&
    (isCount(targetPort) || isString(targetPort)) &&
    isOptional(value['nodePort'], isCount) &&
    isArrayOf(value['hops'], isHop) &&
    isArrayOf(value['edges'], isEdge) &&
    isOptional(value['portForward'], isPortForward) &&
    hasUniqueHopIds(value['hops'])
  );
}

function hasUniqueHopIds(hops: readonly Hop<SourceLink>[]): boolean {
  return new Set(hops.map((hop) => hop.id)).size === hops.length;
}

function isServiceTraffic(value: unknown): value is ServiceTraffic<SourceLink> {
  return (
    isRecord(value) &&
    isString(value['name']) &&
    isString(value['namespace']) &&
    isString(value['type']) &&
    typeof value['headless'] === 'boolean' &&
    (value['selector'] === null || isStringMap(value['selector'])) &&
    isSourceLink(value['location']) &&
    isDnsInfo(value['dns']) &&
    isEnvInfo(value['env']) &&
    isArrayOf(value['ports'], isPortPath) &&
    isArrayOf(value['notes'], isString)
  );
}

function isOverlayChoice(value: unknown): value is OverlayChoice {
  return isRecord(value) && isString(value['id']) && value['id'] !== '' && isString(value['label']) && (value['kind'] === 'base' || value['kind'] === 'overlay');
}

/** The builds of a file: at least two choices with distinct ids, one of them selected. */
function isOverlayChoices(value: unknown): value is OverlayChoices {
  if (!isRecord(value) || !isString(value['selected']) || !isArrayOf(value['choices'], isOverlayChoice)) return false;
  const ids = value['choices'].map((choice) => choice.id);
  return ids.length >= 2 && new Set(ids).size === ids.length && ids.includes(value['selected']);
}

export function isTrafficPreview(value: unknown): value is TrafficPreview<SourceLink> {
  return (
    isRecord(value) &&
    value['version'] === 1 &&
    isScope(value['scope']) &&
    isString(value['title']) &&
    isString(value['clusterDomain']) &&
    isArrayOf(value['services'], isServiceTraffic) &&
    (value['note'] === undefined || isString(value['note'])) &&
    isOptional(value['overlays'], isOverlayChoices)
  );
}

/** The message if it is a well-formed `HostMessage`, otherwise undefined. */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value['type']) {
    case 'preview':
      return isTrafficPreview(value['preview']) ? { type: 'preview', preview: value['preview'] } : undefined;
    case 'empty':
      return isString(value['reason']) ? { type: 'empty', reason: value['reason'] } : undefined;
    default:
      return undefined;
  }
}

/** Restored state if it has the `PreviewState` shape; a bad embedded preview is dropped, the rest kept. */
export function parsePreviewState(value: unknown): PreviewState | undefined {
  if (!isRecord(value) || !isScope(value['scope'])) return undefined;
  const uri = value['uri'];
  const position = value['position'];
  const preview = value['preview'];
  return {
    scope: value['scope'],
    ...(isString(uri) ? { uri } : {}),
    ...(isRecord(position) && isCount(position['line']) && isCount(position['character'])
      ? { position: { line: position['line'], character: position['character'] } }
      : {}),
    ...(isTrafficPreview(preview) ? { preview } : {}),
  };
}

/** The embedded data of a standalone page, parsed from the text of its JSON script element. */
export function parseStandaloneData(text: string): StandaloneData | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const message = parseHostMessage(value['message']);
  if (message === undefined) return undefined;
  const sourceRoot = value['sourceRoot'];
  return isString(sourceRoot) && isFileUrl(sourceRoot) ? { message, sourceRoot } : { message };
}

/** Only `file:` URLs become links in a standalone page (never `javascript:` or remote ones). */
export function isFileUrl(value: string): boolean {
  return /^file:\/\//i.test(value);
}
