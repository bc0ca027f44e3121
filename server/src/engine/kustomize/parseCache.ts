/**
 * Parses kept between kustomize builds, per file and text: a kustomization read into its fields,
 * a resource file read into its pruned documents (and those as mutable trees), and a patch text
 * parsed as YAML. A build copies a kept resource tree before a step changes it, copies what it
 * takes from a patch (`fromYaml`), and never changes a kustomization it read, so one parse serves
 * every build that reaches the file until its text changes.
 *
 * Kustomization files are small and few: every one is kept. Resource files are kept up to a budget
 * of text characters (the least recently used go first), and only from rebuilds: enough for the
 * files of the overlays a user is editing, without keeping a parse of the whole workspace.
 */
import { commonPrefix, hasLoneCarriageReturn, readDocuments, readFile, splitDocuments, unchangedHead, type DocumentRange, type ReadFile } from '../syntax/documents';
import { fromPruned, type MNode } from './tree';
import { readAsKyaml } from './kyamlScalars';
import { looksLikeJsonPatch, parsePatch, type PatchParse } from './jsonPatch';
import { readKustomization, type Kustomization } from './kustomization';

/** Resource files whose parse is kept, in characters of their texts. */
const RESOURCE_BUDGET = 2 * 1024 * 1024;
/** Patch texts whose parse is kept; past this many, the kept ones are dropped. */
const PATCH_LIMIT = 4096;

interface Kept<T> {
  readonly text: string;
  readonly value: T;
}

/** A kept resource parse, with its documents as mutable trees once a build asked for them. */
interface KeptResource extends Kept<ReadFile> {
  roots?: Roots;
  /** The document ranges of `text`, when it was split (not for a text with lone carriage returns). */
  readonly ranges?: readonly DocumentRange[];
}

/** The trees of a resource file's documents, and which of them kyaml reads otherwise than YAML 1.1. */
interface Roots {
  readonly roots: readonly MNode[];
  readonly retyped: readonly boolean[];
}

/**
 * The documents of a resource file as trees, as kustomize reads them: with kyaml's scalar types
 * (kyamlScalars.ts), not YAML 1.1's.
 */
function rootsOf(fileId: string, text: string, read: ReadFile): Roots {
  const textOf = (id: string): string | undefined => (id === fileId ? text : undefined);
  const roots = read.documents.map((document) => fromPruned(document.root, fileId));
  return { roots, retyped: roots.map((root) => readAsKyaml(root, textOf)) };
}

/** The documents of a resource file as a build takes them (`ParseCache.resourceRoots`). */
export interface ResourceRoots {
  readonly read: ReadFile;
  /** One tree per document of `read.documents`, spans naming the file, scalars typed as kyaml reads them. */
  readonly roots: readonly MNode[];
  /**
   * Per document, whether some scalar of its tree has another type than in `read` (a plain `on`
   * is a string to kyaml, a boolean to YAML 1.1): that tree does not stand for its document as read.
   */
  readonly retyped: readonly boolean[];
  /** The trees are kept for later builds: a build copies one before it changes it. */
  readonly shared: boolean;
}

/**
 * A resource file's documents, read again after an edit: the documents that end before the first
 * changed character and keep their ranges are taken from the previous read, trees and all (their
 * offsets did not move); the others are read. A keystroke in a long file of many documents reads
 * the documents from the edit on.
 */
function readResource(fileId: string, text: string, previous: KeptResource | undefined): KeptResource {
  if (hasLoneCarriageReturn(text)) return { text, value: readFile(text) };
  const ranges = splitDocuments(text);
  const before = previous?.ranges;
  const same = previous !== undefined && before !== undefined ? unchangedHead(before, ranges, commonPrefix(previous.text, text)) : 0;
  if (previous === undefined || same === 0) return { text, value: readDocuments(text, ranges, 0), ranges };
  const rest = readDocuments(text, ranges.slice(same), same);
  const firstRead = ranges[same]?.start ?? text.length;
  const keptDocuments = previous.value.documents.filter((document) => document.index < same);
  const value: ReadFile = {
    documents: [...keptDocuments, ...rest.documents],
    skipped: [...previous.value.skipped.filter((note) => note.span.start < firstRead), ...rest.skipped],
  };
  const restRoots = previous.roots && rootsOf(fileId, text, rest);
  const roots = previous.roots &&
    restRoots && {
      roots: [...previous.roots.roots.slice(0, keptDocuments.length), ...restRoots.roots],
      retyped: [...previous.roots.retyped.slice(0, keptDocuments.length), ...restRoots.retyped],
    };
  return roots ? { text, value, ranges, roots } : { text, value, ranges };
}

