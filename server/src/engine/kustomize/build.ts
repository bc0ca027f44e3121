/**
 * Builds a kustomization as `kubectl kustomize` (kustomize v5.7.1) does, for the fields the pruned
 * tree keeps. The order is kustomize's (api/internal/target/kusttarget.go): resources, then
 * components (each transforms what came before it), then this kustomization's transformers in
 * the fixed order patchesStrategicMerge, patches, namespace, namePrefix, nameSuffix, labels and
 * commonLabels, patchesJson6902, replicas. Name references (a StatefulSet's serviceName, Ingress
 * backends) are fixed once, at the top, from every object's name history.
 * https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/
 *
 * Provenance: every span of a built object names its file. A value read from a resource points
 * into the resource; a value a patch wrote points into the patch (an inline patch: into the
 * kustomization); a label added by `commonLabels`/`labels` points at that pair in the
 * kustomization; a namespace set by `namespace:` at that field; a prefixed or suffixed name keeps
 * the span of the name in the resource (the part the user names the object by); a reference
 * rewritten to a prefixed Service name keeps the span of the reference.
 */
import { isMap, isSeq } from 'yaml';
import { DOCUMENT_SCHEMA, isReadKind } from '../kinds/registry';
import type { PNode } from '../syntax/tree';
import { resolvePlain } from '../syntax/scalars';
import type { Span } from '../types';
import { COMMON_LABEL_SPECS, mergeSpecs, REPLICA_SPECS, SERVICE_NAME_REFERENCES, specSelects, TEMPLATE_LABEL_SPECS, type Gvk } from './fieldSpecs';
import { applyJsonPatch, readJsonPatch, schemaAtPointer } from './jsonPatch';
import { isKustomizationFile, KUSTOMIZATION_FILE_NAMES, type FieldSpec, type InlineText, type Kustomization, type LabelPair, type Located, type PatchEntry, type Selector } from './kustomization';
import { matchesLabelSelector, parseLabelSelector } from './labelSelector';
import { basenameId, dirnameId, isRemoteReference, isWithinFolder, joinId } from './paths';
import { ParseCache, type ResourceRoots } from './parseCache';
import { readAsKyaml, retypePlainScalars } from './kyamlScalars';
import { mergeNode } from './strategicMerge';
import { weighUnapplied } from './unapplied';
import { LIST_KIND, resourceIdOf, splitApiVersion, type ResourceDocument, type ResourceId } from './resourceDocuments';
import { cloneNode, fromYaml, getAt, getChild, getEntry, scalarText, setEntry, type MEntry, type MMap, type MNode, type MScalar, type OffsetMap } from './tree';

/** Read access to workspace files by id ('/'-separated absolute paths or file:// URIs). Undefined: no such file (or a folder). */
export interface KustomizeInputs {
  text(fileId: string): string | undefined;
  /**
   * Whether a file exists although `text` gives nothing for it (its text is being asked for, and
   * the build is run again when it comes): the build leaves it out without calling it missing.
   * Undefined when it cannot be known: the file (or folder) lies outside the folders whose files
   * are all read (a base above the folder being checked); the build then leaves it out as not read.
   */
  exists?(fileId: string): boolean | undefined;
  /**
   * The documents of a resource file as its host read them from exactly `text`
   * (`resourceDocumentsOf`), when it has them: a first build (`keepParses` false) takes their ids
   * and reads a document's tree only when a step asks for it. Undefined: the build reads the file.
   */
  documents?(fileId: string, text: string): readonly ResourceDocument[] | undefined;
}

export interface BuiltObject {
  /** The resource file the object's document came from, and the document index in it. */
  readonly fileId: string;
  readonly documentIndex: number;
  /** The built object, pruned like DOCUMENT_SCHEMA; every span names the file its offsets are in. */
  readonly root: PNode;
  /**
   * Whether a transformer or a name reference fix may have changed the object. When false, the
   * object is its document as read from `text`, the text of its file the build read.
   */
  readonly transformed: boolean;
  /**
   * The document as read (`ReadFile`: its spans name no file, they are in `fileId`), when `root`
   * is a whole document and not an item of a `List`. An object no step changed is this document.
   */
  readonly document: PNode | undefined;
  /** The span of `document` (offsets into `text`), known without reading the document's tree. */
  readonly documentSpan: Span | undefined;
  readonly text: string;
}

/**
 * What a build note means for `kubectl kustomize`: it `fails` on this (checked with kubectl v1.34,
 * kustomize v5.7.1: a missing file, an invalid patch, a patch that matches no object…); the build
 * here is `partial` (a remote resource is not fetched, a generator is not run: objects kubectl would
 * build are missing or not changed); or it is `reported` otherwise (a document of a resource file
 * that was skipped, reported on that file; a refused kustomization, reported by its rule).
 */
/**
 * What a build note means for the build: `fails` (kubectl kustomize stops), `partial` (part of
 * kubectl's build is not reproduced here), `reported` (said elsewhere, not a finding of the build),
 * `ignored` (kubectl kustomize builds it but silently applies nothing of the noted part).
 */
export type KustomizeNoteEffect = 'fails' | 'partial' | 'reported' | 'ignored';

export interface KustomizeNote {
  readonly fileId: string;
  readonly span: Span;
  readonly message: string;
  readonly effect: KustomizeNoteEffect;
}

/**
 * A place where a kustomization names an object of its build: the `metadata.name` of a
 * strategic-merge patch without a `target` (kustomize finds the object it patches by kind and name),
 * or the `name` of a patch `target` that selects the object
 * (kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/). Renaming the object
 * without them breaks the build ("no resource matches strategic merge patch") or, for a target,
 * silently leaves its patch unapplied.
 */
export interface NameMention {
  /** The object named: the file and 0-based document it was read from, and its kind. */
  readonly fileId: string;
  readonly documentIndex: number;
  readonly kind: string;
  /** The file the name is written in (a patch file, or the kustomization of an inline patch or a target). */
  readonly at: string;
  /**
   * The name's span in `at`, inside its quotes when it is quoted; undefined when the name is not
   * written there as it reads (an escape, a folded line), so an edit of it cannot be made.
   */
  readonly span: Span | undefined;
  /** Where the mention is, for a message when `span` is undefined: the name node's whole span. */
  readonly nodeSpan: Span;
  /** The name as written (a target's name is a regular expression kustomize anchors). */
  readonly name: string;
  /** The other objects of the build the mention also selects, as `Kind/name` (a target without a kind may select several). */
  readonly others: readonly string[];
}

