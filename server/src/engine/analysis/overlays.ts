/**
 * Kustomize overlays as scopes. A kustomization that no other kustomization of the host includes
 * is a **top** (and the first of kustomizations that include each other with no top above them,
 * `findTops`); each top is built in process (kustomize/, kustomize v5.7.1 semantics for the fields
 * links depend on) and its objects are linked among themselves in a scope of their own, the way
 * `kubectl apply -k <top>` applies them together
 * (https://kubectl.docs.kubernetes.io/references/kustomize/glossary/#kustomization-root).
 * A file reached from a top is analysed as built there, not as a plain file; a file reached from no
 * top is analysed as before, in the folder scope.
 *
 * Builds read texts; the host keeps no texts but these: kustomization files and the files some top
 * reaches. A file a build needs whose text is not kept is asked for again (`reread`): its overlay
 * is rebuilt when the text arrives.
 */
import type { EngineConfig } from '../config';
import { buildKustomization, findTops, isKustomizationFile, ParseCache, type BuiltObject, type KustomizeBuild, type KustomizeNote, type NameMention } from '../kustomize';
import { basenameId, isWithinFolder } from '../kustomize/paths';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/kustomization';
import { narrowDocument } from '../model/narrow';
import type { ResourceDocument } from '../kustomize/resourceDocuments';
import { documentIndexOf, type KubeObject } from '../model/objects';
import type { PNode } from '../syntax/tree';
import type { FileChange } from './host';
import { folderOf } from './kustomizations';
import { Scope, type ScopeEnvironment, type UnitEdit } from './scope';
import { KUSTOMIZATION_RULES } from '../rules/registry';
import { reportedFinding, type KustomizeFile } from '../rules/rule';
import type { Finding, Span } from '../types';
import { StepCounter, type Steps } from './steps';

/** Kustomization files read between two steps. */
const KUSTOMIZATIONS_PER_STEP = 32;
const NO_NOTES: KustomizeFile['notes'] = [];

/** A kustomization root built on its own: its scope and the files its build reaches. */
export interface BuiltRoot {
  readonly root: string;
  readonly scope: Scope;
  readonly reached: ReadonlySet<string>;
}

interface Overlay {
  readonly top: string;
  readonly scope: Scope;
  /** The notes of the last build (undefined before the first). */
  notes: readonly KustomizeNote[] | undefined;
  /** Where the last build's kustomizations name its objects. */
  nameMentions: readonly NameMention[];
  reached: ReadonlySet<string>;
  /** Per unit (origin file) of the last build, a key of its built objects: unchanged units are not re-linked. */
  unitKeys: Map<string, UnitKey> | undefined;
  /**
   * The objects placed for the units the last update of the overlay placed, by the tree of the
   * built object they were narrowed from (see `placeBuild`).
   */
  lastPlaced: Map<PNode, readonly KubeObject[]> | undefined;
}

/**
 * What a unit's built objects are, in a form cheap to compare: objects no step of the build
 * changed are their documents as read, so the text they were read from and the documents taken
 * stand for them; objects some step changed are compared by their content.
 */
type UnitKey = { readonly text: string; readonly documents: string } | { readonly content: string };

function sameUnitKey(left: UnitKey | undefined, right: UnitKey | undefined): boolean {
  if (left === undefined || right === undefined) return left === right;
  if ('content' in left) return 'content' in right && left.content === right.content;
  return 'text' in right && left.text === right.text && left.documents === right.documents;
}

/** The keys of the units of a build (see `UnitKey`). */
function unitKeysOf(objects: readonly BuiltObject[]): Map<string, UnitKey> {
  const byUnit = new Map<string, BuiltObject[]>();
  for (const object of objects) {
    let unit = byUnit.get(object.fileId);
    if (!unit) byUnit.set(object.fileId, (unit = []));
    unit.push(object);
  }
  const keys = new Map<string, UnitKey>();
  for (const [fileId, unit] of byUnit) {
    const text = unit[0]!.text;
    const asRead = unit.every((object) => !object.transformed && object.text === text);
    keys.set(fileId, asRead ? { text, documents: unit.map((object) => object.documentIndex).join(',') } : { content: unit.map((object) => JSON.stringify(object.root)).join('\u0000') });
  }
  return keys;
}

