/**
 * Homes: one engine AnalysisHost per workspace folder, and one per file for files outside
 * every folder ("loose" files, analysed on their own). Each file lives in exactly one home, its
 * home: the innermost folder that contains it and does not exclude it.
 */
import type { ChartRender } from '../engine/analysis/charts';
import type { FileFacts } from '../engine/facts/fileFacts';
import { AnalysisHost, type Change, type Update } from '../engine/workspace';
import { createExcludeMatcher, isExcludedPath, isExcludedWalkedFile, type ExcludeMatcher } from './exclude';
import { DEFAULT_SCOPE_SETTINGS, sameEngineConfig, sameGlobs, type ScopeSettings } from './settings';
import { isInside, uriToPath } from './uris';
import { Pacer } from './pacing';

export interface Home {
  readonly host: AnalysisHost;
  /** The workspace folder, or undefined for a loose file's home. */
  readonly folder: FolderHome | undefined;
}

export class FolderHome implements Home {
  readonly host: AnalysisHost;
  private excludeMatcher: ExcludeMatcher;
  /**
   * Scans of this folder under way; and whether one has ended. Until the first scan has read the
   * folder, and while one runs, a file it has not reached yet is read by the scan, not by a request.
   */
  scans = 0;
  scanned = false;

  /** Whether a scan will still read this folder's files: one runs, or none has ended yet. */
  get scanPending(): boolean {
    return this.scans > 0 || !this.scanned;
  }

  constructor(
    readonly uri: string,
    readonly path: string,
    readonly name: string,
    private currentSettings: ScopeSettings,
  ) {
    this.host = new AnalysisHost(currentSettings.engine);
    // Every manifest of the folder comes to this host: a file a kustomization names outside it is
    // not read, not missing (`Change.folders`).
    this.host.applyChange({ folders: [uri] });
    this.excludeMatcher = createExcludeMatcher(currentSettings.excludeGlobs);
    // An excluded file may exist: a kustomize build that needs it is made in part, not failed.
    this.host.setUnread((fileId) => {
      const filePath = uriToPath(fileId);
      return filePath !== undefined && this.isExcluded(filePath);
    });
  }

  get folder(): FolderHome {
    return this;
  }

  get settings(): ScopeSettings {
    return this.currentSettings;
  }

  /** Applies new settings; returns the files whose findings may change. */
  applySettings(settings: ScopeSettings): string[] {
    const previous = this.currentSettings;
    this.currentSettings = settings;
    if (!sameGlobs(previous.excludeGlobs, settings.excludeGlobs)) {
      this.excludeMatcher = createExcludeMatcher(settings.excludeGlobs);
    }
    // Re-linking a large home is not free: only when the analysis config really changed.
    return sameEngineConfig(previous.engine, settings.engine) ? [] : apply(this.host, { config: settings.engine });
  }

  isExcluded(filePath: string): boolean {
    return isExcludedPath(this.excludeMatcher, this.path, filePath);
  }

  /** `isExcluded` for a file of a walk that left out the excluded folders on its way (`isExcludedWalkedFile`). */
  isExcludedWalkedFile(filePath: string): boolean {
    return isExcludedWalkedFile(this.excludeMatcher, this.path, filePath);
  }
}

/** Where a document belongs: a folder, a home of its own, or nowhere (excluded by its folder). */
export type Placement =
  | { readonly kind: 'folder'; readonly home: FolderHome }
  | { readonly kind: 'loose' }
  | { readonly kind: 'excluded'; readonly home: FolderHome };

export class Homes {
  private readonly folderList: FolderHome[] = [];
  private readonly homes = new Map<string, Home>();
  private looseSettings: ScopeSettings = DEFAULT_SCOPE_SETTINGS;

  get folders(): readonly FolderHome[] {
    return this.folderList;
  }

  addFolder(uri: string, name: string, settings: ScopeSettings): FolderHome {
    const existing = this.folderByUri(uri);
    if (existing) {
      return existing;
    }
    const folderPath = uriToPath(uri) ?? uri;
    const folder = new FolderHome(uri, folderPath, name, settings);
    this.folderList.push(folder);
    return folder;
  }

  /** Forgets a folder and its files; returns the files it held (now homeless). */
  removeFolder(uri: string): string[] {
    const folder = this.folderByUri(uri);
    if (!folder) {
      return [];
    }
    this.folderList.splice(this.folderList.indexOf(folder), 1);
    const removed: string[] = [];
    for (const [fileId, home] of this.homes) {
      if (home === folder) {
        removed.push(fileId);
      }
    }
    for (const fileId of removed) {
      this.homes.delete(fileId);
    }
    return removed;
  }

  folderByUri(uri: string): FolderHome | undefined {
    return this.folderList.find((folder) => folder.uri === uri);
  }

  /** Settings of loose files (the settings without a scope). */
  setLooseSettings(settings: ScopeSettings): string[] {
    if (sameEngineConfig(this.looseSettings.engine, settings.engine)) {
      return [];
    }
    this.looseSettings = settings;
    const affected: string[] = [];
    for (const home of this.homes.values()) {
      if (home.folder === undefined) {
        affected.push(...apply(home.host, { config: settings.engine }));
      }
    }
    return affected;
  }