export interface KustomizeBuild {
  /** The top kustomization file id. */
  readonly kustomization: string;
  readonly objects: readonly BuiltObject[];
  /** Where the kustomizations of the build name its objects (patches and patch targets), in build order. */
  readonly nameMentions: readonly NameMention[];
  /** Every file the build read: kustomizations, resources, patches, components. */
  readonly reached: readonly string[];
  readonly patchFiles: readonly string[];
  readonly notes: readonly KustomizeNote[];
  /**
   * What of kubectl's build this one leaves out, from its first note that is not `fails` (`the
   * remote resource … is not fetched`, `replacements is not built`); undefined when it reproduces
   * every object kubectl builds, for the fields read.
   */
  readonly partial: string | undefined;
  /**
   * What this build does not apply that may change fields the rules read (`replacements set
   * spec.ports.0.targetPort of Service web`, `transformers may change any field`): its objects may
   * differ from kubectl's where findings rest, so they are information. Undefined otherwise.
   */
  readonly uncertain: string | undefined;
}

type Id = ResourceId;

/** A resource's tree and its document as read, read again for a resource taken from its host's summary. */
interface ReadTree {
  readonly root: MMap;
  readonly document: PNode | undefined;
  readonly shared: boolean;
}

/**
 * One object of a build. Its tree is read when a step first asks for it: an object taken from the
 * host's summary of its file (`KustomizeInputs.documents`) has its id and its document's span
 * only, until a transformer reads or changes it (`root`); an object that no step touches is never
 * parsed by the build.
 */
const NO_IDS: readonly Id[] = [];
const NO_AFFIXES: readonly string[] = [];

class Resource {
  /** Set by every step that may change it (see `BuiltObject.transformed`). */
  transformed = false;
  /**
   * Ids the object had before name or namespace changes, oldest first (kustomize's build
   * annotations), and the prefixes and suffixes its name was given. Replaced, never changed in
   * place: most objects keep the shared empty lists.
   */
  previousIds: readonly Id[] = NO_IDS;
  prefixes: readonly string[] = NO_AFFIXES;
  suffixes: readonly string[] = NO_AFFIXES;
  private tree: MMap | undefined;
  private read: PNode | undefined;

  /**
   * @param text the text of its file, as read
   * @param shared `tree` is a kept parse shared with other builds: `Builder.own` copies it before a step changes it
   * @param document the document as read, when `tree` is a whole document (see `BuiltObject.document`)
   * @param summary for an object whose tree is not read yet (`tree` undefined): its document as the
   *   host summed it up, and how to read its tree
   */
  constructor(
    readonly fileId: string,
    readonly documentIndex: number,
    readonly text: string,
    tree: MMap | undefined,
    public shared: boolean,
    document: PNode | undefined,
    private readonly summary?: { readonly document: ResourceDocument; readonly readTree: () => ReadTree },
  ) {
    this.tree = tree;
    this.read = document;
  }

  get root(): MMap {
    if (this.tree === undefined) this.readTree();
    return this.tree!;
  }

  set root(value: MMap) {
    this.tree = value;
  }

  /** The document as read, when the object is a whole document (see `BuiltObject.document`). */
  get document(): PNode | undefined {
    if (this.tree === undefined) this.readTree();
    return this.read;
  }

  /** The span of `document`, without reading the tree of an object taken from a summary. */
  get documentSpan(): Span | undefined {
    return this.tree === undefined ? this.summary!.document.span : this.read?.span;
  }

  /** The object's id as it is now. */
  get id(): Id {
    return this.tree === undefined ? this.summary!.document.id : currentId(this.tree);
  }

  private readTree(): void {
    const read = this.summary!.readTree();
    this.tree = read.root;
    this.read = read.document;
    this.shared = read.shared;
  }
}

/**
 * A resource as the build hands it out: its tree and document are read when first asked for. A
 * class, not an object literal with getters: V8 keeps such a literal in dictionary mode (about 750
 * bytes each, against about 90), and a build hands out one per object it builds.
 */
class BuiltResource implements BuiltObject {
  readonly fileId: string;
  readonly documentIndex: number;
  readonly transformed: boolean;
  readonly text: string;
  readonly documentSpan: Span | undefined;
  readonly #resource: Resource;

  constructor(resource: Resource) {
    this.#resource = resource;
    this.fileId = resource.fileId;
    this.documentIndex = resource.documentIndex;
    this.transformed = resource.transformed;
    this.text = resource.text;
    this.documentSpan = resource.documentSpan;
  }

  get root(): PNode {
    return this.#resource.root;
  }

  get document(): PNode | undefined {
    return this.#resource.document;
  }
}


function gvkOf(root: MNode): Gvk {
  const { group, version } = splitApiVersion(scalarText(getChild(root, 'apiVersion')) ?? '');
  return { group, version, kind: scalarText(getChild(root, 'kind')) ?? '' };
}

function currentId(root: MNode): Id {
  return resourceIdOf(root);
}

/**
 * kustomize loads files (resources, patches) only in or below the folder of the kustomization that
 * names them (its default load restrictor, `LoadRestrictionsRootOnly`); folders with a
 * kustomization of their own may be anywhere.
 */
function outsideRoot(path: string): string {
  return `${path} is not in or below this kustomization's folder: kustomize loads files from there only.`;
}

/** The note on a resource, base, component or patch outside the folders read (`KustomizeInputs.exists`). */
function notRead(path: string, what: string): string {
  return `The ${what} ${path} is outside the folders Service Lens reads (or excluded from them), so it is not built here; open or check a folder that holds it.`;
}

/** An id as one string, for sets (`sameId` holds for equal keys). */
function idKey(id: Id): string {
  return `${id.group}\u0000${id.version}\u0000${id.kind}\u0000${id.namespace}\u0000${id.name}`;
}

function sameId(a: Id, b: Id): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind && a.name === b.name && a.namespace === b.namespace;
}

function originalId(resource: Resource): Id {
  return resource.previousIds[0] ?? currentId(resource.root);
}

function allIds(resource: Resource): Id[] {
  return [...resource.previousIds, currentId(resource.root)];
}

function storePreviousId(resource: Resource): void {
  resource.previousIds = [...resource.previousIds, currentId(resource.root)];
}

/** An anchored regular expression as kustomize compiles selector fields (Go RE2; the common subset behaves the same). */
function anchored(pattern: string | undefined): RegExp | undefined {
  if (!pattern) return undefined;
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return /(?!)/;
  }
}

