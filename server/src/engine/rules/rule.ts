/**
 * What a rule is: an id, a default severity, messages as templates, and a check over one linked
 * Service or one Pod template. Rules report spans and message data; the engine turns reports into
 * findings (severity from config, suppression, resource).
 */
import { sourceOf, type ElsewhereAnswer, type ElsewhereQuery } from '../analysis/elsewhere';
import type { ServiceLink } from '../analysis/link';
import type { LinkIndex } from '../index/linkIndex';
import type { KubeObject, PodTemplate, ServiceObject } from '../model/objects';
import type { Finding, RuleId, Severity, Span, TextEdit } from '../types';

export interface RelatedReport {
  readonly fileId: string;
  readonly span: Span;
  readonly message: string;
}

export interface RuleReport<MessageId extends string = string> {
  readonly span: Span;
  readonly messageId: MessageId;
  readonly data: Readonly<Record<string, string | number>>;
  /** A report may soften the rule's severity (e.g. information instead of warning). */
  readonly severity?: Severity;
  readonly related?: readonly RelatedReport[];
  /** Edits that resolve the finding, best first (a quick fix offers each). */
  readonly fixes?: readonly RuleFix[];
}

/** A fix a rule knows: a title and the edits (spans name their file when it is not the object's). */
export interface RuleFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

/**
 * Where text sits in the files, for fixes that insert a line: they indent it like its neighbours.
 * Offsets are into `fileId`'s text; an unknown file answers 0.
 */
export interface Layout {
  /** 0-based column (UTF-16) of `offset`. */
  column(fileId: string, offset: number): number;
  /** Number of spaces that open the line of `offset`. */
  indentation(fileId: string, offset: number): number;
  /** 0-based line of `offset`. */
  line(fileId: string, offset: number): number;
  /** Offset of the line break that ends the line of `offset` (its `\n`), or the text's length on the last line. */
  lineEnd(fileId: string, offset: number): number;
}

/** What every rule may ask besides its object. */
export interface RuleContext {
  readonly layout: Layout;
}

export interface ServiceRuleContext extends RuleContext {
  /** Other Services of the scope that use this node port. */
  servicesWithNodePort(nodePort: number): readonly ServiceObject[];
  /**
   * When templated documents that were not rendered could hold `what` for an object of this file
   * (the Pods of a Service, a Service a reference names), in a Helm chart holding the file (which
   * may render anything) or in the file's folder (a document there counts when its literal `kind`
   * can be `what`, `templateMayHold`): names them (`chart shop`, `folder deploy`).
   */
  templatedNear(fileId: string, what: 'pods' | 'services'): string | undefined;
  /**
   * When a document skipped as not valid YAML, in the file's folder (the file itself first), could
   * hold `what` (its literal `kind` can be `what`, or no kind was found): names its file
   * (`deployment.yaml`).
   */
  invalidNear(fileId: string, what: 'pods' | 'services'): string | undefined;
  /**
   * A chart that was not rendered beside the file (in its folder, or below the folder above it):
   * names it (`chart web`). Weaker than `templatedNear`: taken only when nothing written comes
   * close to what a rule misses (no nearest miss, no close name).
   */
  chartBeside(fileId: string): string | undefined;
  /** When the scope is a kustomize build that leaves out part of what kubectl builds: says so (`PartialBuild`). */
  readonly partialBuild: string | undefined;
}

interface RuleBase<MessageId extends string> {
  readonly id: RuleId;
  readonly defaultSeverity: Severity;
  /** One sentence: what the rule reports (plain text, as SARIF's `shortDescription`). */
  readonly description: string;
  /** Markdown for the README rule table and the settings schema: what is reported, with examples. */
  readonly summary: string;
  /** When some reports soften the default severity: that severity and when, e.g. `information when …`. */
  readonly otherSeverity?: string;
  readonly messages: Readonly<Record<MessageId, string>>;
}

export interface ServiceRule<MessageId extends string = string> extends RuleBase<MessageId> {
  readonly target: 'service';
  check(link: ServiceLink, context: ServiceRuleContext): RuleReport<MessageId>[];
}

export interface TemplateRule<MessageId extends string = string> extends RuleBase<MessageId> {
  readonly target: 'template';
  check(template: PodTemplate, context: RuleContext): RuleReport<MessageId>[];
}

/** A rule over every Service and Pod template on its own (no links needed). */
export interface ObjectRule<MessageId extends string = string> extends RuleBase<MessageId> {
  readonly target: 'object';
  check(object: KubeObject, context: RuleContext): RuleReport<MessageId>[];
}

