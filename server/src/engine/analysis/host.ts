/**
 * The analysis host: takes changes (file texts, removals, settings) and keeps the analysis of one
 * workspace folder (or one CLI run) up to date; a read-only snapshot answers queries.
 *
 *   const host = new AnalysisHost(config);
 *   const update = host.applyChange({ files: [{ fileId, text }] });   // → Update
 *   const snapshot = host.snapshot();                                  // findings, hover, previews…
 *
 * Files are read once into facts (facts/fileFacts.ts); facts are placed as instances in scopes
 * (analysis/scope.ts): a file reached from a kustomize top is analysed as built in that overlay's
 * scope (analysis/overlays.ts); every other file that is not a kustomize patch is placed in the
 * folder scope, whose links prefer the nearest matches in the directory tree.
 */
import { fitted, NO_ITEMS } from '../model/compact';
import { resolveConfig, type EngineConfig } from '../config';
import { factsOfInstance } from '../facts/factsJson';
import { moveObjects, readFileFactsSteps, rereadFileFacts, type FileFacts, type Reread } from '../facts/fileFacts';
import { instantiate } from '../model/instances';
import { isService, isTemplate, type KubeObject, type ObjectFacts } from '../model/objects';
import { isKustomizationFile, patchFilesOf, baseName, folderOf } from './kustomizations';
import { Charts, type ChartRender } from './charts';
import { Elsewhere } from './elsewhere';
import { Overlays, type OverlayUpdate } from './overlays';
import { Scope, type ScopeEnvironment, type UnitEdit } from './scope';
import type { DocumentRange, ReadFile } from '../syntax/documents';
import { resourceDocumentsOf, type ResourceDocument } from '../kustomize/resourceDocuments';
import { Snapshot } from './snapshot';
import { runSteps, StepCounter, type Steps } from './steps';
import { templateMayHold } from '../kinds/registry';
import type { SkipNote } from '../types';

/**
 * A change of one file: its new text, its facts as read before (a cache of facts: see
 * facts/factsJson.ts; a kustomization file's facts are not taken, it is returned in
 * `Update.reread`), or its removal.
 */
export type FileChange =
  | { readonly fileId: string; readonly text: string }
  | { readonly fileId: string; readonly facts: FileFacts }
  | { readonly fileId: string; readonly removed: true };

export interface Change {
  readonly files?: readonly FileChange[];
  /** Settings to change (merged with the current ones). */
  readonly config?: Partial<EngineConfig>;
  /**
   * More files of the same load follow (a scan that hands files over in batches). These files are
   * read now; they are linked, and kustomize overlays built, when a change without `more` arrives,
   * once for the whole load: linked batch by batch, the load would cost several times one link of
   * the whole, and an overlay would be built again for every batch that brings one of its files.
   * Until then the update reports no changed file. (Past 4 Mi characters of kept text, they are built at once.)
   */
  readonly more?: boolean;
  /**
   * Helm chart renders to take, by chart folder id (the folder of its `Chart.yaml`): what helm
   * printed, or its error. `null` (or `not-rendered`) forgets a chart's render: its files are
   * analysed as plain files again. Renders not named are kept.
   */
  readonly charts?: Readonly<Record<string, ChartRender | null>>;
  /**
   * The folders (ids of the files' form) whose every manifest the host is given: a workspace
   * folder, the folders a CLI run walks. A file a kustomization names that the host does not hold
   * is missing when it lies in one of them, and merely not read when it lies outside them all (a
   * base above the folder checked). Kept until changed; before any is given, every file counts as
   * read. An empty list: no folder is read whole.
   */
  readonly folders?: readonly string[];
}

/** What an applied change did. */
export interface Update {
  /** Files whose findings may have changed (every file the change touched among them), sorted. */
  readonly changedFiles: readonly string[];
  /** Whether links between objects (matches, nearest misses) may have changed: code lenses and previews refresh. */
  readonly linksChanged: boolean;
  /** Rule failures caught during the change (a failing rule never stops the others). */
  readonly ruleFailures: readonly string[];
  /**
   * Files to send again with their text: a setting changed what is read from a file
   * (`podTemplatePaths`), and facts keep no text. Their findings are stale until then.
   */
  readonly reread: readonly string[];
}

/** A change being applied in steps (`AnalysisHost.applyChangeInSteps`). */
export interface SteppedChange {
  /** Runs the next step; returns the change's Update once its last step has run (and on every call after). */
  step(): Update | undefined;
}

interface FileState {
  /**
   * What the file says. Its objects are kept once, as their folder-scope instances (`objects`):
   * an instance holds every field of its facts, so keeping both would double the memory.
   */
  readonly facts: FileFacts;
  /** The file's objects placed in the folder scope. */
  objects: readonly KubeObject[];
  /** The file's patch list, when it is a kustomization. */
  readonly patches: readonly string[];
  /**
   * The literal kinds of its documents skipped as templates (Helm, envsubst), each once; `''` for a
   * templated kind. Empty when no document was skipped as a template.
   */
  readonly templatedKinds: readonly string[];
  /** The literal kinds of its documents skipped as not valid YAML, each once; `''` for a kind not found. */
  readonly invalidKinds: readonly string[];
  /**
   * The text read, kept for a file changed on its own (an edited document): its next text is read
   * document by document against it (`rereadFileFacts`). Such a file's objects are moved in place
   * by later edits, so `fileFacts` hands out copies of them.
   */
  readonly text?: string;
  /** The documents of `text`, once known (an edit's read gives them). */
  readonly ranges?: readonly DocumentRange[];
  /**
   * What a kustomize build takes of the file's documents (`resourceDocumentsOf`), from a read of
   * the whole file with the build's schema; undefined when the build must read the file itself.
   */
  readonly resourceDocuments?: readonly ResourceDocument[];
}