  placementOf(uri: string): Placement {
    const filePath = uriToPath(uri);
    if (filePath === undefined) {
      return { kind: 'loose' };
    }
    let innermost: FolderHome | undefined;
    for (const folder of this.folderList) {
      if (isInside(folder.path, filePath) && (!innermost || folder.path.length > innermost.path.length)) {
        innermost = folder;
      }
    }
    if (!innermost) {
      return { kind: 'loose' };
    }
    return innermost.isExcluded(filePath) ? { kind: 'excluded', home: innermost } : { kind: 'folder', home: innermost };
  }

  /** Whether a directory of `folder` is the root of another (nested) workspace folder, which indexes it itself. */
  isOtherFolderRoot(folder: FolderHome, directoryPath: string): boolean {
    return this.folderList.some((other) => other !== folder && other.path === directoryPath);
  }

  homeOf(uri: string): Home | undefined {
    return this.homes.get(uri);
  }

  has(uri: string): boolean {
    return this.homes.has(uri);
  }

  /** Files whose home is `target`. */
  filesOf(target: Home): string[] {
    const files: string[] = [];
    for (const [fileId, home] of this.homes) {
      if (home === target) {
        files.push(fileId);
      }
    }
    return files;
  }

  allFiles(): string[] {
    return [...this.homes.keys()];
  }

  /**
   * Adds or replaces a file in its home home, moving it when its home changed (an excluded file
   * leaves its home). Returns the files whose findings may have changed.
   */
  setText(uri: string, text: string): string[] {
    const placement = this.placementOf(uri);
    if (placement.kind === 'excluded') {
      return this.remove(uri);
    }
    const current = this.homes.get(uri);
    const affected: string[] = [];
    let target: Home;
    if (placement.kind === 'folder') {
      target = placement.home;
    } else if (current && current.folder === undefined) {
      target = current;
    } else {
      // Loose files come one by one: no folder is read whole.
      target = { host: new AnalysisHost(this.looseSettings.engine), folder: undefined };
      target.host.applyChange({ folders: [] });
    }
    if (current && current !== target) {
      affected.push(...this.remove(uri));
    }
    this.homes.set(uri, target);
    affected.push(...apply(target.host, { files: [{ fileId: uri, text }] }));
    return affected;
  }

  /**
   * Adds or replaces many files of one folder at once (a scan), as texts or as facts from the fact
   * cache: the engine reads them all and links once. Files that lived in another home move here.
   * `more`: further batches of the same scan follow (see `Change.more`). The engine applies the
   * change in steps, and the event loop answers requests whenever a step ends more than `STEP_MS`
   * after the last turn (linking a load of thousands of files, or building every overlay, takes
   * longer than a request may wait). Resolves to the files whose findings may have changed.
   */
  async setTextsInSteps(folder: FolderHome, files: readonly (readonly [uri: string, content: string | FileFacts])[], more = false): Promise<string[]> {
    const affected: string[] = [];
    for (const [uri] of files) {
      const current = this.homes.get(uri);
      if (current && current !== folder) {
        affected.push(...this.remove(uri));
      }
      this.homes.set(uri, folder);
    }
    const change: Change = { files: files.map(([fileId, content]) => (typeof content === 'string' ? { fileId, text: content } : { fileId, facts: content })), more };
    const stepped = folder.host.applyChangeInSteps(change);
    const pacer = new Pacer();
    for (;;) {
      const update = stepped.step();
      if (update !== undefined) {
        affected.push(...takeUpdate(folder.host, update));
        return affected;
      }
      await pacer.pause();
    }
  }

  /** Removes a file from its home; returns the files whose findings may have changed (incl. this one). */
  remove(uri: string): string[] {
    const home = this.homes.get(uri);
    if (!home) {
      return [];
    }
    this.homes.delete(uri);
    return apply(home.host, { files: [{ fileId: uri, removed: true }] });
  }
}

/** Rule failures of the last updates, by host, until the sync layer logs them. */
const pendingFailures = new WeakMap<AnalysisHost, string[]>();

/**
 * The files an update changed; keeps its rule failures for `takeRuleFailures`. Files to re-read
 * (a setting changed what is read) are reported as changed: the sync layer re-reads changed files
 * that it holds no text for.
 */
/**
 * Who sends texts again when an update asks for them (`Update.reread`: a kustomize build needs a
 * file whose text the engine did not keep, or a setting changed what is read). The server context
 * installs it: it reads the editor's text or the disk.
 */
let rereadHandler: ((uris: readonly string[]) => void) | undefined;

export function onReread(handler: ((uris: readonly string[]) => void) | undefined): void {
  rereadHandler = handler;
}

function apply(host: AnalysisHost, change: Change): string[] {
  return takeUpdate(host, host.applyChange(change));
}

/** Keeps an update's rule failures, asks for its re-reads; returns its changed files. */
function takeUpdate(host: AnalysisHost, update: Update): string[] {
  if (update.ruleFailures.length > 0) {
    const list = pendingFailures.get(host) ?? [];
    list.push(...update.ruleFailures);
    pendingFailures.set(host, list);
  }
  if (update.reread.length > 0) rereadHandler?.(update.reread);
  return [...update.changedFiles];
}

/** Hands a folder's engine Helm renders by chart folder URI (null drops one); returns the files whose findings may have changed. */
export function applyCharts(folder: FolderHome, charts: Readonly<Record<string, ChartRender | null>>): string[] {
  return apply(folder.host, { charts });
}

export function takeRuleFailures(host: AnalysisHost): string[] {
  const list = pendingFailures.get(host);
  pendingFailures.delete(host);
  return list ?? [];
}
