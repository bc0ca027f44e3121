/**
 * One linking universe, analysed incrementally. The result is a function of (files, config): an
 * update re-reads only the changed file and re-evaluates only the Services it can affect, and a
 * randomized test checks that this equals a from-scratch analysis.
 *
 * What a change to file F can affect:
 * - the Services of F (re-linked);
 * - Services whose last link referenced a template of F (as a match, other-namespace match or
 *   nearest miss): their findings point into F;
 * - for templates of F whose labels are new: Services anywhere whose selector it satisfies (new
 *   matches and other-namespace matches), and Services of the same namespace that match nothing
 *   and use one of its label keys (it may become their nearest miss; a Service that matches has
 *   no nearest miss);
 * - Services sharing a nodePort with a Service of F (before or after the change).
 */
import { resolveConfig, type EngineConfig } from '../config';
import type { KubeObject, PodTemplate, ServiceObject } from '../model/objects';
import { isService, isTemplate } from '../model/objects';
import { narrowDocument } from '../model/narrow';
import type { HoverModel, ServiceReport } from '../reports';
import { ruleDocUrl } from '../rules/docs';
import { SERVICE_RULES, TEMPLATE_RULES } from '../rules/registry';
import { formatMessage, type Rule, type RuleReport, type ServiceRuleContext } from '../rules/rule';
import { readFile } from '../syntax/documents';
import { LineIndex } from '../syntax/lines';
import { readSuppressions, type Suppressions } from '../syntax/suppressions';
import type { FileSpan, Finding, Position, ResourceRef, SkipNote, Span } from '../types';
import type { TrafficPreview } from '../../protocol/traffic';
import { buildTrafficPreview } from '../traffic/preview';
import type { TrafficRequest } from '../traffic/request';
import { linkService, type ServiceLink } from './link';
import { compareObjects } from './order';
import { serviceReport, templateRef } from './report';
import { satisfies, Universe } from './universe';

interface FileState {
  readonly lines: LineIndex;
  readonly objects: readonly KubeObject[];
  readonly skipped: readonly SkipNote[];
  readonly suppressions: Suppressions;
  templateFindings: readonly Finding[];
}

export { ruleDocUrl };

export class Workspace {
  private configuration: EngineConfig;
  private readonly files = new Map<string, FileState>();
  private universe = new Universe();
  private readonly links = new Map<ServiceObject, ServiceLink>();
  private readonly serviceFindings = new Map<ServiceObject, readonly Finding[]>();
  private readonly referencedBy = new Map<PodTemplate, Set<ServiceObject>>();
  /** Selecting Services with no match in their namespace: the only ones with a nearest miss. */
  private readonly unmatched = new Set<ServiceObject>();
  private readonly fileFindings = new Map<string, readonly Finding[]>();
  private readonly ruleFailures: string[] = [];

  constructor(config?: Partial<EngineConfig>) {
    this.configuration = resolveConfig(config);
  }

  get config(): EngineConfig {
    return this.configuration;
  }

  // ---- updates -----------------------------------------------------------------------------

  setFile(fileId: string, text: string): string[] {
    const previous = this.files.get(fileId);
    const next = this.readState(fileId, text);
    return this.replace(fileId, previous, next);
  }

  /**
   * Adds or replaces many files at once (a workspace scan, a CLI run): reads them all, then links
   * every Service once. Returns every file of the universe.
   */
  setFiles(files: Iterable<readonly [fileId: string, text: string]>): string[] {
    for (const [fileId, text] of files) this.files.set(fileId, this.readState(fileId, text));
    this.rebuild();
    return this.fileIds();
  }

  removeFile(fileId: string): string[] {
    const previous = this.files.get(fileId);
    if (!previous) return [];
    return this.replace(fileId, previous, undefined);
  }

  setConfig(config: Partial<EngineConfig>): string[] {
    const previous = this.configuration;
    this.configuration = resolveConfig({ ...previous, ...config });
    if (previous.defaultNamespace !== this.configuration.defaultNamespace) {
      for (const [fileId, state] of this.files) {
        const objects = state.objects.map((object) =>
          object.explicitNamespace ? object : { ...object, namespace: this.configuration.defaultNamespace },
        );
        this.files.set(fileId, { ...state, objects });
      }
    }
    this.rebuild();
    return [...this.files.keys()].sort();
  }