/** What an overlay update did. */
export interface OverlayUpdate {
  /** Files whose findings may have changed. */
  readonly changed: ReadonlySet<string>;
  /** Files whose text a build needs and the host must send again. */
  readonly reread: ReadonlySet<string>;
  /** Files that entered or left an overlay: their place in the folder scope changes. */
  readonly moved: ReadonlySet<string>;
}

export class Overlays {
  private readonly overlays = new Map<string, Overlay>();
  private readonly reachedBy = new Map<string, Set<string>>();
  private readonly texts = new Map<string, string>();
  private readonly kustomizations = new Set<string>();
  /** Files a build wanted but had no text for, with the tops waiting for them. */
  private readonly awaiting = new Map<string, Set<string>>();
  /** Kustomization roots that are not tops, built alone on request; dropped at every update. */
  private readonly alone = new Map<string, BuiltRoot | undefined>();
  /** Parses of kustomizations and resource files, shared by every build. */
  private readonly parses = new ParseCache();
  /** `scopes()` until the set of overlays changes: a snapshot asks for it on every request. */
  private sortedScopes: Scope[] | undefined;
  /** Overlays built since `takeRuleFailures` last looked: only their rules ran. */
  private readonly built = new Set<Overlay>();
  /** The build notes of every overlay by the file they are in (`notesIn`); undefined when some overlay's notes changed. */
  private notesByFile: Map<string, KustomizeFile['notes']> | undefined;
  /** The overlays that made the notes at each file and span, gathered with `notesByFile`. */
  private noteScopesBySpan: Map<string, Set<string>> | undefined;
  /** Files that left every overlay during this update: their texts are dropped unless they are kustomizations. */
  private readonly released = new Set<string>();

  /**
   * `readObjects` gives the objects the host read from a file (placed in the folder scope) when
   * they were read from exactly this text and are never moved in place, else undefined: an
   * overlay places copies of them for its documents that no step of the build changed, instead of
   * narrowing the same document again. `readDocuments` gives the host's summary of a file's
   * documents under the same condition: a first build takes it instead of parsing the file again.
   */
  constructor(
    private readonly environment: ScopeEnvironment,
    private readonly readObjects: ReadObjects = () => undefined,
    private readonly readDocuments: ReadDocuments = () => undefined,
  ) {}

  /**
   * The folders whose every manifest the host holds (`Change.folders`); undefined: every file, so a
   * file the host does not hold does not exist.
   */
  folders: readonly string[] | undefined;

  /** Files left out on purpose although they may exist (`AnalysisHost.setUnread`). */
  unread: ((fileId: string) => boolean) | undefined;

  /** Whether a file the host does not hold is known not to exist: it lies in a folder read whole, and is not left out on purpose. */
  private covers(fileId: string): boolean {
    if (this.unread?.(fileId) === true) return false;
    return this.folders === undefined || this.folders.some((folder) => folder === fileId || isWithinFolder(folder, fileId));
  }

  /** Whether some overlay reaches the file (then it is not analysed as a plain file). */
  reaches(fileId: string): boolean {
    return this.reachedBy.has(fileId);
  }

  /** The overlay scopes, in top order. */
  scopes(): readonly Scope[] {
    this.sortedScopes ??= [...this.overlays.values()].sort((left, right) => (left.top < right.top ? -1 : 1)).map((overlay) => overlay.scope);
    return this.sortedScopes;
  }

  /** The scope of an overlay by its top. */
  scopeOf(top: string): Scope | undefined {
    return this.overlays.get(top)?.scope;
  }

  /** The tops whose build reaches a file. */
  topsReaching(fileId: string): readonly string[] {
    const tops = this.reachedBy.get(fileId);
    return tops ? [...tops].sort() : NO_TOPS;
  }

  /**
   * Where the overlays that build a file name the object of its document `documentIndex` (patches
   * and patch targets, see NameMention): each place once, however many overlays build it, in file
   * and offset order.
   */
  nameMentionsOf(fileId: string, documentIndex: number): NameMention[] {
    const out = new Map<string, NameMention>();
    for (const top of this.topsReaching(fileId)) {
      for (const mention of this.overlays.get(top)?.nameMentions ?? []) {
        if (mention.fileId !== fileId || mention.documentIndex !== documentIndex) continue;
        const key = `${mention.at}\u0000${mention.nodeSpan.start}`;
        const seen = out.get(key);
        // A target that selects other objects in one build does in the place: keep the widest reach.
        if (!seen || mention.others.length > seen.others.length) out.set(key, mention);
      }
    }
    return [...out.values()].sort((left, right) => (left.at < right.at ? -1 : left.at > right.at ? 1 : left.nodeSpan.start - right.nodeSpan.start));
  }