function sameEndingSubSlice(a: readonly string[], b: readonly string[]): boolean {
  const [shortest, longest] = a.length > b.length ? [b, a] : [a, b];
  const diff = longest.length - shortest.length;
  if (shortest.length === 0) return diff === 0;
  for (let i = shortest.length - 1; i >= 0; i--) if (longest[i + diff] !== shortest[i]) return false;
  return true;
}

function prefixesSuffixesEqual(a: Resource, b: Resource, allowEmpty: boolean): boolean {
  if (allowEmpty) {
    const prefixes = a.prefixes.length === 0 || b.prefixes.length === 0 || sameEndingSubSlice(a.prefixes, b.prefixes);
    const suffixes = a.suffixes.length === 0 || b.suffixes.length === 0 || sameEndingSubSlice(a.suffixes, b.suffixes);
    return prefixes && suffixes;
  }
  return sameEndingSubSlice(a.prefixes, b.prefixes) && sameEndingSubSlice(a.suffixes, b.suffixes);
}

/** The mappings among the items of a `…List` object, which kustomize reads as objects (resources and patches alike); undefined for any other object. */
function listItems(root: MMap): MMap[] | undefined {
  const items = getChild(root, 'items');
  if (!LIST_KIND.test(scalarText(getChild(root, 'kind')) ?? '') || items?.type !== 'seq') return undefined;
  return items.items.filter((item): item is MMap => item?.type === 'map');
}

class Builder {
  readonly reached = new Set<string>();
  readonly patchFiles = new Set<string>();
  readonly notes: KustomizeNote[] = [];
  readonly nameMentions: NameMention[] = [];

  constructor(
    private readonly inputs: KustomizeInputs,
    private readonly cache: ParseCache,
    private readonly keepParses: boolean,
  ) {}

  read(fileId: string): string | undefined {
    let text: string | undefined;
    try {
      text = this.inputs.text(fileId);
    } catch {
      text = undefined;
    }
    if (text !== undefined) this.reached.add(fileId);
    return text;
  }

  /**
   * Whether some objects kubectl builds may be missing from this build (a note that is not `fails`:
   * a remote or unread resource, a generator, a skipped document, a refused base): a patch that
   * matches nothing may then match what is missing.
   */
  private incomplete = false;

  /** What the first note that made the build incomplete says is left out (`KustomizeBuild.partial`). */
  partial: string | undefined;

  /** What the first field not applied that may change fields the rules read changes (`KustomizeBuild.uncertain`). */
  uncertain: string | undefined;

  /**
   * Adds a note. `missing`, for a note that is not `fails`: what of kubectl's build this one does
   * not reproduce, as a phrase (`the remote resource … is not fetched`).
   */
  note(span: Span & { fileId?: string }, fileId: string, message: string, effect: KustomizeNoteEffect, missing?: string): void {
    if (effect === 'partial' || effect === 'reported') {
      this.incomplete = true;
      if (missing !== undefined) this.partial ??= missing;
    }
    this.notes.push({ fileId: span.fileId ?? fileId, span: { start: span.start, end: span.end, fileId: span.fileId ?? fileId }, message, effect });
  }

  /**
   * Notes a file or folder `entry` names (`id`) that has no text: missing (`fails`, with
   * `missing`) when it is known not to exist, not read (`partial`) when it lies outside the folders
   * read, nothing when it exists and its text is still to come (`KustomizeInputs.exists`).
   */
  noteAbsent(id: string, entry: Located, fileId: string, what: string, missing: string): void {
    const exists = this.inputs.exists?.(id);
    if (exists === true) return;
    if (exists === undefined && this.inputs.exists !== undefined) this.note(entry.span, fileId, notRead(entry.value, what), 'partial', `the ${what} ${entry.value} is not read`);
    else this.note(entry.span, fileId, missing, 'fails');
  }

  /** Whether a file has a text, without counting it as read by the build (`reached`). */
  private exists(fileId: string): boolean {
    try {
      return this.inputs.text(fileId) !== undefined;
    } catch {
      return false;
    }
  }

