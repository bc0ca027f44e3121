/**
 * `serviceLens/trafficPreview`: the traffic preview of the Service at the cursor, or of all Services
 * of its file or namespace, in editor terms; for a file several kustomize builds hold, in the build
 * `overlay` names (an `OverlayChoice.id` of an earlier answer), else the first overlay. The engine answers with file spans (offsets); every one
 * of them becomes a SourceLink (document URI and 0-based line/character) before it leaves the server.
 */
import type { TrafficRequest } from '../engine/traffic/request';
import type { FileSpan } from '../engine/types';
import type { Snapshot } from '../engine/workspace';
import { mapLocations, type SourceLink, type TrafficPreview, type TrafficPreviewParams, type TrafficScope } from '../protocol/traffic';
import type { ServerContext } from './context';
import { canonicalUri } from './uris';

const SCOPES: readonly TrafficScope[] = ['service', 'file', 'namespace', 'workspace'];

/** Time a preview may take: the server answers no other request meanwhile. */
const PREVIEW_MS = 250;

export function provideTrafficPreview(context: ServerContext, params: unknown): TrafficPreview<SourceLink> | null {
  const request = parseParams(params);
  if (!request) {
    context.log.warn('serviceLens/trafficPreview: ignored a request with malformed parameters.');
    return null;
  }
  const uri = canonicalUri(request.uri);
  const workspace = context.homes.homeOf(uri)?.host.snapshot();
  if (!workspace) {
    return null;
  }
  const engineRequest: TrafficRequest =
    request.scope === 'workspace'
      ? { scope: 'workspace', overlay: request.overlay }
      : { scope: request.scope, fileId: uri, offset: workspace.offsetAt(uri, request.position), overlay: request.overlay };
  const started = performance.now();
  const preview = workspace.trafficPreview(engineRequest, () => performance.now() - started > PREVIEW_MS);
  return preview ? mapLocations(preview, (location) => sourceLink(workspace, location)) : null;
}

/** A file span of `workspace` as a link: its file id is the document URI. */
function sourceLink(workspace: Snapshot, location: FileSpan): SourceLink {
  const { line, character } = workspace.positionAt(location.fileId, location.span.start);
  return { uri: location.fileId, line, character };
}

/** The parameters if they have the shape of `TrafficPreviewParams`, otherwise undefined. */
function parseParams(params: unknown): TrafficPreviewParams | undefined {
  if (!isRecord(params) || typeof params['uri'] !== 'string' || params['uri'] === '') {
    return undefined;
  }
  const position = params['position'];
  const scope = SCOPES.find((candidate) => candidate === params['scope']);
  if (!scope || !isRecord(position) || !isCount(position['line']) || !isCount(position['character'])) {
    return undefined;
  }
  const overlay = params['overlay'];
  if (overlay !== undefined && (typeof overlay !== 'string' || overlay === '')) {
    return undefined;
  }
  return { uri: params['uri'], position: { line: position['line'], character: position['character'] }, scope, ...(overlay === undefined ? {} : { overlay }) };
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