  /**
   * Brings the overlays up to date after the host took `files` (their facts already read).
   * `added` are the files the host did not hold before; `hasFile` tells whether the host holds a
   * file; `everything` rebuilds every overlay (a bulk load or a settings change); kustomize
   * support off drops every overlay (raw-file reading). In steps (analysis/steps.ts), one per
   * overlay built: between two steps the overlays answer queries from what is built so far, and
   * the caller must not change them until the last step has run.
   */
  *updateSteps(files: readonly FileChange[], added: ReadonlySet<string>, hasFile: (fileId: string) => boolean, config: EngineConfig, everything: boolean): Steps<OverlayUpdate> {
    this.alone.clear();
    const changed = new Set<string>();
    const reread = new Set<string>();
    const moved = new Set<string>();
    const incoming = new Map<string, string>();
    let topsChanged = everything;
    let addedOrRemoved = added.size > 0;
    const dirty = new Set<string>();
    for (const file of files) {
      const isKustomization = isKustomizationFile(file.fileId);
      if ('facts' in file) {
        // Facts from a cache hold no text: a kustomization file is asked for again by the host, and a
        // build that reaches this file asks for its text when it runs (see `missing` below).
        if (isKustomization) continue;
        this.texts.delete(file.fileId);
      } else if ('removed' in file) {
        this.texts.delete(file.fileId);
        addedOrRemoved = true;
        if (isKustomization) {
          this.kustomizations.delete(file.fileId);
          topsChanged = true;
        }
      } else {
        incoming.set(file.fileId, file.text);
        if (isKustomization) {
          this.kustomizations.add(file.fileId);
          topsChanged = true;
        }
        if (isKustomization || this.reachedBy.has(file.fileId)) this.texts.set(file.fileId, file.text);
        for (const top of this.awaiting.get(file.fileId) ?? []) dirty.add(top);
        this.awaiting.delete(file.fileId);
      }
      for (const top of this.reachedBy.get(file.fileId) ?? []) dirty.add(top);
    }

    const missing = new Map<string, Set<string>>();
    let building: string | undefined;
    const inputs = {
      text: (fileId: string): string | undefined => {
        const text = incoming.get(fileId) ?? this.texts.get(fileId);
        if (text === undefined && building !== undefined && hasFile(fileId)) {
          let tops = missing.get(fileId);
          if (!tops) missing.set(fileId, (tops = new Set()));
          tops.add(building);
        }
        return text;
      },
      exists: (fileId: string): boolean | undefined => (hasFile(fileId) ? true : this.covers(fileId) ? false : undefined),
      documents: this.readDocuments,
    };

    if (topsChanged && config.kustomize) {
      // Reading a thousand kustomizations takes a while: they are read in steps, and finding the tops reuses the reads.
      const counter = new StepCounter(KUSTOMIZATIONS_PER_STEP);
      for (const fileId of this.kustomizations) {
        const text = inputs.text(fileId);
        if (text !== undefined) this.parses.kustomization(fileId, text);
        if (counter.tick()) yield;
      }
    }
    if (topsChanged || !config.kustomize) {
      const tops = config.kustomize ? new Set(findTops([...this.kustomizations].sort(), inputs, this.parses)) : new Set<string>();
      for (const top of [...this.overlays.keys()]) if (!tops.has(top)) this.drop(top, changed, moved);
      for (const top of tops) {
        if (!this.overlays.has(top)) {
          this.sortedScopes = undefined;
          this.overlays.set(top, {
            top,
            scope: new Scope({ id: top, label: `overlay ${overlayLabel(top)}`, proximity: false, build: folderOf(top) }, config, this.environment),
            notes: undefined,
            nameMentions: [],
            reached: new Set(),
            unitKeys: undefined,
            lastPlaced: undefined,
          });
          dirty.add(top);
        }
      }
    }
    for (const overlay of this.overlays.values()) {
      if (everything || (addedOrRemoved && (overlay.notes?.length ?? 0) > 0)) dirty.add(overlay.top);
    }
    for (const top of [...dirty].sort()) {
      const overlay = this.overlays.get(top);
      if (!overlay) continue;
      building = top;
      this.rebuild(overlay, inputs, config, changed, moved, everything);
      building = undefined;
      yield;
    }
    for (const [fileId, tops] of missing) {
      reread.add(fileId);
      let waiting = this.awaiting.get(fileId);
      if (!waiting) this.awaiting.set(fileId, (waiting = new Set()));
      for (const top of tops) waiting.add(top);
    }
    // Keep the texts of kustomization files and reached files only: the kept ones were, so only
    // the texts of this change and of files that left every overlay are looked at.
    for (const [fileId, text] of incoming) {
      if (this.kustomizations.has(fileId) || this.reachedBy.has(fileId)) this.texts.set(fileId, text);
      else this.texts.delete(fileId);
    }
    for (const fileId of this.released) if (!this.kustomizations.has(fileId) && !this.reachedBy.has(fileId)) this.texts.delete(fileId);
    this.released.clear();
    if (addedOrRemoved || topsChanged) this.parses.retain((fileId) => this.texts.has(fileId));
    // A base built alone for a query between two steps read the texts kept before this update.
    this.alone.clear();
    return { changed, reread, moved };
  }