  /** The kustomization file of a folder, if it has one. */
  kustomizationIn(folder: string): string | undefined {
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      const id = joinId(folder, name);
      if (this.read(id) !== undefined) return id;
    }
    return undefined;
  }

  /**
   * Accumulates a kustomization: its resources, its components, then its own transformers.
   * `incoming` is the parent's objects when this is a component, which transforms them too.
   */
  accumulate(fileId: string, stack: readonly string[], incoming: Resource[] | undefined): Resource[] {
    const text = this.read(fileId);
    if (text === undefined) return incoming ?? [];
    const k = this.cache.kustomization(fileId, text);
    if (k.refusal) throw new Refused(fileId, k.refusal.span, `kubectl kustomize refuses this kustomization: ${k.refusal.reason}.`);
    for (const problem of k.problems) this.note(problem.span, fileId, problem.message, 'fails');
    const folder = dirnameId(fileId);
    // kustomize takes a folder with one kustomization file only ("Found multiple kustomization files under: …").
    const folderFiles = KUSTOMIZATION_FILE_NAMES.filter((name) => this.exists(joinId(folder, name)));
    if (folderFiles.length > 1) {
      this.note({ start: 0, end: 0 }, fileId, `kubectl kustomize fails on this folder: it holds ${folderFiles.length} kustomization files (${folderFiles.join(', ')}), where kustomize takes one.`, 'fails');
    }
    for (const field of k.unsupported) {
      const weight = weighUnapplied(field, k.replacements);
      if (weight.effect === 'none') continue;
      if (weight.effect === 'uncertain') {
        this.uncertain ??= weight.changes;
        this.note(field.span, fileId, `Partly understood: ${field.value} is not applied here; ${weight.changes}, so this build's errors and warnings are information.`, 'partial', `${field.value} is not built`);
      } else {
        this.note(field.span, fileId, `Partly understood: ${field.value} is not built; objects it would generate or change are not reproduced.`, 'partial', `${field.value} is not built`);
      }
    }
    let list: Resource[] = incoming ?? [];
    // kustomize adds a kustomization's resources one by one and fails on an id it holds already
    // (api/resmap: "may not add resource with an already registered id").
    // A kustomization entry's own twice-held ids were noted where its build met them.
    const registered = new Set(list.map((resource) => idKey(resource.id)));
    for (const entry of k.resources) {
      const file = !isRemoteReference(entry.value) && this.read(joinId(folder, entry.value)) !== undefined;
      const entryIds = new Set<string>();
      for (const resource of this.resource(folder, entry, fileId, stack)) {
        const id = resource.id;
        const key = idKey(id);
        if (registered.has(key) || (file && entryIds.has(key))) this.note(entry.span, fileId, `${id.kind}/${id.name} is in the build twice (kubectl kustomize may not add a resource with an already registered id).`, 'fails');
        entryIds.add(key);
        list.push(resource);
      }
      for (const key of entryIds) registered.add(key);
    }
    for (const entry of k.components) {
      const component = this.folderKustomization(folder, entry, fileId, stack, 'component');
      if (component) list = this.accumulate(component, [...stack, component], list);
    }
    this.transform(list, k, fileId);
    return list;
  }

  folderKustomization(folder: string, entry: Located, fileId: string, stack: readonly string[], what: string): string | undefined {
    if (isRemoteReference(entry.value)) {
      this.note(entry.span, fileId, `Remote ${what} ${entry.value} is not fetched; its objects are missing from the build.`, 'partial', `the remote ${what} ${entry.value} is not fetched`);
      return undefined;
    }
    const target = joinId(folder, entry.value);
    const kustomization = this.kustomizationIn(target);
    if (!kustomization) {
      this.noteAbsent(target, entry, fileId, what, `Missing ${what}: no file or kustomization at ${entry.value}.`);
      return undefined;
    }
    if (stack.includes(kustomization)) {
      this.note(entry.span, fileId, `Cycle: ${entry.value} includes this kustomization again; not followed.`, 'fails');
      return undefined;
    }
    return kustomization;
  }

  resource(folder: string, entry: Located, fileId: string, stack: readonly string[]): Resource[] {
    if (isRemoteReference(entry.value)) {
      this.note(entry.span, fileId, `Remote resource ${entry.value} is not fetched; its objects are missing from the build.`, 'partial', `the remote resource ${entry.value} is not fetched`);
      return [];
    }
    const target = joinId(folder, entry.value);
    const text = this.read(target);
    if (text !== undefined) {
      if (!isWithinFolder(folder, target)) this.note(entry.span, fileId, outsideRoot(entry.value), 'fails');
      return this.readResources(target, text);
    }
    const kustomization = this.folderKustomization(folder, entry, fileId, stack, 'resource');
    return kustomization ? this.accumulate(kustomization, [...stack, kustomization], undefined) : [];
  }

  readResources(fileId: string, text: string): Resource[] {
    // A first build takes the host's summary of the file, when it has one: objects no step touches are not parsed again.
    const summary = this.keepParses ? undefined : this.inputs.documents?.(fileId, text);
    if (summary !== undefined) {
      return summary.map((document) => new Resource(fileId, document.index, text, undefined, false, undefined, { document, readTree: () => this.readTree(fileId, text, document.index) }));
    }
    const { read, roots, retyped, shared } = this.cache.resourceRoots(fileId, text, this.keepParses);
    for (const skipped of read.skipped) this.note(skipped.span, fileId, skipped.message, 'reported', `a document of ${basenameId(fileId)} is not analysed`);
    const out: Resource[] = [];
    for (const [index, document] of read.documents.entries()) {
      const root = roots[index]!;
      if (root.type !== 'map') continue;
      const items = listItems(root);
      if (items) {
        for (const item of items) if (isReadKind(scalarText(getChild(item, 'kind')) ?? '')) out.push(new Resource(fileId, document.index, text, item, shared, undefined));
        continue;
      }
      // A tree kyaml reads otherwise than the file's read (`ResourceRoots.retyped`) is not the document as read.
      out.push(new Resource(fileId, document.index, text, root, shared, retyped[index] === true ? undefined : document.root));
    }
    return out;
  }

  /** The trees of the files whose objects came from a summary and were then asked for (`readTree`); shared by those objects. */
  private readonly treesRead = new Map<string, ResourceRoots>();

  /**
   * The tree of a document of a file whose objects came from the host's summary: the tree
   * `readResources` would have made of it. The summary stands for a file whose documents kyaml
   * types as read, with no List and no skipped document (resourceDocuments.ts).
   */
  private readTree(fileId: string, text: string, documentIndex: number): ReadTree {
    let read = this.treesRead.get(fileId);
    if (read === undefined) this.treesRead.set(fileId, (read = this.cache.resourceRoots(fileId, text, false)));
    const index = read.read.documents.findIndex((document) => document.index === documentIndex);
    const root = read.roots[index];
    if (root?.type !== 'map') throw new Error(`document ${documentIndex} of ${fileId} is not where its summary puts it`);
    // The file's trees serve every object of the build taken from it: a file a build reaches twice
    // (one base under two others) gives each of its objects the same tree, copied before a change.
    return { root, document: read.retyped[index] === true ? undefined : read.read.documents[index]!.root, shared: true };
  }

  /** Makes a resource's tree its own before a step changes it (see `Resource.shared`). */
  own(resource: Resource): void {
    // Read the tree first: whether it is shared is known once it is read (`Resource.readTree`).
    const root = resource.root;
    if (!resource.shared) return;
    resource.root = cloneNode(root);
    resource.shared = false;
  }

  transform(list: Resource[], k: Kustomization, fileId: string): void {
    for (const entry of k.patchesStrategicMerge) this.patch(list, entry, fileId, 'strategic');
    for (const entry of k.patches) this.patch(list, entry, fileId, 'any');
    if (k.namespace && k.namespace.value !== '') this.setNamespace(list, k.namespace);
    if (k.namePrefix && k.namePrefix.value !== '') this.rename(list, k.namePrefix.value, 'prefix');
    if (k.nameSuffix && k.nameSuffix.value !== '') this.rename(list, k.nameSuffix.value, 'suffix');
    for (const labels of k.labels) {
      const specs = labels.includeSelectors
        ? mergeSpecs(labels.fields, COMMON_LABEL_SPECS)
        : mergeSpecs(labels.fields, labels.includeTemplates ? TEMPLATE_LABEL_SPECS : [], [{ path: 'metadata/labels', create: true }]);
      this.addLabels(list, labels.pairs, specs);
    }
    if (k.commonLabels.length > 0) this.addLabels(list, k.commonLabels, COMMON_LABEL_SPECS);
    for (const entry of k.patchesJson6902) this.patch(list, entry, fileId, 'json');
    for (const replica of k.replicas) {
      if (this.setReplicas(list, replica.name, replica.count, replica.span)) continue;
      // kustomize's replica count transformer fails on an entry no object of its kinds takes
      // (api/internal/builtins/ReplicaCountTransformer.go: "resource with name … does not match a
      // config with the following GVK"), whatever kind the object of that name is.
      if (this.incomplete) {
        this.note(replica.nameSpan, fileId, `No Deployment, ReplicaSet, ReplicationController or StatefulSet of the build as read is named ${replica.name}; it may be one of the part not read.`, 'partial');
      } else {
        this.note(replica.nameSpan, fileId, `No Deployment, ReplicaSet, ReplicationController or StatefulSet is named ${replica.name}, and kustomize sets replicas on those kinds only.`, 'fails');
      }
    }
  }

  /** The text of a patch entry and where its offsets point. */
  patchText(entry: PatchEntry, fileId: string, mode: 'strategic' | 'json' | 'any'): { text: string; fileId: string; map: OffsetMap; span: Span } | undefined {
    if (entry.path) {
      if (isRemoteReference(entry.path.value)) {
        this.note(entry.path.span, fileId, `Remote patch ${entry.path.value} is not fetched.`, 'partial', `the remote patch ${entry.path.value} is not fetched`);
        return undefined;
      }
      const patchId = joinId(dirnameId(fileId), entry.path.value);
      const text = this.read(patchId);
      if (text !== undefined) {
        if (!isWithinFolder(dirnameId(fileId), patchId)) this.note(entry.path.span, fileId, outsideRoot(entry.path.value), 'fails');
        this.patchFiles.add(patchId);
        return { text, fileId: patchId, map: (offset) => offset, span: { start: 0, end: 0, fileId: patchId } };
      }
      // patchesStrategicMerge takes a string that names no file as an inline patch: one of several
      // lines, or one line that reads as objects (see `readsAsObjects`).
      if (mode !== 'strategic' || !entry.inline || !(entry.inline.text.includes('\n') || this.readsAsObjects(entry.inline.text))) {
        this.noteAbsent(patchId, entry.path, fileId, 'patch', `Missing patch file ${entry.path.value}.`);
        return undefined;
      }
    }
    const inline: InlineText | undefined = entry.inline;
    if (!inline) {
      this.note(entry.span, fileId, 'A patch needs `path` or `patch`.', 'fails');
      return undefined;
    }
    return { text: inline.text, fileId, map: inline.map, span: inline.span };
  }

  /**
   * Whether a patchesStrategicMerge string reads as objects: YAML documents that are mappings, each
   * with a `kind` and a `metadata.name` that are not empty. kustomize's PatchStrategicMergeTransformer
   * first reads each string as objects and takes it as a path only when that fails (its `Config`,
   * api/internal/builtins/PatchStrategicMergeTransformer.go), so
   * `- '{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {replicas: 3}}'` is
   * a patch; `'{metadata: {name: web}}'` and `'dep.yaml'` are paths (checked with kubectl).
   */
  readsAsObjects(text: string): boolean {
    const parsed = this.cache.patch(text);
    if ('error' in parsed) return false;
    const documents = parsed.documents.filter((document) => document.contents !== null);
    if (documents.length === 0) return false;
    // kyaml takes a name written as a number as its text; a List stands for its items.
    const isObject = (kind: unknown, name: unknown): boolean => typeof kind === 'string' && kind !== '' && ((typeof name === 'string' && name !== '') || typeof name === 'number');
    return documents.every((document) => {
      if (document.errors.length > 0 || !isMap(document.contents)) return false;
      const kind = document.get('kind');
      const items = document.get('items');
      if (typeof kind === 'string' && LIST_KIND.test(kind) && isSeq(items)) {
        return items.items.every((item) => isMap(item) && isObject(item.get('kind'), item.getIn(['metadata', 'name'])));
      }
      return isObject(kind, document.getIn(['metadata', 'name']));
    });
  }

  patch(list: Resource[], entry: PatchEntry, fileId: string, mode: 'strategic' | 'json' | 'any'): void {
    const source = this.patchText(entry, fileId, mode);
    if (!source) return;
    const json = mode === 'json' || (mode === 'any' && this.cache.isJsonPatch(source.text));
    if (json) {
      if (!entry.target) {
        this.note(entry.span, fileId, 'A JSON patch needs a `target`; not applied.', 'fails');
        return;
      }
      const read = readJsonPatch(source.text, source.fileId, source.map, DOCUMENT_SCHEMA, (text) => this.cache.patch(text));
      if ('error' in read) {
        this.note(source.span, fileId, `Invalid JSON patch: ${read.error}.`, 'fails');
        return;
      }
      // kustomize turns a JSON patch written in YAML into JSON with sigs.k8s.io/yaml: its values are
      // YAML 1.1's (`value: on` is true, `0123` is 83), as in a file kubectl reads.
      for (const operation of read.operations) retypePlainScalars(operation.value, (id) => this.read(id), resolvePlain, true);
      const selected = this.select(list, entry.target, entry.span, fileId);
      this.mentionTarget(entry.target, fileId, selected);
      for (const resource of selected) {
        resource.transformed = true;
        this.own(resource);
        storePreviousId(resource);
        const result = applyJsonPatch(resource.root, read.operations, DOCUMENT_SCHEMA);
        if ('error' in result) this.note(entry.span, fileId, `JSON patch failed on ${currentId(resource.root).kind}/${currentId(resource.root).name}: ${result.error}.`, 'fails');
        else if (result.root.type === 'map') resource.root = result.root;
      }
      return;
    }
    const parsed = this.cache.patch(source.text);
    if ('error' in parsed) {
      this.note(source.span, fileId, 'Invalid patch: not YAML.', 'fails');
      return;
    }
    const documents = parsed.documents;
    const patches: MMap[] = [];
    for (const document of documents) {
      if (document.errors.length > 0) {
        this.note(source.span, fileId, `Invalid patch: ${document.errors[0]!.message.split('\n')[0]}`, 'fails');
        return;
      }
      if (document.contents === null) continue;
      const root = fromYaml(document.contents, DOCUMENT_SCHEMA, { fileId: source.fileId, map: source.map, keepDirectives: true, document });
      // kyaml reads a strategic-merge patch (its `yaml` library parse is YAML 1.2).
      readAsKyaml(root, (id) => this.read(id), true);
      if (root?.type !== 'map') continue;
      // kustomize patches with each item of a List.
      patches.push(...(listItems(root) ?? [root]));
    }
    if (entry.target && patches.length > 1) {
      this.note(entry.span, fileId, 'Several strategic-merge patches in one entry with a `target`; not applied.', 'fails');
      return;
    }
    for (const patch of patches) {
      const kind = scalarText(getChild(patch, 'kind')) ?? '';
      if (entry.target) {
        const selected = this.select(list, entry.target, entry.span, fileId);
        this.mentionTarget(entry.target, fileId, selected);
        for (const resource of selected) this.mergeInto(list, resource, patch);
        continue;
      }
      // A patch of a kind the engine does not read changes nothing it links.
      if (!isReadKind(kind)) continue;
      const id = currentId(patch);
      const matches = list.filter((resource) => allIds(resource).some((candidate) => sameId(candidate, id)));
      if (matches.length !== 1) {
        const at = getChild(getChild(patch, 'metadata'), 'name')?.span ?? patch.span;
        if (matches.length === 0 && this.incomplete) {
          this.note(at, fileId, `No object of the build as read matches the patch of ${id.kind}/${id.name}; it may patch an object of the part not read.`, 'partial');
        } else {
          this.note(at, fileId, `${matches.length === 0 ? 'No' : 'More than one'} object matches the patch of ${id.kind}/${id.name}.`, 'fails');
        }
        continue;
      }
      const nameNode = getChild(getChild(patch, 'metadata'), 'name');
      if (nameNode) this.mention(matches[0]!, nameNode.span.fileId ?? source.fileId, nameNode.span, id.name, []);
      this.mergeInto(list, matches[0]!, patch);
    }
  }

  /**
   * Records that a patch target's `name` selects each of `selected` (see NameMention). A target
   * that names an object and selects nothing is noted: kubectl kustomize applies such a patch to
   * nothing without a word (checked with kubectl kustomize v5.7.1), most often after a rename or
   * with a typo. Only for a target of a kind the engine reads (ConfigMaps and Secrets come from
   * generators this build does not run), and not in a build that may lack objects (the target may
   * select one of those), nor for a target that a note already says is not applied.
   */
  private mentionTarget(target: Selector, fileId: string, selected: readonly Resource[]): void {
    if (target.name === undefined || target.nameSpan === undefined) return;
    const known = target.kind !== undefined && isReadKind(target.kind) && target.annotationSelector === undefined && (target.labelSelector === undefined || parseLabelSelector(target.labelSelector) !== undefined);
    if (selected.length === 0 && known && !this.incomplete) {
      const what = `${target.kind ?? 'object'}${target.namespace === undefined ? '' : ` in namespace ${target.namespace}`} named ${target.name}${target.labelSelector === undefined ? '' : ` with labels ${target.labelSelector}`}`;
      this.note(target.nameSpan, fileId, `This patch's target selects no object of the build (no ${what}): kubectl kustomize applies the patch to nothing, without a word.`, 'ignored');
    }
    for (const resource of selected) {
      const others = selected.filter((other) => other !== resource).map((other) => `${other.id.kind}/${other.id.name}`);
      this.mention(resource, fileId, target.nameSpan, target.name, others);
    }
  }

  private mention(resource: Resource, at: string, nodeSpan: Span, name: string, others: readonly string[]): void {
    const written = this.read(at)?.slice(nodeSpan.start, nodeSpan.end); // read before: it is the patch's or the target's file
    let span: Span | undefined;
    if (written === name) span = { start: nodeSpan.start, end: nodeSpan.end };
    else if (written === `"${name}"` || written === `'${name}'`) span = { start: nodeSpan.start + 1, end: nodeSpan.end - 1 };
    this.nameMentions.push({ fileId: resource.fileId, documentIndex: resource.documentIndex, kind: resource.id.kind, at, span, nodeSpan, name, others });
  }

  /** Strategic merge into one object; its kind, name and namespace stay (kustomize's `Resource.ApplySmPatch`). */
  mergeInto(list: Resource[], resource: Resource, patch: MMap): void {
    // kustomize applies nothing of a patch whose root says `$patch: replace` (checked with kubectl
    // kustomize v5.7.1: the object stays as it was); `$patch: delete` there deletes the object.
    const directive = getChild(patch, '$patch');
    if (scalarText(directive) === 'replace') {
      const name = scalarText(getChild(getChild(patch, 'metadata'), 'name')) ?? '';
      const kind = scalarText(getChild(patch, 'kind')) ?? '';
      const span = directive?.span ?? patch.span;
      this.note(span, span.fileId ?? '', `kubectl kustomize applies nothing of this patch to ${kind}/${name}: a $patch: replace at the top of a patch is not applied, and the object stays as it was. Put $patch: replace in the field to replace (such as spec), or use a JSON patch.`, 'ignored');
      return;
    }
    this.own(resource);
    const metadata = getChild(resource.root, 'metadata');
    // Copies: the merge rewrites entries in place.
    const saved = (entry: MEntry | undefined): MEntry | undefined => (entry ? { ...entry } : undefined);
    const keep = {
      apiVersion: saved(getEntry(resource.root, 'apiVersion')),
      kind: saved(getEntry(resource.root, 'kind')),
      name: saved(getEntry(metadata, 'name')),
      namespace: saved(getEntry(metadata, 'namespace')),
    };
    const kind = scalarText(keep.kind?.value) ?? '';
    resource.transformed = true;
    const target = `${kind}/${scalarText(keep.name?.value) ?? ''}`;
    const ignored = (element: MMap, met: MMap | undefined, keys: readonly string[], deletes: boolean): void =>
      this.note(element.span, element.span.fileId ?? '', ignoredElementMessage(element, met, keys, deletes, target), 'ignored');
    const merged = mergeNode(resource.root, patch, [], { apiVersion: scalarText(keep.apiVersion?.value) ?? '', kind, ignored });
    if (merged?.type !== 'map') {
      list.splice(list.indexOf(resource), 1);
      return;
    }
    resource.root = merged;
    const restore = (map: MMap, key: string, saved: typeof keep.kind): void => {
      const index = map.entries.findIndex((e) => e.key === key);
      if (saved) {
        if (index >= 0) map.entries[index] = saved;
        else map.entries.push(saved);
      } else if (index >= 0) {
        map.entries.splice(index, 1);
      }
    };
    restore(merged, 'apiVersion', keep.apiVersion);
    restore(merged, 'kind', keep.kind);
    const newMetadata = getChild(merged, 'metadata');
    if (newMetadata?.type === 'map') {
      restore(newMetadata, 'name', keep.name);
      restore(newMetadata, 'namespace', keep.namespace);
    }
  }

  /** kustomize's `ResMap.Select`: regular expressions on kind, group, version (current), name and namespace (original or current), and a label selector. */
  select(list: Resource[], selector: Selector, span: Span, fileId: string): Resource[] {
    if (selector.annotationSelector) {
      this.note(span, fileId, 'Partly understood: a target with annotationSelector is not applied (annotations are not read).', 'partial', 'a patch target with annotationSelector is not applied');
      return [];
    }
    const requirements = selector.labelSelector ? parseLabelSelector(selector.labelSelector) : [];
    if (requirements === undefined) {
      this.note(span, fileId, `Invalid labelSelector ${selector.labelSelector}; not applied.`, 'partial', `a patch target with an invalid labelSelector is not applied`);
      return [];
    }
    const [group, version, kind, name, namespace] = [selector.group, selector.version, selector.kind, selector.name, selector.namespace].map(anchored);
    return list.filter((resource) => {
      const current = currentId(resource.root);
      const original = originalId(resource);
      if (namespace && !namespace.test(original.namespace) && !namespace.test(current.namespace)) return false;
      if (name && !name.test(original.name) && !name.test(current.name)) return false;
      if (group && !group.test(current.group)) return false;
      if (version && !version.test(current.version)) return false;
      if (kind && !kind.test(current.kind)) return false;
      return matchesLabelSelector(requirements, labelsOf(resource.root));
    });
  }

  setNamespace(list: Resource[], namespace: Located): void {
    for (const resource of list) {
      resource.transformed = true;
      this.own(resource);
      storePreviousId(resource);
      const metadata = ensureMap(resource.root, 'metadata', namespace.span);
      setEntry(metadata, 'namespace', { type: 'scalar', value: namespace.value, span: namespace.span }, namespace.span);
    }
  }

  rename(list: Resource[], affix: string, where: 'prefix' | 'suffix'): void {
    for (const resource of list) {
      resource.transformed = true;
      this.own(resource);
      if (where === 'prefix') resource.prefixes = [...resource.prefixes, affix];
      else resource.suffixes = [...resource.suffixes, affix];
      storePreviousId(resource);
      const name = getAt(resource.root, 'metadata', 'name');
      if (name?.type !== 'scalar' || name.value === null) continue;
      name.value = where === 'prefix' ? affix + String(name.value) : String(name.value) + affix;
    }
  }

  addLabels(list: Resource[], pairs: readonly LabelPair[], specs: readonly FieldSpec[]): void {
    if (pairs.length === 0) return;
    for (const resource of list) {
      const gvk = gvkOf(resource.root);
      for (const spec of specs) {
        if (!specSelects(spec, gvk)) continue;
        const tokens = spec.path.split('/');
        if (!schemaAtPointer(DOCUMENT_SCHEMA, tokens)) continue;
        // `mapsAt` may create the maps on the way: the tree must be the resource's own first.
        this.own(resource);
        for (const map of mapsAt(resource.root, tokens, spec.create === true, pairs[0]!.span)) {
          resource.transformed = true;
          for (const pair of pairs) setEntry(map, pair.key, { type: 'scalar', value: pair.value, span: pair.span }, pair.keySpan);
          for (const pair of pairs) {
            const entry = map.entries.find((e) => e.key === pair.key)!;
            entry.keySpan = pair.keySpan;
          }
        }
      }
    }
  }

  /** Sets `spec.replicas` of the objects of the replica kinds named `name`; whether there was one. */
  setReplicas(list: Resource[], name: string, count: number, span: Span): boolean {
    let found = false;
    for (const resource of list) {
      const gvk = gvkOf(resource.root);
      if (!REPLICA_SPECS.some((spec) => specSelects(spec, gvk))) continue;
      if (!allIds(resource).some((id) => id.name === name)) continue;
      found = true;
      resource.transformed = true;
      this.own(resource);
      const spec = ensureMap(resource.root, 'spec', span);
      setEntry(spec, 'replicas', { type: 'scalar', value: count, span }, span);
    }
    return found;
  }

  /** kustomize's name reference fix (api/filters/nameref): a reference to a Service's earlier name becomes its current name. */
  fixServiceReferences(list: Resource[]): void {
    const services = list.filter((r) => r.previousIds.some((id) => id.kind === 'Service' && id.version === 'v1'));
    if (services.length === 0) return;
    for (const referrer of list) {
      const namespace = currentId(referrer.root).namespace;
      const candidates = services.filter((s) => currentId(s.root).namespace === namespace);
      for (const spec of SERVICE_NAME_REFERENCES) {
        if (!specSelects(spec, originalId(referrer))) continue;
        this.own(referrer);
        for (const node of scalarsAt(referrer.root, spec.path.split('/'))) {
          const old = scalarText(node);
          if (old === undefined) continue;
          let matches = candidates.filter((s) => s.previousIds.some((id) => id.name === old));
          if (matches.length > 1) {
            matches = matches.filter((s) => prefixesSuffixesEqual(s, referrer, true));
            if (matches.length > 1) matches = matches.filter((s) => prefixesSuffixesEqual(s, referrer, false));
          }
          const names = new Set(matches.map((s) => currentId(s.root).name));
          if (names.size !== 1) continue;
          const [name] = names;
          if (name === old) continue;
          node.value = name!;
          referrer.transformed = true;
        }
      }
    }
  }
}