/** At most this many characters of text are kept for the overlays while a load goes on (`Change.more`). */
const PENDING_TEXT_BUDGET = 4 * 1024 * 1024;

const NO_OVERLAY_UPDATE: OverlayUpdate = { changed: new Set(), reread: new Set(), moved: new Set() };

/** Above this many objects in the units of one change (not an edit), the scope is rebuilt in steps rather than unit by unit. */
const BULK_OBJECTS = 4096;

/** Above this many files in one change, the scope is rebuilt at once rather than file by file. */
const BULK_FILES = 64;

const FOLDER_SCOPE = 'folder';

export class AnalysisHost {
  private configuration: EngineConfig;
  private readonly files = new Map<string, FileState>();
  private readonly patchCounts = new Map<string, number>();
  private readonly chartFolders = new Map<string, string>();
  private readonly templatedFolders = new Map<string, number>();
  /** The literal kinds of the documents skipped as templates in each folder, counted (`''`: a templated kind). */
  private readonly templatedKinds = new Map<string, Map<string, number>>();
  /** The files of each folder with documents skipped as not valid YAML, and their kinds (`invalidKinds`). */
  private readonly invalidFiles = new Map<string, Map<string, readonly string[]>>();
  /** Folders holding a kustomization file, with how many they hold. */
  private readonly kustomizationFolders = new Map<string, number>();
  private readonly folderScope: Scope;
  private readonly overlays: Overlays;
  private readonly charts: Charts;
  /** Lookups of what one scope lacks in the others (analysis/elsewhere.ts). */
  private readonly elsewhere: Elsewhere;
  /** Changes of a load not yet handed to the overlays (`Change.more`), the last change of each file. */
  private pendingOverlays: { files: Map<string, FileChange>; added: Set<string>; everything: boolean; characters: number } | undefined;
  /**
   * What a load in batches (`Change.more`) left to link: the units to place, the files whose
   * findings change, whether the folder scope is rebuilt, and the hint key before the load.
   */
  private pendingLinks: { units: Set<string>; changed: Set<string>; rebuild: boolean; hintsBefore: string } | undefined;
  /** The snapshot of the current state, made on first request after a change (requests ask for one each). */
  private current: Snapshot | undefined;
  /** A change applied in steps whose last step has not run (`applyChangeInSteps`). */
  private inFlight: SteppedChange | undefined;

  constructor(config?: Partial<EngineConfig>) {
    this.configuration = resolveConfig(config);
    const environment: ScopeEnvironment = {
      suppressed: (fileId, offset, ruleId) => {
        const facts = this.files.get(fileId)?.facts;
        return facts ? (facts.suppressions.get(facts.lines.lineOf(offset))?.has(ruleId) ?? false) : false;
      },
      templatedNear: (fileId, what) => this.templatedNear(fileId, what),
      invalidNear: (fileId, what) => this.invalidNear(fileId, what),
      chartBeside: (fileId) => this.chartBeside(fileId),
      elsewhere: (scopeId, query) => this.elsewhere.answers(scopeId, query),
      provisionChanged: () => {
        this.elsewhere.changed();
        this.variantPairs.clear();
      },
      namedInAnswer: (object) => this.elsewhere.namedInAnswer(object),
      layout: {
        column: (fileId, offset) => this.files.get(fileId)?.facts.lines.positionAt(offset).character ?? 0,
        indentation: (fileId, offset) => this.files.get(fileId)?.facts.lines.indentationAt(offset) ?? 0,
        line: (fileId, offset) => this.files.get(fileId)?.facts.lines.lineOf(offset) ?? 0,
        lineEnd: (fileId, offset) => this.files.get(fileId)?.facts.lines.lineEndAt(offset) ?? offset,
      },
    };
    this.folderScope = new Scope({ id: FOLDER_SCOPE, label: 'workspace folder', proximity: true }, this.configuration, environment);
    this.overlays = new Overlays(
      environment,
      (fileId, text) => this.objectsReadFrom(fileId, text),
      (fileId, text) => this.documentsReadFrom(fileId, text),
    );
    this.charts = new Charts(environment);
    this.elsewhere = new Elsewhere({
      all: () => this.allScopes(),
      counts: (asking, holder, object) => !this.variants(asking, holder) && !(holder === FOLDER_SCOPE && this.unlisted(object.fileId)),
    });
  }

  /**
   * Files the caller leaves out on purpose (its exclude settings), although they may exist: a
   * kustomize build that needs one leaves it out as not read (the build is made in part), not as
   * missing. Takes effect with the next builds (a change of the excluded files rescans anyway).
   */
  setUnread(unread: ((fileId: string) => boolean) | undefined): void {
    this.overlays.unread = unread;
  }