  /**
   * A kustomization root (`…/kustomization.yaml`) built as `kubectl kustomize <its folder>` would
   * build it: a top's own scope, or for a root that overlays include (a base), a scope of its own
   * built on request and kept until the next update. Undefined for a file that is no
   * kustomization of the host, or when kustomize support is off.
   */
  builtRoot(root: string, config: EngineConfig): BuiltRoot | undefined {
    const overlay = this.overlays.get(root);
    if (overlay) return { root, scope: overlay.scope, reached: overlay.reached };
    if (!config.kustomize || !this.kustomizations.has(root)) return undefined;
    if (this.alone.has(root)) return this.alone.get(root);
    const build = buildKustomization(root, { text: (fileId) => this.texts.get(fileId) }, this.parses);
    const scope = new Scope({ id: root, label: `base ${overlayLabel(root)}`, proximity: false, build: folderOf(root) }, config, this.environment);
    scope.partialBuild = build.partial;
    scope.uncertainBuild = build.uncertain;
    scope.reset(placeBuild(build, root, config, undefined, undefined, this.readObjects), config);
    const built: BuiltRoot = { root, scope, reached: new Set(build.reached) };
    this.alone.set(root, built);
    return built;
  }

  /**
   * The findings on a file as kustomize reads it (KUSTOMIZATION_RULES): a kustomization kustomize
   * refuses, and the notes the overlay builds made about the file (each once, however many builds
   * made it; not those reported elsewhere). None with kustomize support off.
   */
  kustomizeFindings(fileId: string, config: EngineConfig): readonly Finding[] {
    if (!config.kustomize) return NO_FINDINGS;
    const text = this.kustomizations.has(fileId) ? this.texts.get(fileId) : undefined;
    const refusal = text === undefined ? undefined : this.parses.kustomization(fileId, text).refusal;
    const notes = this.notesIn(fileId);
    if (refusal === undefined && notes.length === 0) return NO_FINDINGS;
    const file: KustomizeFile = { fileId, refusal, notes };
    const out: Finding[] = [];
    for (const rule of KUSTOMIZATION_RULES) {
      const setting = config.rules[rule.id];
      if (setting === 'off') continue;
      for (const report of rule.check(file)) {
        if (this.environment.suppressed(fileId, report.span.start, rule.id)) continue;
        out.push({
          ...reportedFinding(rule, report, setting),
          fileId,
          span: { start: report.span.start, end: report.span.end },
          resource: isKustomizationFile(fileId) ? { kind: 'Kustomization', name: overlayLabel(fileId), namespace: '' } : { kind: 'File', name: basenameId(fileId), namespace: '' },
          related: [],
          fixes: [],
          ...scopesOf(this.noteScopes(fileId, report.span)),
        });
      }
    }
    return out;
  }

