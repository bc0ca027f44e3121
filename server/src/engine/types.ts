import type { RuleId } from './rules/registry';

/**
 * Plain data shared by every layer. Spans are UTF-16 offsets into the exact text the engine was
 * given (JavaScript string indices); only the LSP and CLI layers turn them into line/character.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
  /**
   * The file the offsets are in, when it is not the file of the object that holds the span: a value
   * that a kustomization brought in (a patch, a `commonLabels` entry, a `namespace:` field) or that
   * a chart render traced back to its template. Absent for values read straight from a file.
   */
  readonly fileId?: string;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Stable rule ids, the keys of the rule registry (rules/registry.ts); `RULE_IDS` and `isRuleId` live there. */
export type { RuleId };

/** A Kubernetes object as findings and reports name it. */
export interface ResourceRef {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

/** A place in a file of the universe; `fileId` is whatever the caller used with `Workspace.setFile`. */
export interface FileSpan {
  readonly fileId: string;
  readonly span: Span;
}

export interface RelatedInfo extends FileSpan {
  readonly message: string;
}

/** A replacement of the text of a span (in `fileId`, or the span's own file). */
export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/** A fix of a finding: a title and edits, each located in a file. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly (TextEdit & { readonly fileId: string })[];
}

export interface Finding {
  readonly ruleId: RuleId;
  readonly severity: Severity;
  /** The message, formatted from `messageId` and `data`. */
  readonly message: string;
  /** Which of the rule's messages this is, and the values filled in: stable data for clients. */
  readonly messageId: string;
  readonly data: Readonly<Record<string, string | number>>;
  readonly fileId: string;
  readonly span: Span;
  readonly resource: ResourceRef;
  readonly related: readonly RelatedInfo[];
  readonly fixes: readonly Fix[];
  /** The kustomize overlays (the folders of their top kustomizations) the finding holds in, for a file an overlay builds. */
  readonly scopes?: readonly string[];
}

/** Why a document or file was not analysed. Never a finding; the LSP layer logs these. */
export type SkipReason = 'template' | 'yaml-error' | 'not-text' | 'too-large';

export interface SkipNote {
  readonly fileId: string;
  readonly span: Span;
  readonly reason: SkipReason;
  readonly message: string;
  /**
   * For a document skipped as a template or as not valid YAML: its `kind` when written literally
   * (`Service`), which says what the document can be once rendered or mended; undefined when the
   * kind is templated or not found.
   */
  readonly kind?: string;
}

/** A 0-based line/character position in UTF-16 code units, as LSP and SARIF (with columnKind utf16CodeUnits) use. */
export interface Position {
  readonly line: number;
  readonly character: number;
}