  get config(): EngineConfig {
    return this.configuration;
  }

  /** Applies a change; never throws for bad input (a document that is not YAML is a skip note). */
  applyChange(change: Change): Update {
    this.finishInFlight();
    this.current = undefined;
    const update = runSteps(this.applySteps(change));
    this.current = undefined;
    return update;
  }

  /**
   * Applies a change in steps of bounded work (analysis/steps.ts): the caller runs `step()` until it
   * returns the change's Update, and may answer queries (`snapshot()`) between two steps; they see
   * what is linked so far. Files are read in the first step; linking a load and building overlays
   * take many. Any other change first runs the steps left (the Update is kept for `step()`). A step
   * that throws (a bug: bad input never throws) ends the change: `step()` throws that error again.
   */
  applyChangeInSteps(change: Change): SteppedChange {
    this.finishInFlight();
    const steps = this.applySteps(change);
    let result: Update | undefined;
    let failure: { readonly error: unknown } | undefined;
    const inFlight: SteppedChange = {
      step: (): Update | undefined => {
        if (failure !== undefined) throw failure.error;
        if (result !== undefined) return result;
        this.current = undefined;
        try {
          const next = steps.next();
          if (next.done) result = next.value;
        } catch (error) {
          failure = { error };
          throw error;
        } finally {
          this.current = undefined;
          if ((result !== undefined || failure !== undefined) && this.inFlight === inFlight) this.inFlight = undefined;
        }
        return result;
      },
    };
    this.inFlight = inFlight;
    return inFlight;
  }

  /** Runs the steps left of a change applied in steps; a failure is left to its owner (`step()` throws it again). */
  private finishInFlight(): void {
    const inFlight = this.inFlight;
    if (inFlight === undefined) return;
    try {
      while (inFlight.step() === undefined) {
        // every step runs
      }
    } catch {
      // the owner of the stepped change gets the error from its next `step()`
    }
  }