  /** The notes of the overlay builds located in a file, once each, in file order. */
  private notesIn(fileId: string): KustomizeFile['notes'] {
    if (this.notesByFile === undefined) {
      const byFile = new Map<string, Map<string, KustomizeFile['notes'][number]>>();
      const scopesBySpan = new Map<string, Set<string>>();
      for (const overlay of this.overlays.values()) {
        for (const note of overlay.notes ?? []) {
          if (note.effect === 'reported') continue;
          let notes = byFile.get(note.fileId);
          if (!notes) byFile.set(note.fileId, (notes = new Map()));
          notes.set(`${note.span.start}\u0000${note.span.end}\u0000${note.message}`, { span: { start: note.span.start, end: note.span.end }, message: note.message, effect: note.effect });
          const spanKey = `${note.fileId}\u0000${note.span.start}\u0000${note.span.end}`;
          let scopes = scopesBySpan.get(spanKey);
          if (!scopes) scopesBySpan.set(spanKey, (scopes = new Set()));
          scopes.add(folderOf(overlay.top));
        }
      }
      this.notesByFile = new Map([...byFile].map(([file, notes]) => [file, [...notes.values()].sort((left, right) => left.span.start - right.span.start || left.span.end - right.span.end)]));
      this.noteScopesBySpan = scopesBySpan;
    }
    return this.notesByFile.get(fileId) ?? NO_NOTES;
  }

  /** The overlays (their tops' folders) whose builds made the notes at `span` of `fileId` (`notesIn` gathers them). */
  private noteScopes(fileId: string, span: Span): ReadonlySet<string> | undefined {
    this.notesIn(fileId);
    return this.noteScopesBySpan?.get(`${fileId}\u0000${span.start}\u0000${span.end}`);
  }

  /** The kustomization roots of the host in `folder` (normally one). */
  rootsIn(folder: string): string[] {
    return [...this.kustomizations].filter((fileId) => folderOf(fileId) === folder).sort();
  }

  /** Rule failures of every overlay scope since the last call. */
  takeRuleFailures(): string[] {
    const out: string[] = [];
    for (const overlay of this.built) out.push(...overlay.scope.ruleFailures.splice(0));
    this.built.clear();
    return out;
  }

  private drop(top: string, changed: Set<string>, moved: Set<string>): void {
    const overlay = this.overlays.get(top);
    if (!overlay) return;
    this.setNotes(overlay, [], changed);
    for (const fileId of overlay.scope.filesWithFindings()) changed.add(fileId);
    this.setReached(overlay, new Set(), changed, moved);
    this.overlays.delete(top);
    this.built.delete(overlay);
    this.sortedScopes = undefined;
    this.environment.provisionChanged();
  }

  /**
   * Whether a file is a resource of a kustomize component: the nearest kustomization in its folder
   * or above is `kind: Component` (https://kubectl.docs.kubernetes.io/guides/config_management/components/).
   * A component is a mixin that unrelated apps share (analysis/elsewhere.ts).
   */
  fromComponent(fileId: string): boolean {
    for (let folder = folderOf(fileId); folder !== ''; folder = folderOf(folder)) {
      for (const name of KUSTOMIZATION_FILE_NAMES) {
        const id = `${folder}/${name}`;
        if (!this.kustomizations.has(id)) continue;
        const text = this.texts.get(id);
        return text !== undefined && this.parses.kustomization(id, text).kind === 'Component';
      }
      if (!folder.includes('/')) break;
    }
    return false;
  }

  /** The scope of a base built alone for a query (`builtRoot`), while it is kept. */
  builtRootScope(root: string): Scope | undefined {
    return this.alone.get(root)?.scope;
  }