/** What a reference rule may ask of its scope. */
export interface ReferenceRuleContext {
  /** The scope's indexes (Services by name and namespace, ReferenceGrants, Pod templates, monitors). */
  readonly index: LinkIndex;
  /** The link of a Service of the scope (its matched Pod templates and resolved ports). */
  link(service: ServiceObject): ServiceLink;
  /** When the scope is a kustomize build that leaves out part of what kubectl builds: says so (`PartialBuild`). */
  readonly partialBuild: string | undefined;
  /** See `ServiceRuleContext.templatedNear`: templated documents not rendered near a file (`chart shop`). */
  templatedNear(fileId: string, what: 'pods' | 'services'): string | undefined;
  /** See `ServiceRuleContext.invalidNear`: a document skipped as not valid YAML near a file (`deployment.yaml`). */
  invalidNear(fileId: string, what: 'pods' | 'services'): string | undefined;
  /** See `ServiceRuleContext.chartBeside`. */
  chartBeside(fileId: string): string | undefined;
  /** The other scopes of the workspace that hold what this one lacks (analysis/elsewhere.ts). */
  elsewhere(query: ElsewhereQuery): readonly ElsewhereAnswer[];
}

/**
 * The scopes that hold the Service `name` of `namespace` that a reference names, when the
 * reference's own scope lacks it: a plain Ingress routing to a Service that a kustomize overlay
 * builds, or the reverse (analysis/elsewhere.ts). Kubernetes resolves the name among everything
 * applied to the namespace, so the reference is checked against each (its port, its
 * ReferenceGrant) as against its own, and is right when it is right against one of them.
 */
export function serviceElsewhere(context: ReferenceRuleContext, namespace: string, name: string): readonly ElsewhereAnswer[] {
  return context.elsewhere({ kind: 'service', namespace, name });
}

/**
 * A report that a Service does not exist, its `hint` completed from the other scopes of the
 * workspace when its own scope gave none: a Service of that name in another namespace of a build
 * applied apart (` (a Service shop is in namespace default, in chart shop)`), as the scope's own
 * hint names one of its own namespaces. A chart rendered into `default` with an Ingress in `prod`
 * beside it is the common case: its fix is the release's namespace.
 */
export function withNamespaceHintElsewhere<MessageId extends string>(report: RuleReport<MessageId>, context: ReferenceRuleContext, namespace: string, name: string): RuleReport<MessageId> {
  if (String(report.data['hint'] ?? '') !== '') return report;
  const answers = context.elsewhere({ kind: 'selected', find: (index) => [...index.servicesNamedAnywhere(name)].filter((service) => service.namespace !== namespace) });
  const places = [...new Set(answers.flatMap((answer) => answer.services.map((service) => `namespace ${service.namespace}, in ${sourceOf(answer)}`)))].sort();
  if (places.length === 0) return report;
  return { ...report, data: { ...report.data, hint: ` (a Service ${name} is in ${places.slice(0, 3).join('; ')}${places.length > 3 ? '; …' : ''})` } };
}

/**
 * A reference's problem against the scopes that hold its Service (`serviceElsewhere`): none when
 * one of them resolves it, else its problem against the first.
 */
export function problemElsewhere<Problem>(answers: readonly ElsewhereAnswer[], check: (answer: ElsewhereAnswer) => Problem | undefined): Problem | undefined {
  let first: Problem | undefined;
  for (const answer of answers) {
    const problem = check(answer);
    if (problem === undefined) return undefined;
    first ??= problem;
  }
  return first;
}

/**
 * How a rule words a scope that is a kustomize build leaving out part of what kubectl builds (a
 * remote base not fetched, `replacements` not applied): `overlay prod is built only in part (the
 * remote resource … is not fetched)`. An object such a build seems to lack may be in the part left
 * out, so a rule reports a missing object as information then, not as a fault.
 */
export type PartialBuild = string;

/**
 * A report of an object that does not exist (a Service, a Pod template) where the analysis may not
 * see what defines it: information, its `hint` saying what is not seen, when the scope is a
 * kustomize build that leaves out part of kubectl's build (`PartialBuild`), or when templated
 * documents that were not rendered lie near `fileId`, the file of the object that refers to it (a
 * Helm chart, a folder with skipped templates: `templatedNear`), or, when no written object comes
 * close (`closeCandidate` false), a chart that was not rendered beside it (`chartBeside`), or when
 * a document beside it was skipped as not valid YAML (`invalidNear`). The report as it is otherwise.
 */