  private *applySteps(change: Change): Steps<Update> {
    const failuresBefore = this.folderScope.ruleFailures.length;
    const changed = new Set<string>();
    let rebuild = false;
    let reread: string[] = [];
    if (change.config) {
      const previous = this.configuration;
      this.configuration = resolveConfig({ ...previous, ...change.config });
      if (JSON.stringify(previous.podTemplatePaths) !== JSON.stringify(this.configuration.podTemplatePaths)) {
        reread = [...this.files.keys()].filter((fileId) => !(change.files ?? []).some((file) => file.fileId === fileId)).sort();
        // The text sent again is the text kept: it must be read whole with the new paths, not
        // document by document against facts read with the old ones.
        for (const [fileId, state] of this.files) if (state.text !== undefined) this.files.set(fileId, { ...state, text: undefined, ranges: undefined });
      }
      if (previous.defaultNamespace !== this.configuration.defaultNamespace) {
        for (const [fileId, state] of this.files) state.objects = this.place(fileId, state.objects);
      }
      rebuild = true;
    }
    if (change.folders !== undefined && JSON.stringify(change.folders) !== JSON.stringify(this.overlays.folders)) {
      this.overlays.folders = [...change.folders];
      rebuild = true;
    }
    const files = change.files ?? [];
    if (files.length > BULK_FILES) rebuild = true;
    const hintsBefore = this.hintKey();
    const patchedBefore = new Set(this.patchCounts.keys());
    const added = new Set<string>();
    // A file changed on its own keeps its text, and its next text reuses what did not change.
    const single = files.length === 1 && change.more !== true && !rebuild;
    const edits = new Map<string, UnitEdit>();
    // The folders of the kustomizations this change brings: a file below one is summed up for kustomize builds as it is read.
    const incomingKustomizations = new Set<string>();
    for (const file of files) if (!('removed' in file) && isKustomizationFile(file.fileId)) incomingKustomizations.add(folderOf(file.fileId));
    const summarise = this.underKustomization(incomingKustomizations);
    for (const file of files) {
      if ('facts' in file && isKustomizationFile(file.fileId)) {
        reread.push(file.fileId); // its patch list is read from its text
        continue;
      }
      const previous = this.files.get(file.fileId);
      if (!previous && !('removed' in file)) added.add(file.fileId);
      if (previous) this.account(file.fileId, previous, -1);
      if ('removed' in file) {
        this.files.delete(file.fileId);
      } else {
        let next: FileState;
        if ('facts' in file) {
          next = this.placeFacts(file.fileId, file.facts);
        } else {
          const reread = single && previous?.text !== undefined ? this.rereadState(file.fileId, previous, file.text) : undefined;
          next = reread?.state ?? (yield* this.readState(file.fileId, file.text, single, summarise(file.fileId)));
          // The scope keeps the kept objects only while it holds the file's objects as they were.
          if (reread && previous && this.folderScope.objectsOf(file.fileId) === previous.objects) edits.set(file.fileId, reread.edit);
          else reread?.edit.moveObjects();
        }
        this.files.set(file.fileId, next);
        this.account(file.fileId, next, +1);
      }
      changed.add(file.fileId);
    }
    const patchedNow = new Set(this.patchCounts.keys());
    const units = new Set<string>(files.map((file) => file.fileId));
    for (const fileId of patchedBefore) if (!patchedNow.has(fileId)) units.add(fileId);
    for (const fileId of patchedNow) if (!patchedBefore.has(fileId)) units.add(fileId);

    if (files.length > 1) yield; // the files are read: building and linking are further steps
    const overlays = yield* this.updateOverlays(files, added, rebuild, change.more === true);
    for (const fileId of overlays.changed) if (this.files.has(fileId)) changed.add(fileId);
    for (const fileId of overlays.moved) units.add(fileId);
    for (const fileId of overlays.reread) if (!reread.includes(fileId)) reread.push(fileId);

    const charts = this.charts.update(
      files,
      change.charts,
      { hasFile: (fileId) => this.files.has(fileId), fileIds: () => this.files.keys(), objects: (fileId) => this.files.get(fileId)?.objects ?? [] },
      this.configuration,
      rebuild,
    );
    for (const fileId of charts.changed) if (this.files.has(fileId)) changed.add(fileId);
    for (const fileId of charts.moved) units.add(fileId);
    for (const fileId of charts.reread) if (!reread.includes(fileId)) reread.push(fileId);
    if (charts.moved.size > 0 || change.charts) this.reevaluateUnmatched(changed);

    if (change.more === true) {
      // A load in batches is linked once, when it ends: linking batch by batch costs several times
      // one link of the whole load (see Change.more).
      const pending = (this.pendingLinks ??= { units: new Set(), changed: new Set(), rebuild: false, hintsBefore });
      for (const unitId of units) pending.units.add(unitId);
      for (const fileId of changed) pending.changed.add(fileId);
      pending.rebuild ||= rebuild;
      for (const edit of edits.values()) edit.moveObjects();
      return {
        changedFiles: [],
        linksChanged: false,
        ruleFailures: [...this.folderScope.ruleFailures.splice(failuresBefore), ...this.overlays.takeRuleFailures(), ...this.charts.takeRuleFailures()],
        reread: reread.sort(),
      };
    }
    let hintsAtStart = hintsBefore;
    if (this.pendingLinks) {
      const pending = this.pendingLinks;
      this.pendingLinks = undefined;
      for (const unitId of pending.units) units.add(unitId);
      for (const fileId of pending.changed) changed.add(fileId);
      rebuild ||= pending.rebuild || pending.units.size > BULK_FILES;
      hintsAtStart = pending.hintsBefore;
    }
    // Units that bring thousands of objects at once (one large file read whole) are linked with the
    // scope, in steps; an edit of such a file keeps the objects it did not change and is linked alone.
    if (!rebuild && edits.size === 0) {
      let objects = 0;
      for (const unitId of units) objects += this.unitObjects(unitId).length;
      rebuild = objects > BULK_OBJECTS;
    }

    if (rebuild) {
      for (const edit of edits.values()) edit.moveObjects();
      yield* this.folderScope.resetSteps([...this.allUnits()], this.configuration);
      for (const fileId of this.files.keys()) changed.add(fileId);
    } else {
      const counter = new StepCounter(BULK_FILES);
      for (const unitId of units) {
        const objects = this.unitObjects(unitId);
        let edit = edits.get(unitId);
        if (edit && objects !== this.files.get(unitId)?.objects) {
          edit.moveObjects(); // the file left the folder scope (a patch now, or built by an overlay)
          edit = undefined;
        }
        for (const fileId of this.folderScope.replaceUnit(unitId, objects, edit)) changed.add(fileId);
        if (counter.tick()) yield;
      }
      if (this.hintKey() !== hintsAtStart) this.reevaluateUnmatched(changed);
    }
    // What one scope lacks may be in another (analysis/elsewhere.ts): once every scope is linked,
    // the objects that looked elsewhere look again if what the scopes provide changed.
    if (this.elsewhere.settle()) {
      for (const scope of this.allScopes()) for (const fileId of scope.refreshElsewhere()) changed.add(fileId);
    }
    return {
      changedFiles: [...changed].sort(),
      linksChanged: true,
      ruleFailures: [...this.folderScope.ruleFailures.splice(failuresBefore), ...this.overlays.takeRuleFailures(), ...this.charts.takeRuleFailures()],
      reread: reread.sort(),
    };
  }

  /**
   * Hands a change to the overlays, or keeps it while more files of the same load follow; the
   * kept changes go with the next change that has no `more`.
   */
  private *updateOverlays(files: readonly FileChange[], added: ReadonlySet<string>, everything: boolean, more: boolean): Steps<OverlayUpdate> {
    const pending = this.pendingOverlays ?? { files: new Map<string, FileChange>(), added: new Set<string>(), everything: false, characters: 0 };
    for (const file of files) {
      const before = pending.files.get(file.fileId);
      if (before && 'text' in before) pending.characters -= before.text.length;
      pending.files.delete(file.fileId); // keep the order of the last change of each file
      pending.files.set(file.fileId, file);
      if ('text' in file) pending.characters += file.text.length;
    }
    for (const fileId of added) pending.added.add(fileId);
    pending.everything ||= everything;
    // The kept texts are bounded: past the budget the overlays are brought up to date now.
    if (more && pending.characters <= PENDING_TEXT_BUDGET) {
      this.pendingOverlays = pending;
      return NO_OVERLAY_UPDATE;
    }
    this.pendingOverlays = undefined;
    return yield* this.overlays.updateSteps([...pending.files.values()], pending.added, (fileId) => this.files.has(fileId), this.configuration, pending.everything);
  }