  /**
   * Builds an overlay again. The first build (or a settings change) links its scope from scratch;
   * later builds re-link only the units (origin files) whose built objects changed, which keeps a
   * keystroke in one file of a large overlay cheap.
   */
  private rebuild(
    overlay: Overlay,
    inputs: { text(fileId: string): string | undefined },
    config: EngineConfig,
    changed: Set<string>,
    moved: Set<string>,
    everything: boolean,
  ): void {
    this.built.add(overlay);
    const previous = overlay.unitKeys;
    // A rebuild keeps the parses of the files it reads: the next keystroke in one of them parses that file alone.
    const build = buildKustomization(overlay.top, inputs, this.parses, previous !== undefined && !everything);
    this.setNotes(overlay, build.notes, changed);
    overlay.nameMentions = build.nameMentions;
    const keys = unitKeysOf(build.objects);
    // Rules word what the build lacks by what it leaves out: a change of that relinks the whole scope.
    const partialChanged = overlay.scope.partialBuild !== build.partial || overlay.scope.uncertainBuild !== build.uncertain;
    overlay.scope.partialBuild = build.partial;
    overlay.scope.uncertainBuild = build.uncertain;
    if (!previous || everything || partialChanged) {
      for (const fileId of overlay.scope.filesWithFindings()) changed.add(fileId);
      overlay.scope.reset(placeBuild(build, overlay.top, config, undefined, undefined, this.readObjects), config);
      for (const fileId of overlay.scope.filesWithFindings()) changed.add(fileId);
      overlay.lastPlaced = undefined;
    } else {
      // Only the units whose built objects changed are placed and linked again, and in them only
      // the objects whose built tree is new: a keystroke in a file of many documents re-links the
      // objects of the documents it changed (the file's other documents keep their trees, see
      // ParseCache.resourceRoots).
      const stale = new Set<string>();
      for (const fileId of new Set([...previous.keys(), ...keys.keys()])) if (!sameUnitKey(previous.get(fileId), keys.get(fileId))) stale.add(fileId);
      const placed = new Map<PNode, readonly KubeObject[]>();
      const units = placeBuild(build, overlay.top, config, stale, { reuse: overlay.lastPlaced, placed }, this.readObjects);
      overlay.lastPlaced = placed;
      for (const fileId of stale) {
        const objects = units.get(fileId) ?? [];
        for (const file of overlay.scope.replaceUnit(fileId, objects, unitEdit(fileId, overlay.scope.objectsOf(fileId), objects))) changed.add(file);
      }
    }
    overlay.unitKeys = keys;
    this.setReached(overlay, new Set(build.reached), changed, moved);
  }

  /** An overlay's build notes, replaced: the files the old and new notes are in have changed findings. */
  private setNotes(overlay: Overlay, notes: readonly KustomizeNote[], changed: Set<string>): void {
    const shown = (note: KustomizeNote): boolean => note.effect !== 'reported';
    const key = (list: readonly KustomizeNote[]): string => JSON.stringify(list.filter(shown).map((note) => [note.fileId, note.span.start, note.span.end, note.message, note.effect]));
    if (overlay.notes !== undefined && key(overlay.notes) === key(notes)) {
      overlay.notes = notes;
      return;
    }
    for (const note of overlay.notes ?? []) if (shown(note)) changed.add(note.fileId);
    for (const note of notes) if (shown(note)) changed.add(note.fileId);
    overlay.notes = notes;
    this.notesByFile = undefined;
    this.noteScopesBySpan = undefined;
  }

  private setReached(overlay: Overlay, reached: ReadonlySet<string>, changed: Set<string>, moved: Set<string>): void {
    for (const fileId of overlay.reached) {
      if (reached.has(fileId)) continue;
      const tops = this.reachedBy.get(fileId);
      tops?.delete(overlay.top);
      if (tops && tops.size === 0) {
        this.reachedBy.delete(fileId);
        this.released.add(fileId);
        moved.add(fileId);
      }
      changed.add(fileId);
    }
    for (const fileId of reached) {
      if (overlay.reached.has(fileId)) continue;
      changed.add(fileId);
      let tops = this.reachedBy.get(fileId);
      if (!tops) {
        this.reachedBy.set(fileId, (tops = new Set()));
        moved.add(fileId);
      }
      tops.add(overlay.top);
    }
    overlay.reached = reached;
  }
}

const NO_TOPS: readonly string[] = [];
const NO_FINDINGS: readonly Finding[] = [];

/**
 * The objects placed for built trees: those of the last update (`reuse`), and those of this one
 * (`placed`, filled by `placeBuild`).
 */
interface Placements {
  readonly reuse: ReadonlyMap<PNode, readonly KubeObject[]> | undefined;
  readonly placed: Map<PNode, readonly KubeObject[]>;
}

/**
 * The objects a host read from a file, when read from exactly `text` (and never moved in place),
 * else undefined (see `Overlays`' constructor).
 */
export type ReadObjects = (fileId: string, text: string) => readonly KubeObject[] | undefined;

/**
 * A host's summary of a file's documents (`resourceDocumentsOf`), when read from exactly `text`,
 * else undefined: a first build of an overlay takes it for the file (`KustomizeInputs.documents`).
 */
export type ReadDocuments = (fileId: string, text: string) => readonly ResourceDocument[] | undefined;