  hasFile(fileId: string): boolean {
    return this.files.has(fileId);
  }

  fileIds(): string[] {
    return [...this.files.keys()].sort();
  }

  // ---- queries -----------------------------------------------------------------------------

  findings(fileId: string): readonly Finding[] {
    const cached = this.fileFindings.get(fileId);
    if (cached) return cached;
    const state = this.files.get(fileId);
    if (!state) return [];
    const out: Finding[] = [...state.templateFindings];
    for (const object of state.objects) {
      if (isService(object)) out.push(...(this.serviceFindings.get(object) ?? []));
    }
    out.sort(compareFindings);
    this.fileFindings.set(fileId, out);
    return out;
  }

  allFindings(): Finding[] {
    return this.fileIds().flatMap((fileId) => this.findings(fileId));
  }

  skipped(fileId: string): readonly SkipNote[] {
    return this.files.get(fileId)?.skipped ?? [];
  }

  /** Rule failures caught since the last call (a failing rule never stops the others). */
  takeRuleFailures(): string[] {
    return this.ruleFailures.splice(0);
  }

  positionAt(fileId: string, offset: number): Position {
    const lines = this.files.get(fileId)?.lines;
    return lines ? lines.positionAt(offset) : { line: 0, character: 0 };
  }

  offsetAt(fileId: string, position: Position): number {
    const lines = this.files.get(fileId)?.lines;
    return lines ? lines.offsetAt(position) : 0;
  }

  serviceReports(): ServiceReport[] {
    const services = [...this.universe.services()].sort(compareObjects);
    return services.map((service) => serviceReport(this.linkOf(service), this.universe, this.configuration.clusterDomain));
  }

  /**
   * The traffic preview for the Service at `offset` (or the nearest one before it in the file),
   * for every Service of that file or namespace, or for the whole universe. Undefined when the
   * request names no Service.
   */
  trafficPreview(request: TrafficRequest): TrafficPreview<FileSpan> | undefined {
    return buildTrafficPreview(request, {
      universe: this.universe,
      config: this.configuration,
      link: (service) => this.linkOf(service),
      objectsOf: (fileId) => this.files.get(fileId)?.objects ?? [],
    });
  }

  hoverAt(fileId: string, offset: number): HoverModel | undefined {
    const state = this.files.get(fileId);
    if (!state) return undefined;
    for (const object of state.objects) {
      if (offset < object.span.start || offset > object.span.end) continue;
      if (isService(object)) {
        const hover = this.serviceHover(object, offset);
        if (hover) return hover;
      } else if (isTemplate(object)) {
        const hover = this.templateHover(object, offset);
        if (hover) return hover;
      }
    }
    return undefined;
  }

  private serviceHover(service: ServiceObject, offset: number): HoverModel | undefined {
    const report = () => serviceReport(this.linkOf(service), this.universe, this.configuration.clusterDomain);
    for (const pair of service.selector ?? []) {
      if (contains(pair.span, offset)) {
        const link = this.linkOf(service);
        const miss = link.nearestMiss;
        return {
          kind: 'selector-pair',
          span: pair.span,
          service: report(),
          key: pair.key,
          value: pair.value,
          nearestMiss: miss
            ? { template: templateRef(miss.template), satisfied: miss.satisfied, key: miss.pair.key, wanted: miss.pair.value, actual: miss.actual }
            : undefined,
        };
      }
    }
    const spans: Span[] = [service.nameSpan];
    if (service.selectorSpan) spans.push(service.selectorSpan);
    if (service.typeSpan) spans.push(service.typeSpan);
    for (const port of service.ports) spans.push(port.span);
    const hit = spans.find((span) => contains(span, offset));
    return hit ? { kind: 'service', span: hit, service: report() } : undefined;
  }