  /** Answers of `variants`, by pair of scope ids; cleared whenever what a scope holds may have changed. */
  private readonly variantPairs = new Map<string, boolean>();

  /**
   * Whether two scopes are variants of one application, neither of which stands for what the other
   * lacks (analysis/elsewhere.ts): overlays whose Services and workloads (those of components left
   * out) are those of the other (from the same files, under the same kind, namespace and name),
   * and maybe more (overlays `dev`
   * and `prod` of one base, each for its cluster, `dev` adding a debug Service). Not two apps that
   * each have Services or workloads of their own beside what they share (a common component or
   * base: a collector, a redis), nor two that build one template base under prefixes of their
   * own. Also a chart and a chart it renders as a subchart (from its `charts/` folder, or a
   * `file://` dependency packaged there). Plain files are no variant of anything.
   */
  private variants(asking: string, holder: string): boolean {
    if (asking === FOLDER_SCOPE || holder === FOLDER_SCOPE) return false;
    const key = asking < holder ? `${asking}\u0000${holder}` : `${holder}\u0000${asking}`;
    let answer = this.variantPairs.get(key);
    if (answer === undefined) {
      answer = this.charts.rendersAsSubchart(asking, holder) || this.charts.rendersAsSubchart(holder, asking) || this.charts.builds(asking, holder) || this.charts.builds(holder, asking) || this.sameBuilds(asking, holder);
      this.variantPairs.set(key, answer);
    }
    return answer;
  }

  /** Whether the Services and workloads one scope builds (file, kind, namespace, name) are all built by the other, and some are. */
  private sameBuilds(left: string, right: string): boolean {
    const one = this.builtIdentities(left);
    const other = this.builtIdentities(right);
    if (one.size === 0 || other.size === 0) return false;
    const [smaller, larger] = one.size <= other.size ? [one, other] : [other, one];
    for (const identity of smaller) if (!larger.has(identity)) return false;
    return true;
  }

  private builtIdentities(id: string): Set<string> {
    const out = new Set<string>();
    const scope = this.scopeWithId(id);
    if (scope === undefined) return out;
    for (const unitId of scope.unitIds()) {
      for (const object of scope.objectsOf(unitId)) {
        // What a component brings is a mixin unrelated apps share, not what makes them one app.
        if ((isService(object) || isTemplate(object)) && !this.overlays.fromComponent(object.fileId)) out.add(`${object.fileId}\u0000${object.kind}\u0000${object.namespace}\u0000${object.name}`);
      }
    }
    return out;
  }

  private scopeWithId(id: string): Scope | undefined {
    return id === FOLDER_SCOPE ? this.folderScope : (this.overlays.scopeOf(id) ?? this.charts.scopeOf(id) ?? this.overlays.builtRootScope(id));
  }

  /**
   * Whether a plain file lies in or below the folder of a kustomization that does not list it
   * (no overlay builds it, or it would not be in the folder scope): `kubectl apply -k` builds what
   * is listed, so no one applies such a file, and it stands for nothing another scope lacks.
   */
  private unlisted(fileId: string): boolean {
    if (this.kustomizationFolders.size === 0) return false;
    for (let folder = folderOf(fileId); ; folder = folderOf(folder)) {
      if (this.kustomizationFolders.has(folder)) return true;
      if (folder === '' || !folder.includes('/')) return false;
    }
  }

  /** Every scope: the folder scope, the kustomize overlays, the rendered Helm charts. */
  private allScopes(): Scope[] {
    return [this.folderScope, ...this.overlays.scopes(), ...this.charts.scopes()];
  }

  /** A read-only view of the analysis; valid until the next `applyChange`. */
  snapshot(): Snapshot {
    return (this.current ??= new Snapshot({
      config: this.configuration,
      folderScope: this.folderScope,
      elsewhere: (scopeId, query) => this.elsewhere.answer(scopeId, query),
      scopes: () => this.allScopes(),
      overlaysOf: (fileId) => this.overlays.topsReaching(fileId),
      nameMentions: (fileId, documentIndex) => this.overlays.nameMentionsOf(fileId, documentIndex),
      chartScopeOf: (fileId) => this.charts.scopeOfFile(fileId),
      chartFindings: (fileId) => this.charts.findings(fileId),
      kustomizationFindings: (fileId) => this.overlays.kustomizeFindings(fileId, this.configuration),
      scope: (id) => (id === FOLDER_SCOPE ? this.folderScope : (this.overlays.scopeOf(id) ?? this.charts.scopeOf(id))),
      facts: (fileId) => this.files.get(fileId)?.facts,
      objectsAsRead: (fileId) => this.files.get(fileId)?.objects ?? [],
      fileIds: () => [...this.files.keys()].sort(),
      templatedNear: (fileId) => this.templatedNear(fileId),
      invalidNear: (fileId) => this.invalidNear(fileId),
      builtRoot: (root) => this.overlays.builtRoot(root, this.configuration),
      rootsIn: (folder) => this.overlays.rootsIn(folder),
    }));
  }