export class ParseCache {
  private readonly kustomizations = new Map<string, Kept<Kustomization>>();
  /** In least-recently-used order (a hit moves the entry to the end). */
  private readonly resources = new Map<string, KeptResource>();
  private resourceCharacters = 0;
  /** Patch texts (inline or from files), with their parse and whether they are JSON patches. */
  private readonly patches = new Map<string, { parse?: PatchParse; json?: boolean }>();

  constructor(private readonly resourceBudget = RESOURCE_BUDGET) {}

  /** The fields of a kustomization file with this text (`readKustomization`). */
  kustomization(fileId: string, text: string): Kustomization {
    const kept = this.kustomizations.get(fileId);
    if (kept !== undefined && kept.text === text) return kept.value;
    const value = readKustomization(fileId, text);
    this.kustomizations.set(fileId, { text, value });
    return value;
  }

  /**
   * The documents of a resource file with this text (`readFile`) and as mutable trees
   * (`fromPruned`); the caller must not change `read`. `keep` false: a parse not kept already is
   * not kept (a first build of every overlay would fill the budget with files no later build may
   * read). A kept parse keeps its trees too, shared by every build that reads the file: the caller
   * copies a tree before it changes it (`shared`). Otherwise the trees are the caller's own.
   */
  resourceRoots(fileId: string, text: string, keep = true): ResourceRoots {
    const entry = this.resourceEntry(fileId, text, keep);
    if (this.resources.get(fileId) !== entry) return { read: entry.value, ...rootsOf(fileId, text, entry.value), shared: false };
    entry.roots ??= rootsOf(fileId, text, entry.value);
    return { read: entry.value, ...entry.roots, shared: true };
  }

  private resourceEntry(fileId: string, text: string, keep: boolean): KeptResource {
    const kept = this.resources.get(fileId);
    if (kept !== undefined) {
      this.resources.delete(fileId);
      if (kept.text === text) {
        this.resources.set(fileId, kept);
        return kept;
      }
      this.resourceCharacters -= kept.text.length;
    }
    const entry = readResource(fileId, text, kept);
    if (keep && text.length <= this.resourceBudget) {
      this.resources.set(fileId, entry);
      this.resourceCharacters += text.length;
      for (const [oldest, old] of this.resources) {
        if (this.resourceCharacters <= this.resourceBudget) break;
        this.resources.delete(oldest);
        this.resourceCharacters -= old.text.length;
      }
    }
    return entry;
  }

  /** A patch text parsed (`parsePatch`); the caller must not change the documents. */
  patch(text: string): PatchParse {
    const kept = this.patchEntry(text);
    return (kept.parse ??= parsePatch(text));
  }

  /** Whether a patch text is a JSON patch (`looksLikeJsonPatch`). */
  isJsonPatch(text: string): boolean {
    const kept = this.patchEntry(text);
    return (kept.json ??= looksLikeJsonPatch(text));
  }

  private patchEntry(text: string): { parse?: PatchParse; json?: boolean } {
    let kept = this.patches.get(text);
    if (kept === undefined) {
      if (this.patches.size >= PATCH_LIMIT) this.patches.clear();
      this.patches.set(text, (kept = {}));
    }
    return kept;
  }

  /** Drops what is kept of files `keep` says no to (files that left the host), and every patch parse. */
  retain(keep: (fileId: string) => boolean): void {
    this.patches.clear();
    for (const fileId of [...this.kustomizations.keys()]) if (!keep(fileId)) this.kustomizations.delete(fileId);
    for (const [fileId, entry] of [...this.resources]) {
      if (keep(fileId)) continue;
      this.resources.delete(fileId);
      this.resourceCharacters -= entry.text.length;
    }
  }
}