/**
 * The objects of a build placed in the scope `scopeId`, by the file (unit) they come from; only the
 * units `only` names, when given. With `placements`, a built object no step changed whose tree is
 * one placed before (the same tree object: a document of a kept parse, see ParseCache) keeps the
 * objects placed then. Its document, file, scope and settings are the same, so narrowing it again
 * would give equal objects.
 *
 * A whole document that no step changed is narrowed as read (its spans name no file: they are in
 * the object's own file, `Span.fileId`). It is the document the host read from the same text, so
 * its objects are the host's, placed in this scope instead of the folder scope (`readObjects`):
 * the same narrowing of the same tree, when the settings do not add Pod template paths (which
 * change the tree the host reads, `documentSchema`).
 */
function placeBuild(
  build: KustomizeBuild,
  scopeId: string,
  config: EngineConfig,
  only: ReadonlySet<string> | undefined,
  placements: Placements | undefined,
  readObjects: ReadObjects,
): Map<string, KubeObject[]> {
  const units = new Map<string, KubeObject[]>();
  const hostObjects = Object.keys(config.podTemplatePaths).length === 0 ? new HostDocuments(readObjects, scopeId) : undefined;
  for (const object of build.objects) {
    if (only !== undefined && !only.has(object.fileId)) continue;
    // A whole document no step changed; its tree is read only when the host's objects cannot stand for it.
    const unchanged = object.transformed ? undefined : object.documentSpan;
    const known = object.transformed ? undefined : (placements?.reuse?.get(object.root) ?? (unchanged && hostObjects?.of(object, unchanged)));
    const placed =
      known ??
      (narrowDocument((unchanged && object.document) ?? object.root, object.documentIndex, {
        podTemplatePaths: config.podTemplatePaths,
        placement: { fileId: object.fileId, scopeId, defaultNamespace: config.defaultNamespace },
      }) as readonly unknown[] as KubeObject[]);
    placements?.placed.set(object.root, placed);
    let unit = units.get(object.fileId);
    if (!unit) units.set(object.fileId, (unit = []));
    unit.push(...placed);
  }
  return units;
}

/** The host's objects of each document of the files a build reads, placed in one scope (`placeBuild`). */
class HostDocuments {
  /** Per file, the host's objects by document index, or undefined when they cannot stand for the build's. */
  private readonly files = new Map<string, Map<number, KubeObject[]> | undefined>();

  constructor(
    private readonly readObjects: ReadObjects,
    private readonly scopeId: string,
  ) {}

  /** The objects of the document at `document` (its root's span), a built object's whole document no step changed, placed in the scope; undefined when unknown. */
  of(object: BuiltObject, document: Span): readonly KubeObject[] | undefined {
    let documents = this.files.get(object.fileId);
    if (documents === undefined && !this.files.has(object.fileId)) {
      const objects = this.readObjects(object.fileId, object.text);
      documents = objects && new Map();
      for (const read of objects ?? []) {
        const index = documentIndexOf(read);
        let list = documents!.get(index);
        if (!list) documents!.set(index, (list = []));
        list.push(read);
      }
      this.files.set(object.fileId, documents);
    }
    if (documents === undefined) return undefined;
    const read = documents.get(object.documentIndex) ?? NO_OBJECTS;
    // The host's first object of the document spans the document's root.
    if (read.length > 0 && (read[0]!.span.start !== document.start || read[0]!.span.end !== document.end)) return undefined;
    // Copies of their own for each built object: a build may take one document twice.
    return read.map((one) => ({ ...one, scopeId: this.scopeId }));
  }
}

const NO_OBJECTS: readonly KubeObject[] = [];

/** The edit of a unit from the objects it had to those it has: kept objects are the same objects, at the same offsets. */
function unitEdit(fileId: string, before: readonly KubeObject[], after: readonly KubeObject[]): UnitEdit {
  const now = new Set(after);
  const then = new Set(before);
  return {
    fileId,
    removed: before.filter((object) => !now.has(object)),
    added: after.filter((object) => !then.has(object)),
    move: { from: 0, delta: 0, orderDelta: 0 },
    moveObjects: () => undefined,
  };
}

/** How an overlay is named in messages: the folder of its top kustomization (`prod`). */
export function overlayLabel(top: string): string {
  const parts = top.split('/');
  parts.pop();
  return parts.pop() || top;
}

/** `scopes` for a finding from the overlays that made its note, sorted; nothing when none did (a refusal). */
function scopesOf(scopes: ReadonlySet<string> | undefined): { scopes?: readonly string[] } {
  return scopes === undefined || scopes.size === 0 ? {} : { scopes: [...scopes].sort() };
}