function labelsOf(root: MNode): Map<string, string> {
  const labels = new Map<string, string>();
  const map = getAt(root, 'metadata', 'labels');
  if (map?.type === 'map') for (const entry of map.entries) labels.set(entry.key, scalarText(entry.value) ?? '');
  return labels;
}

function ensureMap(map: MMap, key: string, span: Span): MMap {
  const existing = getEntry(map, key);
  if (existing?.value?.type === 'map') return existing.value;
  const created: MMap = { type: 'map', entries: [], span };
  if (existing) existing.value = created;
  else map.entries.push({ key, keySpan: span, value: created });
  return created;
}

/** The maps at a field-spec path (sequences on the way are walked item by item), created when `create` is set. */
function mapsAt(node: MNode | undefined, tokens: readonly string[], create: boolean, span: Span): MMap[] {
  if (node?.type === 'seq') return node.items.flatMap((item) => mapsAt(item, tokens, create, span));
  if (node?.type !== 'map') return [];
  if (tokens.length === 0) return [node];
  const [head, ...rest] = tokens as [string, ...string[]];
  const entry = getEntry(node, head);
  if (entry?.value === undefined || (entry.value.type === 'scalar' && entry.value.value === null)) {
    if (!create) return [];
    return mapsAt(ensureMap(node, head, span), rest, create, span);
  }
  return mapsAt(entry.value, rest, create, span);
}