  /**
   * Whether a kustomize build reaches the file: the build reads its text, so facts alone (from a
   * cache of facts) would make the host ask for the text again (`Update.reread`).
   */
  builtFromText(fileId: string): boolean {
    return this.overlays.reaches(fileId) || isKustomizationFile(fileId);
  }

  /** What a file says, its objects included (for a cache of facts); undefined for a file the host does not hold. */
  fileFacts(fileId: string): FileFacts | undefined {
    const state = this.files.get(fileId);
    // Objects of a file with a kept text are moved in place by its next edit: a copy is handed out.
    return state && { ...state.facts, objects: state.objects.map((object) => (state.text === undefined ? factsOfInstance(object) : structuredClone(factsOfInstance(object)))) };
  }

  // ---- internals ---------------------------------------------------------------------------

  private placeFacts(fileId: string, facts: FileFacts): FileState {
    return {
      facts: { ...facts, objects: [] },
      objects: this.place(fileId, facts.objects),
      patches: NO_ITEMS,
      templatedKinds: skippedKindsOf(facts.skipped, 'template'),
      invalidKinds: skippedKindsOf(facts.skipped, 'yaml-error'),
    };
  }

  /**
   * A file's new state read against its previous text, reusing the objects of the unchanged
   * documents; undefined when the whole file is to be read. The kept objects move to their new
   * offsets through `edit.moveObjects` (by the scope, once it moved its findings).
   */
  private rereadState(fileId: string, previous: FileState, text: string): { state: FileState; edit: UnitEdit } | undefined {
    if (isKustomizationFile(fileId) || previous.text === undefined) return undefined;
    const placement = { fileId, scopeId: FOLDER_SCOPE, defaultNamespace: this.configuration.defaultNamespace };
    const reread: Reread<KubeObject> | undefined = rereadFileFacts({ text: previous.text, objects: previous.objects, skipped: previous.facts.skipped, lines: previous.facts.lines, ranges: previous.ranges }, text, { podTemplatePaths: this.configuration.podTemplatePaths }, placement);
    if (!reread) return undefined;
    const facts: FileFacts = { ...reread.facts, objects: [] };
    let moved = false;
    const edit: UnitEdit = {
      fileId,
      removed: reread.removed,
      added: reread.added,
      move: reread.move,
      moveObjects: () => {
        if (!moved) moveObjects(reread.moved, reread.move);
        moved = true;
      },
    };
    return {
      state: { facts, objects: reread.facts.objects, patches: NO_ITEMS, templatedKinds: skippedKindsOf(facts.skipped, 'template'),
      invalidKinds: skippedKindsOf(facts.skipped, 'yaml-error'), text, ranges: reread.ranges },
      edit,
    };
  }

  /**
   * A file's state read from its text, in steps of a few dozen documents (`readFileFactsSteps`).
   * `mayBeResource`: a kustomization may list the file (one is in its folder or above), so what a
   * build takes of its documents is kept too (`FileState.resourceDocuments`).
   */
  private *readState(fileId: string, text: string, keepText: boolean, mayBeResource = false): Steps<FileState> {
    const placement = { fileId, scopeId: FOLDER_SCOPE, defaultNamespace: this.configuration.defaultNamespace };
    // A kustomize build takes documents read with its schema: not with Pod template paths added.
    const summarise = mayBeResource && this.configuration.kustomize && !isKustomizationFile(fileId) && Object.keys(this.configuration.podTemplatePaths).length === 0;
    let resourceDocuments: ResourceDocument[] | undefined = summarise ? [] : undefined;
    const observe = (part: ReadFile): void => {
      if (resourceDocuments === undefined) return;
      const documents = resourceDocumentsOf(part, text);
      if (documents === undefined) resourceDocuments = undefined;
      else for (const document of documents) resourceDocuments.push(document);
    };
    const read = yield* readFileFactsSteps(text, { podTemplatePaths: this.configuration.podTemplatePaths }, placement, summarise ? observe : undefined);
    const facts: FileFacts = { ...read, objects: [] };
    return {
      facts,
      ...(resourceDocuments !== undefined ? { resourceDocuments: fitted(resourceDocuments) } : {}),
      // Read with a placement, the objects are already the folder scope's instances.
      objects: read.objects as readonly ObjectFacts[] as readonly KubeObject[],
      patches: isKustomizationFile(fileId) ? patchFilesOf(fileId, text) : NO_ITEMS,
      templatedKinds: skippedKindsOf(facts.skipped, 'template'),
      invalidKinds: skippedKindsOf(facts.skipped, 'yaml-error'),
      ...(keepText && !isKustomizationFile(fileId) ? { text } : {}),
    };
  }