  private templateHover(template: PodTemplate, offset: number): HoverModel | undefined {
    const spans: Span[] = [template.nameSpan];
    if (template.labelsSpan) spans.push(template.labelsSpan);
    for (const pair of template.labels) spans.push(pair.span);
    const hit = spans.find((span) => contains(span, offset));
    if (!hit) return undefined;
    const services = this.universe
      .servicesSelecting(template, true)
      .filter((service) => service.type !== 'ExternalName')
      .map((service) => serviceReport(this.linkOf(service), this.universe, this.configuration.clusterDomain));
    return {
      kind: 'template',
      span: hit,
      template: templateRef(template),
      labels: Object.fromEntries(template.labels.map((pair) => [pair.key, pair.value])),
      services,
    };
  }

  private linkOf(service: ServiceObject): ServiceLink {
    return this.links.get(service) ?? linkService(service, this.universe);
  }

  // ---- internals ---------------------------------------------------------------------------

  private readState(fileId: string, text: string): FileState {
    const lines = LineIndex.of(text);
    const read = readFile(text);
    const context = { fileId, defaultNamespace: this.configuration.defaultNamespace };
    const objects = read.documents.flatMap((document) => narrowDocument(document.root, document.index, context));
    return {
      lines,
      objects,
      skipped: read.skipped.map((note) => ({ ...note, fileId })),
      suppressions: readSuppressions(text, lines),
      templateFindings: [],
    };
  }

  private replace(fileId: string, previous: FileState | undefined, next: FileState | undefined): string[] {
    const dirty = new Set<ServiceObject>();
    const oldTemplates = previous ? previous.objects.filter(isTemplate) : [];
    const newTemplates = next ? next.objects.filter(isTemplate) : [];
    const oldServices = previous ? previous.objects.filter(isService) : [];
    const newServices = next ? next.objects.filter(isService) : [];

    for (const template of oldTemplates) {
      for (const service of this.referencedBy.get(template) ?? []) dirty.add(service);
    }
    const nodePorts = new Set<number>();
    for (const service of [...oldServices, ...newServices]) {
      for (const port of service.ports) if (port.nodePort) nodePorts.add(port.nodePort.value);
    }
    for (const service of oldServices) this.forgetService(service);
    for (const object of previous?.objects ?? []) this.universe.remove(object);
    for (const template of oldTemplates) this.referencedBy.delete(template);

    if (next) {
      this.files.set(fileId, next);
      for (const object of next.objects) this.universe.add(object);
      next.templateFindings = this.templateFindings(newTemplates, next);
    } else {
      this.files.delete(fileId);
    }
    this.fileFindings.delete(fileId);

    const oldSignatures = new Set(oldTemplates.map((template, index) => templateSignature(template, index)));
    for (const [index, template] of newTemplates.entries()) {
      if (oldSignatures.has(templateSignature(template, index))) continue;
      for (const service of this.universe.servicesSharingKeys(template)) if (this.unmatched.has(service)) dirty.add(service);
      for (const service of this.universe.servicesSelecting(template, false)) dirty.add(service);
    }
    for (const nodePort of nodePorts) for (const service of this.universe.servicesWithNodePort(nodePort)) dirty.add(service);
    for (const service of newServices) dirty.add(service);

    const changed = new Set<string>([fileId]);
    for (const service of dirty) {
      if (!this.universe.services().has(service)) continue;
      if (this.evaluate(service)) changed.add(service.fileId);
    }
    for (const changedFile of changed) this.fileFindings.delete(changedFile);
    return [...changed].sort();
  }

  private rebuild(): void {
    this.universe = new Universe();
    this.links.clear();
    this.serviceFindings.clear();
    this.referencedBy.clear();
    this.unmatched.clear();
    this.fileFindings.clear();
    for (const state of this.files.values()) for (const object of state.objects) this.universe.add(object);
    for (const state of this.files.values()) state.templateFindings = this.templateFindings(state.objects.filter(isTemplate), state);
    for (const service of this.universe.services()) this.evaluate(service);
  }

  private forgetService(service: ServiceObject): void {
    const link = this.links.get(service);
    if (link) for (const template of referencedTemplates(link)) this.referencedBy.get(template)?.delete(service);
    this.links.delete(service);
    this.unmatched.delete(service);
    this.serviceFindings.delete(service);
  }