/** The scalars at a field-spec path (sequences on the way are walked item by item). */
function scalarsAt(node: MNode | undefined, tokens: readonly string[]): MScalar[] {
  if (node?.type === 'seq') return node.items.flatMap((item) => scalarsAt(item, tokens));
  if (tokens.length === 0) return node?.type === 'scalar' ? [node] : [];
  if (node?.type !== 'map') return [];
  const [head, ...rest] = tokens as [string, ...string[]];
  return scalarsAt(getChild(node, head), rest);
}

/** A kustomization kustomize refuses to read (`Kustomization.refusal`): the whole build fails. */
class Refused extends Error {
  constructor(
    readonly fileId: string,
    readonly span: Span,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Builds a kustomization file and every file it reaches. Never throws: problems become notes.
 * `cache` keeps parses between builds (one per host); without it, every file is parsed again.
 * `keepParses` false: the parses of resource files this build makes are not kept (a first build).
 */
export function buildKustomization(kustomizationFileId: string, inputs: KustomizeInputs, cache = new ParseCache(0), keepParses = true): KustomizeBuild {
  const builder = new Builder(inputs, cache, keepParses);
  let list: Resource[] = [];
  try {
    list = builder.accumulate(kustomizationFileId, [kustomizationFileId], undefined);
    builder.fixServiceReferences(list);
  } catch (error) {
    if (error instanceof Refused) {
      // kustomize builds nothing: the files read so far go back to being read as written, and the
      // kustomizations stay reached (their notes are this build's).
      builder.note(error.span, error.fileId, error.message, 'reported');
      for (const fileId of [...builder.reached]) if (!isKustomizationFile(fileId)) builder.reached.delete(fileId);
    } else {
      builder.note({ start: 0, end: 0 }, kustomizationFileId, `The build stopped: ${error instanceof Error ? error.message : String(error)}`, 'partial', 'the build stopped');
    }
  }
  if (!builder.reached.has(kustomizationFileId)) builder.note({ start: 0, end: 0 }, kustomizationFileId, 'Missing kustomization file.', 'fails');
  return {
    kustomization: kustomizationFileId,
    objects: list.map((resource) => new BuiltResource(resource)),
    nameMentions: builder.nameMentions,
    reached: [...builder.reached],
    patchFiles: [...builder.patchFiles],
    notes: builder.notes,
    partial: builder.partial,
    uncertain: builder.uncertain,
  };
}

/** Ids of the kustomization files a kustomization includes directly (resources and components that are folders). */
function includedKustomizations(fileId: string, inputs: KustomizeInputs, cache: ParseCache): string[] {
  const text = inputs.text(fileId);
  if (text === undefined) return [];
  const k = cache.kustomization(fileId, text);
  // A kustomization kustomize refuses builds nothing, so it applies no base: each of them is
  // applied on its own, if at all.
  if (k.refusal) return [];
  const folder = dirnameId(fileId);
  const out: string[] = [];
  for (const entry of [...k.resources, ...k.components]) {
    if (isRemoteReference(entry.value)) continue;
    const target = joinId(folder, entry.value);
    if (inputs.text(target) !== undefined) continue;
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      const id = joinId(target, name);
      if (inputs.text(id) !== undefined) {
        out.push(id);
        break;
      }
    }
  }
  return out;
}

/**
 * The kustomizations of the list that are built as roots: those that no other kustomization of the
 * list includes (through resources or components, transitively), and, of kustomizations that
 * include each other in a cycle that no root reaches, the first in the list's order: `kubectl
 * kustomize` fails on every one of them ("cycle detected"), and building one reports the cycle
 * where it closes.
 */
export function findTops(kustomizationFileIds: readonly string[], inputs: KustomizeInputs, cache = new ParseCache(0)): string[] {
  // Each kustomization's includes are read once, however many others reach it.
  const includes = new Map<string, string[]>();
  const includedBy = (id: string): string[] => {
    let list = includes.get(id);
    if (list === undefined) includes.set(id, (list = includedKustomizations(id, inputs, cache)));
    return list;
  };
  /** A kustomization and every kustomization it includes, transitively. */
  const reachOf = (root: string): Set<string> => {
    const seen = new Set<string>([root]);
    const queue = [...includedBy(root)];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...includedBy(next));
    }
    return seen;
  };
  const reaches = new Map(kustomizationFileIds.map((id) => [id, reachOf(id)] as const));
  const included = new Set<string>();
  for (const [id, reach] of reaches) for (const other of reach) if (other !== id) included.add(other);
  const tops = new Set(kustomizationFileIds.filter((id) => !included.has(id)));
  const reached = new Set<string>();
  for (const top of tops) for (const id of reaches.get(top)!) reached.add(id);
  // What is left is included only by kustomizations that include it back: a cycle with no root.
  for (const id of kustomizationFileIds) {
    if (reached.has(id)) continue;
    tops.add(id);
    for (const other of reaches.get(id)!) reached.add(other);
  }
  return kustomizationFileIds.filter((id) => tops.has(id));
}

