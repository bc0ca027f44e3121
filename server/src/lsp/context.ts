/**
 * The state of one server session, owned in one place: homes, open documents, the diagnostics
 * publisher, what the client can do, and a queue that runs disk work one job at a time.
 */
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { Publisher, toDiagnostic } from './diagnostics';
import { OpenDocuments } from './documents';
import { errorMessage } from './scanner';
import { Homes } from './homes';
import { ChartRenderer } from './charts';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ClientFeatures {
  readonly configuration: boolean;
  readonly configurationDynamic: boolean;
  readonly workspaceFolders: boolean;
  readonly watchedFilesDynamic: boolean;
  /** `workspace/codeLens/refresh` is supported. */
  readonly codeLensRefresh: boolean;
}

export const NO_CLIENT_FEATURES: ClientFeatures = {
  configuration: false,
  configurationDynamic: false,
  workspaceFolders: false,
  watchedFilesDynamic: false,
  codeLensRefresh: false,
};

/** Lenses are refreshed at most this often (one refresh for a burst of keystrokes). */
const CODE_LENS_REFRESH_MS = 250;

export class ServerContext {
  readonly homes = new Homes();
  readonly documents = new OpenDocuments();
  readonly publisher: Publisher;
  /** Helm rendering: trusted workspaces only (lsp/charts.ts). */
  readonly charts: ChartRenderer;
  readonly log: Logger;
  /** Last logged skip summary per file, so an unchanged reason is not logged again on every change. */
  readonly loggedSkips = new Map<string, string>();
  /** Links not followed (outside their workspace folder), each logged once per session. */
  readonly loggedLinks = new Set<string>();
  features: ClientFeatures = NO_CLIENT_FEATURES;
  /** Where the fact cache of each workspace folder is kept (the extension's storage), if anywhere. */
  cacheDirectory: string | undefined;
  /**
   * Whether the first scan of the workspace folders is queued. Until then a settings change only
   * updates settings: the first scan reads with the latest ones, so it must not queue a scan of its
   * own (the client announces its settings right after `initialized`, which once indexed twice).
   */
  firstScanQueued = false;
  private diskWork: Promise<void> = Promise.resolve();
  private codeLensRefresh: NodeJS.Timeout | undefined;

  constructor(readonly connection: Connection) {
    this.log = {
      info: (message) => connection.console.info(message),
      warn: (message) => connection.console.warn(message),
      error: (message) => connection.console.error(message),
    };
    this.charts = new ChartRenderer(this);
    this.publisher = new Publisher(
      {
        diagnostics: (uri) => this.diagnostics(uri),
        has: (uri) => this.homes.has(uri),
        version: (uri) => this.documents.version(uri),
      },
      (params) => {
        connection.sendDiagnostics(params).catch((error: unknown) => this.log.error(`Publishing diagnostics failed: ${describeError(error)}`));
      },
      (uri, error) => this.log.error(`Computing diagnostics of ${uri} failed: ${describeError(error)}`),
    );
  }

  /**
   * Runs disk work (scans, reads after watched-file events and closes) one job at a time in arrival
   * order, so a late read never overwrites a newer event. A failing job is logged; later jobs still run.
   */
  serial(name: string, job: () => Promise<void>): Promise<void> {
    const run = this.diskWork.then(job).catch((error: unknown) => {
      this.log.error(`${name} failed: ${describeError(error)}`);
    });
    this.diskWork = run;
    return run;
  }

  /**
   * Asks the client to request code lenses again (`workspace/codeLens/refresh`), at most every
   * 250 ms: a change in one file can change what the lenses of another say.
   */
  refreshCodeLenses(): void {
    if (!this.features.codeLensRefresh || this.codeLensRefresh) return;
    this.codeLensRefresh = setTimeout(() => {
      this.codeLensRefresh = undefined;
      this.connection.sendRequest('workspace/codeLens/refresh').catch((error: unknown) => this.log.warn(`Refreshing code lenses failed: ${describeError(error)}`));
    }, CODE_LENS_REFRESH_MS);
  }

  private diagnostics(uri: string): Diagnostic[] {
    const home = this.homes.homeOf(uri);
    if (!home) {
      return [];
    }
    const snapshot = home.host.snapshot();
    return snapshot.findings(uri).map((finding) => toDiagnostic(snapshot, finding));
  }
}

/** An error with its stack when there is one, for the server log. */
export function describeError(error: unknown): string {
  return error instanceof Error && error.stack ? error.stack : errorMessage(error);
}