  /** Adds (+1) or removes (-1) what a file contributes to the host-wide facts (patch lists, charts, templated folders). */
  private account(fileId: string, state: FileState, sign: 1 | -1): void {
    for (const patch of state.patches) {
      const count = (this.patchCounts.get(patch) ?? 0) + sign;
      if (count > 0) this.patchCounts.set(patch, count);
      else this.patchCounts.delete(patch);
    }
    const folder = folderOf(fileId);
    if (isKustomizationFile(fileId)) {
      const count = (this.kustomizationFolders.get(folder) ?? 0) + sign;
      if (count > 0) this.kustomizationFolders.set(folder, count);
      else this.kustomizationFolders.delete(folder);
    }
    if (state.templatedKinds.length > 0) {
      const count = (this.templatedFolders.get(folder) ?? 0) + sign;
      if (count > 0) this.templatedFolders.set(folder, count);
      else this.templatedFolders.delete(folder);
      let kinds = this.templatedKinds.get(folder);
      if (!kinds) this.templatedKinds.set(folder, (kinds = new Map()));
      for (const kind of state.templatedKinds) {
        const kindCount = (kinds.get(kind) ?? 0) + sign;
        if (kindCount > 0) kinds.set(kind, kindCount);
        else kinds.delete(kind);
      }
      if (kinds.size === 0) this.templatedKinds.delete(folder);
    }
    if (state.invalidKinds.length > 0) {
      let files = this.invalidFiles.get(folder);
      if (!files) this.invalidFiles.set(folder, (files = new Map()));
      if (sign > 0) files.set(fileId, state.invalidKinds);
      else files.delete(fileId);
      if (files.size === 0) this.invalidFiles.delete(folder);
    }
    if (baseName(fileId) === 'Chart.yaml') {
      if (sign > 0) this.chartFolders.set(folder, baseName(folder) || folder);
      else this.chartFolders.delete(folder);
    }
  }

  /**
   * Re-evaluates the Services that match nothing in the folder scope and in every overlay scope,
   * after the hints of `templatedNear` changed (a templated document or a chart render came or
   * went): the files whose findings changed go to `changed`.
   */
  private reevaluateUnmatched(changed: Set<string>): void {
    for (const scope of [this.folderScope, ...this.overlays.scopes()]) for (const fileId of scope.reevaluateUnmatched()) changed.add(fileId);
  }

  private hintKey(): string {
    // Sizes first: a folder id may be empty (a file id without '/'), which joins to nothing.
    const kinds = [...this.templatedKinds].map(([folder, counts]) => `${folder}\u0003${[...counts.keys()].sort().join('\u0003')}`).sort();
    const invalid = [...this.invalidFiles.values()].flatMap((files) => [...files].map(([fileId, fileKinds]) => `${fileId}\u0003${fileKinds.join('\u0003')}`)).sort();
    return `${this.chartFolders.size}\u0002${this.templatedFolders.size}\u0002${[...this.chartFolders.keys()].sort().join('\u0000')}\u0001${kinds.join('\u0000')}\u0001${invalid.join('\u0000')}`;
  }

  /**
   * Where templated documents that were not rendered could hold `what` (a Service's Pods, or a
   * Service a reference names; undefined: anything): the chart that holds the file (a folder with
   * `Chart.yaml` above it: whatever its templates read here say, it may render more from subcharts,
   * archives and dependencies that are not read), else the file's own folder, when some document
   * there skipped as a template can be one (`templateMayHold`, from its literal `kind`).
   */
  private templatedNear(fileId: string, what?: 'pods' | 'services'): string | undefined {
    for (let folder = folderOf(fileId); folder.length > 0; folder = folderOf(folder)) {
      const chart = this.chartFolders.get(folder);
      // A rendered chart's objects are all known; a failed one reports nothing.
      if (chart !== undefined) return this.charts.hasRender(folder) ? undefined : `chart ${chart}`;
      if (!folder.includes('/')) break;
    }
    const folder = folderOf(fileId);
    return this.templatesMayHold(folder, what) ? `folder ${baseName(folder) || folder}` : undefined;
  }

  /**
   * A file of `fileId`'s folder (the file itself first) with a document skipped as not valid YAML
   * that can be `what` (from its literal `kind`, `templateMayHold`; undefined: anything): its name.
   * kubectl refuses such a document (`kubectl kustomize`: "mapping key already defined"), but it is
   * most often one being typed, and what it means to hold may be what a rule misses.
   */
  private invalidNear(fileId: string, what?: 'pods' | 'services'): string | undefined {
    const files = this.invalidFiles.get(folderOf(fileId));
    if (files === undefined) return undefined;
    const holds = (kinds: readonly string[] | undefined): boolean => kinds !== undefined && kinds.some((kind) => what === undefined || templateMayHold(kind === '' ? undefined : kind, what));
    if (holds(files.get(fileId))) return baseName(fileId);
    for (const candidate of [...files.keys()].sort()) if (holds(files.get(candidate))) return baseName(candidate);
    return undefined;
  }

  /** Whether a document skipped as a template in `folder` can be `what`. */
  private templatesMayHold(folder: string, what: 'pods' | 'services' | undefined): boolean {
    const kinds = this.templatedKinds.get(folder);
    if (kinds === undefined) return false;
    for (const kind of kinds.keys()) if (what === undefined || templateMayHold(kind === '' ? undefined : kind, what)) return true;
    return false;
  }