/**
 * Why kubectl kustomize applies nothing of a patch's list element merged on several keys (or
 * deletes nothing with it), on `target` (`Service/web`): most often a port whose `protocol` is
 * written on one side only (kubernetes-sigs/kustomize#3620, #4752).
 */
function ignoredElementMessage(element: MMap, met: MMap | undefined, keys: readonly string[], deletes: boolean, target: string): string {
  const [first, second] = [keys[0]!, keys[1] ?? ''];
  const value = scalarText(getChild(element, first)) ?? '';
  const own = scalarText(getChild(element, second));
  const theirs = met === undefined ? undefined : scalarText(getChild(met, second));
  const what = deletes ? `kubectl kustomize deletes nothing of ${target} with this element` : `kubectl kustomize applies nothing of this element to ${target}`;
  const merge = `kustomize merges these lists on ${keys.join(' and ')}`;
  if (met !== undefined && own === undefined && theirs !== undefined) {
    return `${what}: its ${first} ${value} writes ${second}: ${theirs} and this one writes no ${second}, and ${merge}, so that ${first} stays as it was (kubernetes-sigs/kustomize#3620). Write ${second}: ${theirs} here.`;
  }
  if (met !== undefined && own !== undefined && theirs === undefined) {
    return `${what}: its ${first} ${value} writes no ${second} and this one writes ${second}: ${own}, and ${merge}, so that ${first} stays as it was (kubernetes-sigs/kustomize#4752). Write the ${second} on both sides (TCP where it is meant by default).`;
  }
  return `${what}: ${merge}, and no element of the result comes from it.`;
}
