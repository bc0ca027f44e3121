/**
 * Everything the extension receives from the webview is untrusted: messages and restored state are
 * checked by type and shape here, and anything else is ignored.
 */
import type { SourceLink, TrafficScope, ViewMessage } from '../../../server/src/protocol/traffic';

/** Scopes the panel offers (the whole workspace is the command line's). */
export type PanelScope = Exclude<TrafficScope, 'workspace'>;

export interface Position {
  readonly line: number;
  readonly character: number;
}

/** What the panel previews: the cursor in a document. */
export interface PreviewTarget {
  readonly uri: string;
  readonly position: Position;
}

const PANEL_SCOPES: readonly PanelScope[] = ['service', 'file', 'namespace'];
/** Documents a reveal may open: those the language server analyses. */
const REVEAL_SCHEMES: readonly string[] = ['file', 'untitled'];
const MAX_COPY_LENGTH = 100_000;
/** An overlay id is a kustomization file's URI. */
const MAX_OVERLAY_LENGTH = 4096;

export function parseViewMessage(value: unknown): ViewMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value['type']) {
    case 'ready':
      return { type: 'ready' };
    case 'scope': {
      const scope = panelScope(value['scope']);
      return scope ? { type: 'scope', scope } : undefined;
    }
    case 'overlay': {
      const overlay = value['overlay'];
      return typeof overlay === 'string' && overlay.length > 0 && overlay.length <= MAX_OVERLAY_LENGTH ? { type: 'overlay', overlay } : undefined;
    }
    case 'reveal': {
      const location = value['location'];
      return isSourceLink(location) && REVEAL_SCHEMES.includes(scheme(location.uri)) ? { type: 'reveal', location } : undefined;
    }
    case 'copy': {
      const text = value['text'];
      return typeof text === 'string' && text.length > 0 && text.length <= MAX_COPY_LENGTH ? { type: 'copy', text } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * What a restored panel shows, from the state its page saved (`PreviewState`): the saved cursor, or
 * else the first Service of the saved preview.
 */
export function restoredView(state: unknown): { readonly scope: PanelScope; readonly target: PreviewTarget | undefined } {
  if (!isRecord(state)) return { scope: 'service', target: undefined };
  const scope = panelScope(state['scope']) ?? 'service';
  const uri = state['uri'];
  const position = state['position'];
  if (typeof uri === 'string' && isPosition(position)) {
    return { scope, target: { uri, position: { line: position.line, character: position.character } } };
  }
  const preview = state['preview'];
  const services = isRecord(preview) ? preview['services'] : undefined;
  const first: unknown = Array.isArray(services) ? services[0] : undefined;
  const location = isRecord(first) ? first['location'] : undefined;
  return { scope, target: isSourceLink(location) ? { uri: location.uri, position: { line: location.line, character: location.character } } : undefined };
}

export function isPosition(value: unknown): value is Position {
  return isRecord(value) && isCount(value['line']) && isCount(value['character']);
}

function isSourceLink(value: unknown): value is SourceLink {
  return isPosition(value) && isRecord(value) && typeof value['uri'] === 'string' && value['uri'] !== '';
}

function panelScope(value: unknown): PanelScope | undefined {
  return PANEL_SCOPES.find((scope) => scope === value);
}

function scheme(uri: string): string {
  return /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase() ?? '';
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
