/**
 * Findings in LSP terms, and the push channel that publishes them. Every diagnostic carries its rule
 * id as `code`, the rule's page as `codeDescription.href`, the `service-lens` source and, for
 * cross-file findings, related information at the other side.
 */
import {
  DiagnosticSeverity,
  type Diagnostic,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver/node';
import { ruleDocUrl } from '../engine/rules/docs';
import type { Finding, Severity, Span } from '../engine/types';
import type { Snapshot } from '../engine/workspace';
import { DIAGNOSTIC_SOURCE } from '../protocol/settings';

const SEVERITIES: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(workspace: Snapshot, fileId: string, span: Span): Range {
  return { start: workspace.positionAt(fileId, span.start), end: workspace.positionAt(fileId, span.end) };
}

export function toDiagnostic(workspace: Snapshot, finding: Finding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: toRange(workspace, finding.fileId, finding.span),
    severity: SEVERITIES[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: ruleDocUrl(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map((related) => ({
      location: { uri: related.fileId, range: toRange(workspace, related.fileId, related.span) },
      message: related.message,
    }));
  }
  return diagnostic;
}

export interface PublisherSource {
  /** The diagnostics of a file now (empty when it is in no home). */
  diagnostics(uri: string): Diagnostic[];
  /** Whether the file is in a home. */
  has(uri: string): boolean;
  /** The editor's version of an open document. */
  version(uri: string): number | undefined;
}

/** How many queued files one turn of the event loop publishes before letting requests in. */
const BATCH_SIZE = 64;

/**
 * Pushes `textDocument/publishDiagnostics`. Diagnostics are computed when sent, so a queued file
 * always gets its current findings. A queued file is sent when it is new to the client or its
 * findings are or were non-empty; a clean file that stays clean is not sent again.
 */
export class Publisher {
  /** Number of diagnostics last sent per file. */
  private readonly sent = new Map<string, number>();
  private readonly queue = new Set<string>();
  private flushScheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly source: PublisherSource,
    private readonly send: (params: PublishDiagnosticsParams) => void,
    private readonly onError: (uri: string, error: unknown) => void,
  ) {}

  /** Publishes one file right away, even when nothing changed (the file being edited). */
  publishNow(uri: string): void {
    this.queue.delete(uri);
    this.publish(uri, true);
  }

  /** Queues files to publish on the next turn of the event loop. */
  schedule(uris: Iterable<string>): void {
    for (const uri of uris) {
      this.queue.add(uri);
    }
    if (this.queue.size > 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Resolves once every queued file has been published. */
  whenIdle(): Promise<void> {
    if (this.queue.size === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private flush(): void {
    this.flushScheduled = false;
    let budget = BATCH_SIZE;
    for (const uri of this.queue) {
      if (budget-- === 0) {
        break;
      }
      this.queue.delete(uri);
      this.publish(uri, false);
    }
    if (this.queue.size > 0) {
      this.schedule([]);
      return;
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) {
      resolve();
    }
  }

  private publish(uri: string, always: boolean): void {
    let diagnostics: Diagnostic[];
    try {
      diagnostics = this.source.diagnostics(uri);
    } catch (error) {
      this.onError(uri, error);
      diagnostics = [];
    }
    const known = this.source.has(uri);
    const previous = this.sent.get(uri);
    if (!always && diagnostics.length === 0 && (previous === 0 || (previous === undefined && !known))) {
      return;
    }
    if (known) {
      this.sent.set(uri, diagnostics.length);
    } else {
      this.sent.delete(uri);
    }
    const version = this.source.version(uri);
    this.send(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
  }
}