  /**
   * A chart that was not rendered in the file's folder or beside it (below the folder above it:
   * `deploy/ingress.yaml` next to the chart `web/`), which a release installs into the same
   * cluster: a weaker hint than `templatedNear`, which rules take only when nothing written comes
   * close to what they miss. Like a chart holding the file, it may render anything.
   */
  private chartBeside(fileId: string): string | undefined {
    if (this.chartFolders.size === 0) return undefined;
    const folder = folderOf(fileId);
    for (const around of [folder, folderOf(folder)]) {
      // A chart whose render failed holds objects no one knows, as one not rendered does.
      const beside = [...this.chartFolders.keys()].filter((chart) => chart.startsWith(`${around}/`) && !this.charts.isRendered(chart) && !this.renderedAbove(chart)).sort();
      if (beside.length > 0) return `chart ${this.chartFolders.get(beside[0]!)}`;
      if (!around.includes('/')) break;
    }
    return undefined;
  }

  /**
   * Whether a chart folder lies inside a chart that was rendered (a subchart in its `charts/`):
   * helm rendered it with its parent, as far as the values switch it on, so it holds nothing unseen.
   */
  private renderedAbove(chart: string): boolean {
    for (let folder = folderOf(chart); folder.length > 0; folder = folderOf(folder)) {
      if (this.chartFolders.has(folder) && this.charts.isRendered(folder)) return true;
      if (!folder.includes('/')) break;
    }
    return false;
  }

  /**
   * A file's folder-scope objects, for an overlay that builds the file's documents unchanged: only
   * when they were read from `text` (the overlays hold the text this host's state of the file was
   * read from; the length is checked besides) and are never moved in place (a file with a kept
   * text has its objects moved by its next edit, `rereadState`).
   */
  private objectsReadFrom(fileId: string, text: string): readonly KubeObject[] | undefined {
    return this.stateReadFrom(fileId, text)?.objects;
  }

  /**
   * Whether a kustomization the host holds, or one of `incoming`, is in a file's folder or above
   * it: only such a file can be a kustomize resource without a note, since kustomize loads files
   * in or below a kustomization's folder (its default load restrictor, `LoadRestrictionsRootOnly`).
   * A file a build reads from elsewhere is read by the build. Each folder's answer is kept for the
   * change (a kustomization removed in it may leave a folder's answer true: the summary of a file
   * is right whatever lists it, only not needed).
   */
  private underKustomization(incoming: ReadonlySet<string>): (fileId: string) => boolean {
    if (this.kustomizationFolders.size === 0 && incoming.size === 0) return () => false;
    const known = new Map<string, boolean>();
    const under = (folder: string): boolean => {
      let answer = known.get(folder);
      if (answer === undefined) {
        answer = this.kustomizationFolders.has(folder) || incoming.has(folder) || (folder.includes('/') && under(folderOf(folder)));
        known.set(folder, answer);
      }
      return answer;
    };
    return (fileId) => under(folderOf(fileId));
  }

  /** A kustomize build's summary of a file's documents, when read from this text (see `objectsReadFrom`). */
  private documentsReadFrom(fileId: string, text: string): readonly ResourceDocument[] | undefined {
    return this.stateReadFrom(fileId, text)?.resourceDocuments;
  }

  /** A file's state, when its objects were read from `text` and never moved in place. */
  private stateReadFrom(fileId: string, text: string): FileState | undefined {
    const state = this.files.get(fileId);
    if (state === undefined || state.text !== undefined || state.facts.lines.length !== text.length) return undefined;
    return state;
  }

  /** Places facts (or instances, which hold every field of their facts) in the folder scope. */
  private place(fileId: string, facts: readonly ObjectFacts[]): KubeObject[] {
    return instantiate(facts, { fileId, scopeId: FOLDER_SCOPE, defaultNamespace: this.configuration.defaultNamespace });
  }

  private unitObjects(fileId: string): readonly KubeObject[] {
    return this.unitObjectsOf(fileId, this.files.get(fileId));
  }

  /** The objects a file's state places in the folder scope (none for a kustomize patch, a file an overlay reaches or a file of a rendered chart). */
  private unitObjectsOf(fileId: string, state: FileState | undefined): readonly KubeObject[] {
    if (!state || this.patchCounts.has(fileId) || this.overlays.reaches(fileId) || this.charts.covers(fileId)) return [];
    return state.objects;
  }

  private *allUnits(): Iterable<readonly [string, readonly KubeObject[]]> {
    for (const fileId of this.files.keys()) yield [fileId, this.unitObjects(fileId)];
  }
}

/** The literal kinds of a file's documents skipped for `reason`, each once (`''` for a kind not written literally). */
function skippedKindsOf(skipped: readonly Pick<SkipNote, 'reason' | 'kind'>[], reason: SkipNote['reason']): readonly string[] {
  const kinds = new Set<string>();
  for (const note of skipped) if (note.reason === reason) kinds.add(note.kind ?? '');
  return kinds.size === 0 ? NO_ITEMS : [...kinds];
}