  /** Re-links a Service and recomputes its findings; returns whether they changed. */
  private evaluate(service: ServiceObject): boolean {
    const previousLink = this.links.get(service);
    if (previousLink) for (const template of referencedTemplates(previousLink)) this.referencedBy.get(template)?.delete(service);
    const link = linkService(service, this.universe);
    this.links.set(service, link);
    if (link.selecting && link.matches.length === 0) this.unmatched.add(service);
    else this.unmatched.delete(service);
    for (const template of referencedTemplates(link)) {
      let set = this.referencedBy.get(template);
      if (!set) this.referencedBy.set(template, (set = new Set()));
      set.add(service);
    }
    const state = this.files.get(service.fileId);
    const context: ServiceRuleContext = {
      servicesWithNodePort: (nodePort) => [...this.universe.servicesWithNodePort(nodePort)].filter((other) => other !== service).sort(compareObjects),
    };
    const findings: Finding[] = [];
    const resource: ResourceRef = { kind: 'Service', name: service.name, namespace: service.namespace };
    for (const rule of SERVICE_RULES) {
      const reports = this.runRule(rule, () => rule.check(link, context));
      findings.push(...this.toFindings(rule, reports, service.fileId, resource, service.disabledRules, state?.suppressions));
    }
    const previous = this.serviceFindings.get(service);
    this.serviceFindings.set(service, findings);
    return !previous || !sameFindings(previous, findings);
  }

  private templateFindings(templates: readonly PodTemplate[], state: FileState): Finding[] {
    const findings: Finding[] = [];
    for (const template of templates) {
      const resource: ResourceRef = { kind: template.kind, name: template.name, namespace: template.namespace };
      for (const rule of TEMPLATE_RULES) {
        const reports = this.runRule(rule, () => rule.check(template));
        findings.push(...this.toFindings(rule, reports, template.fileId, resource, template.disabledRules, state.suppressions));
      }
    }
    return findings;
  }

  private runRule(rule: Rule, check: () => RuleReport[]): RuleReport[] {
    try {
      return check();
    } catch (error) {
      this.ruleFailures.push(`Rule ${rule.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return [];
    }
  }

  private toFindings(
    rule: Rule,
    reports: readonly RuleReport[],
    fileId: string,
    resource: ResourceRef,
    disabled: ReadonlySet<string>,
    suppressions: Suppressions | undefined,
  ): Finding[] {
    if (reports.length === 0) return [];
    const setting = this.configuration.rules[rule.id];
    if (setting === 'off' || disabled.has(rule.id)) return [];
    const lines = this.files.get(fileId)?.lines;
    const out: Finding[] = [];
    for (const report of reports) {
      if (suppressions && lines && suppressions.get(lines.lineOf(report.span.start))?.has(rule.id)) continue;
      const messages = rule.messages as Readonly<Record<string, string>>;
      out.push({
        ruleId: rule.id,
        severity: setting ?? report.severity ?? rule.defaultSeverity,
        message: formatMessage(messages[report.messageId] ?? report.messageId, report.data),
        fileId,
        span: report.span,
        resource,
        related: report.related ?? [],
      });
    }
    return out;
  }
}

function referencedTemplates(link: ServiceLink): PodTemplate[] {
  const out = [...link.matches, ...link.otherNamespace];
  if (link.nearestMiss) out.push(link.nearestMiss.template);
  return out;
}

/** What other files' findings can depend on: namespace, labels and position among the file's templates. */
function templateSignature(template: PodTemplate, index: number): string {
  return `${index}\u0000${template.namespace}\u0000${template.labels.map((pair) => `${pair.key}=${pair.value}`).join('\u0001')}`;
}

function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

function compareFindings(left: Finding, right: Finding): number {
  return left.span.start - right.span.start || left.span.end - right.span.end || (left.ruleId < right.ruleId ? -1 : left.ruleId > right.ruleId ? 1 : 0) || (left.message < right.message ? -1 : left.message > right.message ? 1 : 0);
}

function sameFindings(left: readonly Finding[], right: readonly Finding[]): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

export { satisfies };