export function missingMaybeUnseen<MessageId extends string>(report: RuleReport<MessageId>, context: ReferenceRuleContext, fileId: string, closeCandidate: boolean, what: 'pods' | 'services' = 'services'): RuleReport<MessageId> {
  const hint = String(report.data['hint'] ?? '');
  if (context.partialBuild !== undefined) {
    return { ...report, severity: 'information', data: { ...report.data, hint: `${hint}; ${context.partialBuild}, and the part left out may hold it` } };
  }
  const templated = context.templatedNear(fileId, what) ?? (closeCandidate ? undefined : context.chartBeside(fileId));
  if (templated !== undefined) {
    return { ...report, severity: 'information', data: { ...report.data, hint: `${hint}; it may be defined by a templated document of ${templated} that was not rendered` } };
  }
  const invalid = context.invalidNear(fileId, what);
  if (invalid !== undefined) {
    return { ...report, severity: 'information', data: { ...report.data, hint: `${hint}; it may be defined by a document of ${invalid} that was skipped as not valid YAML` } };
  }
  return report;
}

/**
 * A rule over an object that refers to others by name or selector (an Ingress, a route, a monitor,
 * a StatefulSet's `serviceName`): evaluated after the Services are linked, and again whenever what
 * it refers to may have changed (anything in the namespaces `referredNamespaces` names).
 */
export interface ReferenceRule<MessageId extends string = string> extends RuleBase<MessageId> {
  readonly target: 'reference';
  check(object: KubeObject, context: ReferenceRuleContext): RuleReport<MessageId>[];
}

/** A chart that `helm template` could not render, as the language server or the CLI reported it. */
export interface ChartRenderFailure {
  /** The chart folder's id. */
  readonly chart: string;
  /** The chart's `Chart.yaml` and where to report on it (its `name` value, else its first line). */
  readonly fileId: string;
  readonly span: Span;
  /** Helm's error message, as helm wrote it. */
  readonly message: string;
}

/** A rule over a chart whose render failed: nothing else of the chart is analysed. */
export interface ChartRule<MessageId extends string = string> extends RuleBase<MessageId> {
  readonly target: 'chart';
  check(failure: ChartRenderFailure): RuleReport<MessageId>[];
}

/**
 * What kustomize makes of one file of the host: its refusal, for a kustomization kustomize refuses
 * to read (kustomize/kustomization.ts `Kustomization.refusal`), and the notes of the overlay builds
 * that read it (kustomize/build.ts `KustomizeNote`; each note once, however many builds made it).
 */
export interface KustomizeFile {
  readonly fileId: string;
  /** The value kustomize stops at, and why ("namespace is a number where kustomize takes a string"). */
  readonly refusal: { readonly span: Span; readonly reason: string } | undefined;
  /**
   * Build notes located in this file, in file order: what `kubectl kustomize` fails on, what is
   * built here only in part, and what kubectl kustomize silently applies nothing of.
   */
  readonly notes: readonly { readonly span: Span; readonly message: string; readonly effect: 'fails' | 'partial' | 'ignored' }[];
}

/** A rule over a file as kustomize reads it: a kustomization it refuses, a patch or resource a build stops at. */
export interface KustomizationRule<MessageId extends string = string> extends RuleBase<MessageId> {
  readonly target: 'kustomization';
  check(file: KustomizeFile): RuleReport<MessageId>[];
}

export type Rule = ServiceRule | TemplateRule | ObjectRule | ReferenceRule | ChartRule | KustomizationRule;

/**
 * The parts of a finding a rule's report decides: the rule, the severity (the configured one, else
 * the report's, else the rule's default) and the message formatted from its template and data.
 */
export function reportedFinding(rule: Rule, report: RuleReport, configured: Severity | undefined): Pick<Finding, 'ruleId' | 'severity' | 'message' | 'messageId' | 'data'> {
  const messages = rule.messages as Readonly<Record<string, string>>;
  return {
    ruleId: rule.id,
    severity: configured ?? report.severity ?? rule.defaultSeverity,
    message: formatMessage(messages[report.messageId] ?? report.messageId, report.data),
    messageId: report.messageId,
    data: report.data,
  };
}

/** Fills `{name}` placeholders; unknown placeholders stay visible rather than vanish. */
export function formatMessage(template: string, data: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = data[key];
    return value === undefined ? whole : String(value);
  });
}

/** `app=web, tier=front` */
export function formatSelector(pairs: readonly { readonly key: string; readonly value: string }[]): string {
  return pairs.map((pair) => `${pair.key}=${pair.value}`).join(', ');
}

/** `A, B and 3 more` */
export function formatList(items: readonly string[], limit = 3): string {
  if (items.length <= limit) {
    if (items.length <= 1) return items.join('');
    return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  }
  return `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
}

/**
 * Names of objects for a message, with repeated names collapsed: alternative definitions of one
 * workload in several files read `Deployment/web (3 definitions)`.
 */
export function formatObjects(labels: readonly string[], limit = 3): string {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const items = [...counts].map(([label, count]) => (count > 1 ? `${label} (${count} definitions)` : label));
  return formatList(items, limit);
}
