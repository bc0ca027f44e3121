/**
 * One scope analysed incrementally: the objects placed in a workspace folder, a kustomize overlay
 * or a chart render, linked among themselves. The result is a function of (objects, config): an
 * update replaces the objects of one unit (a file's objects, or an overlay's built objects from
 * that file) and re-evaluates only the Services it can affect; a randomized test checks that this
 * equals a from-scratch analysis.
 *
 * What a change to a unit U can affect:
 * - the Services of U (re-linked);
 * - Services whose last link referenced a template of U (as a match, farther match,
 *   other-namespace match or nearest miss): their findings point into U;
 * - for templates of U whose Pod labels are new: Services anywhere whose selector they satisfy,
 *   and Services of the same namespace that match nothing and use one of their label keys (it may
 *   become their nearest miss);
 * - Services of the namespace that match nothing, when custom resources of U change (operators);
 * - Services sharing a nodePort with a Service of U (before or after the change);
 * - Rollouts whose `workloadRef` names a workload of U (their template is that workload's);
 * - objects that refer to others (Ingresses, routes, monitors, StatefulSets' `serviceName`) whose
 *   referred namespaces (`referredNamespaces`) include a namespace of an object of U, before or
 *   after the change: their reference rules read the Services, Pod templates, links and
 *   ReferenceGrants of those namespaces; and those that name a Service of U's name in any
 *   namespace (a message names a Service of that name elsewhere). They are evaluated after the
 *   Services are re-linked.
 */
import type { EngineConfig } from '../config';
import type { TextMove } from '../facts/fileFacts';
import { LinkIndex, podKeys, satisfies } from '../index/linkIndex';
import type { KubeObject, PodTemplate, ServiceObject } from '../model/objects';
import { runSteps, StepCounter, type Steps } from './steps';
import { isResource, isService, isTemplate } from '../model/objects';
import { referredNamespaces } from '../model/references';
import { OBJECT_RULES, REFERENCE_RULES, SERVICE_RULES, TEMPLATE_RULES } from '../rules/registry';
import { reportedFinding, type Layout, type PartialBuild, type ReferenceRuleContext, type Rule, type RuleContext, type RuleReport, type ServiceRuleContext } from '../rules/rule';
import { unresolvedWorkloadRef, workloadSelectorMismatch } from '../rules/workload-selector-mismatch';
import type { Finding, ResourceRef, Span } from '../types';
import { editDistance } from './editDistance';
import { sameAnswers, type ElsewhereAnswer, type ElsewhereQuery } from './elsewhere';
import { linkPort, linkService, type ServiceLink } from './link';
import { findNearestMiss } from './nearestMiss';
import { compareObjects } from './order';

/** What a scope needs from its host. */
export interface ScopeEnvironment {
  /** Rule ids disabled by suppression comments on the 0-based line of `offset` in `fileId`. */
  suppressed(fileId: string, offset: number, ruleId: string): boolean;
  /** Where text sits in the files (fixes that insert a line). */
  readonly layout: Layout;
  /** See `ServiceRuleContext.templatedNear`; `what` undefined: templates of any kind. */
  templatedNear(fileId: string, what?: 'pods' | 'services'): string | undefined;
  /** See `ServiceRuleContext.invalidNear`. */
  invalidNear(fileId: string, what: 'pods' | 'services'): string | undefined;
  /** See `ServiceRuleContext.chartBeside`. */
  chartBeside(fileId: string): string | undefined;
  /** The other scopes of the workspace that hold what the scope `scopeId` lacks (analysis/elsewhere.ts). */
  elsewhere(scopeId: string, query: ElsewhereQuery): readonly ElsewhereAnswer[];
  /** What the scope provides to others (its Services' names, its templates' labels) may have changed. */
  provisionChanged(): void;
  /** Whether an answer of `elsewhere` named this object: its removal or replacement calls for the lookups to be made again. */
  namedInAnswer(object: KubeObject): boolean;
}

export interface ScopeOptions {
  readonly id: string;
  /** Shown in messages and hovers: `workspace folder shop`, `overlay prod`, `chart cart`. */
  readonly label: string;
  /** Whether matches are narrowed to the nearest in the directory tree (plain folders only). */
  readonly proximity: boolean;
  /** The folder of the build the scope holds (a kustomization's folder, a chart's folder); none for a workspace folder's plain files. */
  readonly build?: string;
}

/**
 * An edit of the file a unit comes from that kept some of its objects (facts/fileFacts.ts
 * `rereadFileFacts`): the kept objects stay in the scope with their links, and only the others are
 * removed and added.
 */
export interface UnitEdit {
  readonly fileId: string;
  /** Objects of the unit that are gone; every other object it had stays (the same object). */
  readonly removed: readonly KubeObject[];
  /** Objects new in the unit; every other object it now has was there before. */
  readonly added: readonly KubeObject[];
  /** How the text after the edit moved. */
  readonly move: TextMove;
  /** Moves the kept objects to their new offsets, in place; the scope calls it once it has moved its findings. */
  moveObjects(): void;
}

/** Above this many templates with new Pod labels in one update, every Service of the scope is re-linked once. */
const TOUCHED_ONE_BY_ONE = 64;

export class Scope {
  private index = new LinkIndex();
  private readonly units = new Map<string, readonly KubeObject[]>();
  private readonly links = new Map<ServiceObject, ServiceLink>();
  /** Findings of each object that reports (Services, templates), and the files they land in. */
  private readonly objectFindings = new Map<KubeObject, readonly Finding[]>();
  private readonly landings = new Map<string, Set<KubeObject>>();
  /** Objects with a finding that lands elsewhere but relates to or edits this file. */
  private readonly mentions = new Map<string, Set<KubeObject>>();
  private readonly referencedBy = new Map<PodTemplate, Set<ServiceObject>>();
  /** Selecting Services with no match in their namespace: the only ones with a nearest miss or owner. */
  private readonly unmatched = new Set<ServiceObject>();
  /** The same Services by namespace and selector key: those a new template may become the nearest miss of. */
  private readonly unmatchedByKey = new Map<string, Set<ServiceObject>>();
  /** Rollouts whose template is another workload's (`workloadRef`), as read, by unit. */
  private readonly referring = new Map<PodTemplate, string>();
  private readonly fileFindings = new Map<string, readonly Finding[]>();
  /** Objects that refer to others, by the namespaces they read (`all`: every namespace). */
  private readonly referringByNamespace = new Map<string, Set<KubeObject>>();
  private readonly referringEverywhere = new Set<KubeObject>();
  /** Every object that refers to others, as placed in a unit. */
  private readonly registered = new Set<KubeObject>();
  /**
   * Objects that looked in the other scopes for what this one lacks, with what they asked and the
   * answers they were evaluated with: Services that select no template here, objects whose
   * references name no Service here (`refreshElsewhere`).
   */
  private readonly serviceLookers = new Map<ServiceObject, readonly Asked[]>();
  private readonly referenceLookers = new Map<KubeObject, readonly Asked[]>();
  readonly ruleFailures: string[] = [];

  constructor(
    readonly options: ScopeOptions,
    private config: EngineConfig,
    private readonly environment: ScopeEnvironment,
  ) {}

  /**
   * What of kubectl's build this scope leaves out, when it is a kustomize build that does not
   * reproduce all of it (`KustomizeBuild.partial`); set before the scope is linked, and a change
   * of it links the scope again (overlays.ts).
   */
  partialBuild: string | undefined;

  /**
   * What this scope's kustomize build does not apply that may change fields the rules read
   * (`KustomizeBuild.uncertain`): every error and warning of the scope is then information, its
   * message saying why. Set like `partialBuild`, and a change of it links the scope again.
   */
  uncertainBuild: string | undefined;

  /**
   * Files of this scope's objects that are not files of the workspace (the templates of a packaged
   * subchart, `charts/db-1.0.0.tgz`), by id: their findings are reported at `fileId` and `span` (the
   * chart's Chart.yaml), the message opening with `In <label>: `, and fixes into them are left out.
   * Set before the scope is linked (charts.ts).
   */
  relocations: ReadonlyMap<string, Relocation> = new Map();

  /** `overlay prod is built only in part (…)`, for rules (`PartialBuild`). */
  private partialBuildPhrase(): PartialBuild | undefined {
    return this.partialBuild === undefined ? undefined : `${this.options.label} is built only in part (${this.partialBuild})`;
  }

  private get ruleContext(): RuleContext {
    return { layout: this.environment.layout };
  }

  get id(): string {
    return this.options.id;
  }

  // ---- updates -----------------------------------------------------------------------------

  /**
   * Replaces the objects of a unit (none to remove it); returns the files whose findings changed.
   * With an edit, the kept objects keep their links and findings (moved with the text), and only
   * what the removed and added objects can affect is evaluated again.
   */
  replaceUnit(unitId: string, objects: readonly KubeObject[], edit?: UnitEdit): Set<string> {
    const changed = new Set<string>();
    this.replace(unitId, objects, changed, edit);
    return changed;
  }

  /** Replaces every unit at once and links once (a scan, a rebuild); returns nothing: every file may change. */
  reset(units: Iterable<readonly [unitId: string, objects: readonly KubeObject[]]>, config: EngineConfig): void {
    runSteps(this.resetSteps(units, config));
  }

  /**
   * `reset` in steps (analysis/steps.ts). Between two steps the scope answers queries from what is
   * linked so far: objects not added yet are missing, and findings not evaluated yet are absent.
   * The caller must not change the scope until the last step has run.
   */
  *resetSteps(units: Iterable<readonly [unitId: string, objects: readonly KubeObject[]]>, config: EngineConfig): Steps<void> {
    const counter = new StepCounter();
    this.config = config;
    this.index = new LinkIndex();
    this.units.clear();
    this.links.clear();
    this.objectFindings.clear();
    this.landings.clear();
    this.mentions.clear();
    this.referencedBy.clear();
    this.unmatched.clear();
    this.unmatchedByKey.clear();
    this.referring.clear();
    this.fileFindings.clear();
    this.findingParts.clear();
    this.referringByNamespace.clear();
    this.referringEverywhere.clear();
    this.registered.clear();
    this.serviceLookers.clear();
    this.referenceLookers.clear();
    this.environment.provisionChanged();
    for (const [unitId, objects] of units) {
      if (objects.length === 0) continue;
      this.units.set(unitId, objects);
    }
    for (const objects of this.units.values()) {
      for (const object of objects) {
        this.add(object);
        if (counter.tick()) yield;
      }
    }
    for (const [unitId, objects] of this.units) {
      for (const object of objects) if (isTemplate(object) && object.workloadRef) this.referring.set(object, unitId);
    }
    for (const raw of this.referring.keys()) this.deriveReferring(raw, undefined);
    for (const objects of this.units.values()) {
      for (const object of objects) {
        this.evaluateObject(object);
        if (counter.tick()) yield;
      }
    }
    for (const service of [...this.index.services()]) {
      this.evaluate(service);
      if (counter.tick()) yield;
    }
    for (const objects of this.units.values()) {
      for (const object of objects) {
        this.evaluateReferences(object);
        if (counter.tick()) yield;
      }
    }
    // A query between two steps may have cached a file's findings before they were all evaluated.
    this.fileFindings.clear();
  }

  /** Re-evaluates the Services that match nothing and the objects that refer to others (the templated-documents hint changed); returns changed files. */
  reevaluateUnmatched(): Set<string> {
    const changed = new Set<string>();
    for (const service of [...this.unmatched]) for (const fileId of this.evaluate(service) ?? []) changed.add(fileId);
    // A reference to an object that does not exist is information near templates (`missingMaybeUnseen`).
    for (const object of this.registered) for (const fileId of this.evaluateReferences(object) ?? []) changed.add(fileId);
    for (const fileId of changed) this.fileFindings.delete(fileId);
    return changed;
  }

  /**
   * Evaluates again the objects that looked in the other scopes and would now get another answer
   * (after `Elsewhere.settle` found that what the scopes provide changed); returns the files whose
   * findings changed.
   */
  refreshElsewhere(): Set<string> {
    const changed = new Set<string>();
    const stale = (asked: readonly Asked[]): boolean => asked.some(({ query, answers }) => !sameAnswers(answers, this.environment.elsewhere(this.id, query)));
    for (const [service, asked] of [...this.serviceLookers]) {
      if (stale(asked)) for (const fileId of this.evaluate(service) ?? []) changed.add(fileId);
    }
    for (const [object, asked] of [...this.referenceLookers]) {
      if (stale(asked)) for (const fileId of this.evaluateReferences(object) ?? []) changed.add(fileId);
    }
    for (const fileId of changed) this.fileFindings.delete(fileId);
    return changed;
  }

  hasUnit(unitId: string): boolean {
    return this.units.has(unitId);
  }

  unitIds(): string[] {
    return [...this.units.keys()];
  }

  objectsOf(unitId: string): readonly KubeObject[] {
    return this.units.get(unitId) ?? [];
  }

  // ---- queries -----------------------------------------------------------------------------

  get linkIndex(): LinkIndex {
    return this.index;
  }

  /** Files some finding of this scope lands in. */
  filesWithFindings(): string[] {
    return [...this.landings.keys()];
  }

  /** The findings of this scope that land in `fileId`, sorted by span. */
  findings(fileId: string): readonly Finding[] {
    const cached = this.fileFindings.get(fileId);
    if (cached) return cached;
    const out: Finding[] = [];
    for (const object of this.landings.get(fileId) ?? []) {
      for (const finding of this.objectFindings.get(object) ?? []) if (finding.fileId === fileId) out.push(finding);
    }
    out.sort(compareFindings);
    this.fileFindings.set(fileId, out);
    return out;
  }

  linkOf(service: ServiceObject): ServiceLink {
    return this.links.get(service) ?? linkService(service, this.index, { proximity: this.options.proximity });
  }

  // ---- internals ---------------------------------------------------------------------------

  private replace(unitId: string, unitObjects: readonly KubeObject[], changed: Set<string>, edit?: UnitEdit): void {
    let previous = this.units.get(unitId) ?? [];
    let objects = unitObjects;
    /** Kept templates that moved: Rollouts borrowing them copied their spans and are derived again. */
    let movedTemplates: PodTemplate[] = [];
    if (edit) {
      if (edit.move.delta !== 0) this.moveFindings(edit.fileId, edit.move, changed);
      edit.moveObjects();
      if (edit.move.delta !== 0 && this.referring.size > 0) {
        const fresh = new Set(edit.added);
        movedTemplates = unitObjects.filter((object): object is PodTemplate => !fresh.has(object) && isTemplate(object));
      }
      previous = edit.removed;
      objects = edit.added;
      changed.add(edit.fileId);
    }
    const added = new Set<KubeObject>(objects);
    const dirty = new Set<ServiceObject>();
    const oldTemplates = previous.filter(isTemplate);
    const newTemplates = objects.filter(isTemplate);
    const oldServices = previous.filter(isService);
    const newServices = objects.filter(isService);

    for (const template of oldTemplates) for (const service of this.referencedBy.get(this.derived(template)) ?? []) dirty.add(service);
    const nodePorts = new Set<number>();
    for (const service of [...oldServices, ...newServices]) for (const port of service.ports) if (port.nodePort) nodePorts.add(port.nodePort.value);
    const resourceNamespaces = new Set<string>();
    const touchedNamespaces = new Set<string>();
    for (const object of [...previous, ...objects]) {
      if (isResource(object)) resourceNamespaces.add(object.namespace);
      touchedNamespaces.add(object.namespace);
    }

    for (const object of previous) {
      this.forgetFindings(object, changed);
      if (isService(object)) this.forgetService(object);
      if (isTemplate(object)) {
        this.referring.delete(object);
        this.referencedBy.delete(this.derived(object));
        this.referencedBy.delete(object);
      }
      this.remove(object);
    }
    if (unitObjects.length > 0) this.units.set(unitId, unitObjects);
    else this.units.delete(unitId);
    for (const object of objects) {
      this.add(object);
      if (isTemplate(object) && object.workloadRef) this.referring.set(object, unitId);
    }
    for (const object of objects) {
      if (isTemplate(object) && object.workloadRef) this.deriveReferring(object, undefined);
      this.evaluateObject(object);
      this.collectLandings(object, changed);
    }

    const oldSignatures = new Set(oldTemplates.map((template, position) => templateSignature(template, position)));
    const touched: PodTemplate[] = [];
    /** Unmatched Services that may get a new nearest miss (and nothing else) from the touched templates. */
    const nearestMayMove = new Set<ServiceObject>();
    for (const [position, template] of newTemplates.entries()) {
      if (!oldSignatures.has(templateSignature(template, position))) touched.push(this.derived(template));
    }
    // Rollouts that take their template from a workload of this unit.
    const names = new Set([...oldTemplates, ...newTemplates, ...movedTemplates].map((template) => `${template.kind}\u0000${template.namespace}\u0000${template.name}`));
    for (const raw of this.referring.keys()) {
      if (added.has(raw)) continue; // derived as it was added
      const reference = raw.workloadRef!;
      if (!names.has(`${reference.kind}\u0000${raw.namespace}\u0000${reference.name}`)) continue;
      const before = this.derived(raw);
      for (const service of this.referencedBy.get(before) ?? []) dirty.add(service);
      this.referencedBy.delete(before);
      touched.push(this.deriveReferring(raw, before));
      for (const fileId of this.evaluateObject(raw) ?? []) changed.add(fileId);
    }
    // Other scopes look here for Services by name and templates by labels, and check what they
    // found (ports, headless) as their own (analysis/elsewhere.ts).
    const grants = (list: readonly KubeObject[]): boolean => list.some((object) => object.shape === 'referenceGrant');
    if (
      touched.length > 0 ||
      oldTemplates.length !== newTemplates.length ||
      !sameProvidedServices(oldServices, newServices) ||
      grants(previous) ||
      grants(objects) ||
      previous.some((object) => this.environment.namedInAnswer(object))
    ) {
      this.environment.provisionChanged();
    }
    if (touched.length > TOUCHED_ONE_BY_ONE) {
      // Many templates changed at once (a large file): every Service is looked at once rather
      // than once per template that may concern it.
      for (const service of this.index.services()) dirty.add(service);
    } else {
      const keys = new Set<string>();
      for (const template of touched) {
        for (const key of podKeys(template)) keys.add(template.namespace + '\u0000' + key);
        for (const service of this.index.servicesSelecting(template, false)) dirty.add(service);
      }
      for (const key of keys) for (const service of this.unmatchedByKey.get(key) ?? []) nearestMayMove.add(service);
    }
    if (resourceNamespaces.size > 0) for (const service of this.unmatched) if (resourceNamespaces.has(service.namespace)) dirty.add(service);
    for (const nodePort of nodePorts) for (const service of this.index.servicesWithNodePort(nodePort)) dirty.add(service);
    for (const service of newServices) dirty.add(service);
    // Re-linked only when the nearest miss moved: the search is kept per distinct selector, so
    // many identical Services cost one search.
    for (const service of nearestMayMove) {
      if (dirty.has(service)) continue;
      const previous = this.links.get(service)?.nearestMiss;
      const next = service.selector ? findNearestMiss(service.namespace, service.selector, this.index) : undefined;
      if (previous?.template !== next?.template || previous?.pair !== next?.pair || previous?.satisfied !== next?.satisfied || previous?.actual !== next?.actual) dirty.add(service);
    }

    for (const service of dirty) {
      if (!this.index.services().has(service)) continue;
      for (const fileId of this.evaluate(service) ?? []) changed.add(fileId);
    }

    // Objects that refer to others: this unit's, and those reading a namespace it touched.
    const referring = new Set<KubeObject>(objects);
    for (const namespace of touchedNamespaces) for (const object of this.referringByNamespace.get(namespace) ?? []) referring.add(object);
    if (touchedNamespaces.size > 0) for (const object of this.referringEverywhere) referring.add(object);
    // Messages about a missing Service name a Service of that name in another namespace.
    for (const service of [...oldServices, ...newServices]) for (const reference of this.index.referencesNamed('Service', service.name)) referring.add(reference.from);
    for (const object of referring) {
      if (!this.registered.has(object)) continue;
      for (const fileId of this.evaluateReferences(object) ?? []) changed.add(fileId);
    }
    for (const fileId of changed) this.fileFindings.delete(fileId);
  }

  /** Derived templates stand in for Rollouts with a `workloadRef`; everything else is itself. */
  private readonly derivedOf = new Map<PodTemplate, PodTemplate>();

  private derived(template: PodTemplate): PodTemplate {
    return this.derivedOf.get(template) ?? template;
  }

  private add(object: KubeObject): void {
    this.register(object, true);
    if (isTemplate(object) && object.workloadRef) return; // indexed once derived
    this.index.add(object);
  }

  private remove(object: KubeObject): void {
    this.register(object, false);
    if (isTemplate(object) && object.workloadRef) {
      const derived = this.derivedOf.get(object);
      if (derived) this.index.remove(derived);
      this.derivedOf.delete(object);
      return;
    }
    this.index.remove(object);
  }

  /** Records (or forgets) an object that refers to others under the namespaces it reads. */
  private register(object: KubeObject, adding: boolean): void {
    const namespaces = referredNamespaces(object);
    if (namespaces === undefined) return;
    if (adding) {
      this.registered.add(object);
    } else {
      this.registered.delete(object);
      this.referenceLookers.delete(object);
    }
    if (namespaces === 'all') {
      if (adding) this.referringEverywhere.add(object);
      else this.referringEverywhere.delete(object);
      return;
    }
    for (const namespace of namespaces) {
      let set = this.referringByNamespace.get(namespace);
      if (adding) {
        if (!set) this.referringByNamespace.set(namespace, (set = new Set()));
        set.add(object);
      } else if (set) {
        set.delete(object);
        if (set.size === 0) this.referringByNamespace.delete(namespace);
      }
    }
  }

  /**
   * The template of a Rollout that references a workload: the Rollout's identity with the
   * referenced workload's labels and containers (their spans point into the workload's file).
   */
  private deriveReferring(raw: PodTemplate, before: PodTemplate | undefined): PodTemplate {
    if (before) this.index.remove(before);
    const reference = raw.workloadRef!;
    const source = this.index.templatesNamed(reference.kind, raw.namespace, reference.name).find((template) => !template.workloadRef);
    const derived: PodTemplate = source
      ? {
          ...raw,
          labels: source.labels.map((pair) => ({ ...pair, keySpan: inFile(pair.keySpan, source.fileId), valueSpan: inFile(pair.valueSpan, source.fileId), span: inFile(pair.span, source.fileId) })),
          labelMap: source.labelMap,
          labelsSpan: source.labelsSpan && inFile(source.labelsSpan, source.fileId),
          containers: source.containers.map((container) => ({ ...container, ports: container.ports.map((port) => ({ ...port, span: inFile(port.span, source.fileId) })) })),
        }
      : raw;
    this.derivedOf.set(raw, derived);
    this.index.add(derived);
    return derived;
  }

  private forgetService(service: ServiceObject): void {
    const link = this.links.get(service);
    if (link) for (const template of referencedTemplates(link)) this.referencedBy.get(template)?.delete(service);
    this.links.delete(service);
    this.serviceLookers.delete(service);
    this.setUnmatched(service, false);
  }

  private setUnmatched(service: ServiceObject, unmatched: boolean): void {
    if (unmatched === this.unmatched.has(service)) return;
    if (unmatched) this.unmatched.add(service);
    else this.unmatched.delete(service);
    for (const pair of service.selector ?? []) {
      const key = service.namespace + '\u0000' + pair.key;
      let set = this.unmatchedByKey.get(key);
      if (unmatched) {
        if (!set) this.unmatchedByKey.set(key, (set = new Set()));
        set.add(service);
      } else if (set) {
        set.delete(service);
        if (set.size === 0) this.unmatchedByKey.delete(key);
      }
    }
  }

  private forgetFindings(object: KubeObject, changed: Set<string>): void {
    for (const finding of this.objectFindings.get(object) ?? []) {
      changed.add(finding.fileId);
      this.landings.get(finding.fileId)?.delete(object);
      for (const fileId of mentionedFiles(finding)) {
        changed.add(fileId);
        this.mentions.get(fileId)?.delete(object);
      }
    }
    this.objectFindings.delete(object);
    this.findingParts.delete(object);
    changed.add(object.fileId);
  }

  private collectLandings(object: KubeObject, changed: Set<string>): void {
    for (const fileId of this.landingFiles(object)) changed.add(fileId);
  }

  private landingFiles(object: KubeObject): Set<string> {
    const files = new Set<string>([object.fileId]);
    for (const finding of this.objectFindings.get(object) ?? []) files.add(finding.fileId);
    return files;
  }

  /**
   * Stores one part of an object's findings (its own rules, its link's, its references') and
   * publishes their union; returns the files whose findings changed (before and after), or undefined.
   */
  private setFindings(object: KubeObject, part: keyof FindingParts, findings: readonly Finding[]): Set<string> | undefined {
    const previous = this.objectFindings.get(object);
    for (const finding of previous ?? []) {
      this.landings.get(finding.fileId)?.delete(object);
      for (const fileId of mentionedFiles(finding)) this.mentions.get(fileId)?.delete(object);
    }
    let parts = this.findingParts.get(object);
    if (!parts) {
      if (findings.length === 0 && !previous) return undefined;
      this.findingParts.set(object, (parts = { own: NO_FINDINGS, link: NO_FINDINGS, reference: NO_FINDINGS }));
    }
    parts[part] = findings;
    const merged = parts.own.length + parts.link.length + parts.reference.length === findings.length ? findings : [...parts.own, ...parts.link, ...parts.reference];
    if (merged.length > 0) this.objectFindings.set(object, merged);
    else this.objectFindings.delete(object);
    for (const finding of merged) {
      let set = this.landings.get(finding.fileId);
      if (!set) this.landings.set(finding.fileId, (set = new Set()));
      set.add(object);
      for (const fileId of mentionedFiles(finding)) {
        let mentioning = this.mentions.get(fileId);
        if (!mentioning) this.mentions.set(fileId, (mentioning = new Set()));
        mentioning.add(object);
      }
    }
    if (previous ? sameFindings(previous, merged) : merged.length === 0) return undefined;
    const files = new Set<string>([object.fileId]);
    for (const finding of previous ?? []) {
      files.add(finding.fileId);
      if (this.landings.get(finding.fileId)?.size === 0) this.landings.delete(finding.fileId);
    }
    for (const finding of merged) files.add(finding.fileId);
    return files;
  }

  /**
   * Moves the findings that point into `fileId` at or after `move.from` (old offsets) by
   * `move.delta`: the text there moved unchanged. Called before the objects' spans move, as
   * findings share span objects with them; every moved finding is a new object.
   */
  private moveFindings(fileId: string, move: TextMove, changed: Set<string>): void {
    const objects = new Set<KubeObject>([...(this.landings.get(fileId) ?? []), ...(this.mentions.get(fileId) ?? [])]);
    for (const object of objects) {
      const parts = this.findingParts.get(object);
      if (!parts) continue;
      parts.own = parts.own.map((finding) => movedFinding(finding, fileId, move));
      parts.link = parts.link.map((finding) => movedFinding(finding, fileId, move));
      parts.reference = parts.reference.map((finding) => movedFinding(finding, fileId, move));
      const merged = [...parts.own, ...parts.link, ...parts.reference];
      if (merged.length > 0) this.objectFindings.set(object, merged);
      for (const finding of merged) {
        changed.add(finding.fileId);
        for (const mentioned of mentionedFiles(finding)) changed.add(mentioned);
      }
    }
  }

  /** The parts of each object's findings, kept apart so that re-evaluating one part keeps the others. */
  private readonly findingParts = new Map<KubeObject, FindingParts>();

  /** Runs the rules that need no links (template rules, object rules) on one object; returns changed files of a template's findings. */
  private evaluateObject(object: KubeObject): Set<string> | undefined {
    if (!isService(object) && !isTemplate(object)) return;
    let findings: Finding[] | undefined;
    for (const rule of OBJECT_RULES) {
      const reports = this.runRule(rule, () => rule.check(object, this.ruleContext));
      if (reports.length > 0) (findings ??= []).push(...this.toFindings(rule, reports, object, resourceOf(object)));
    }
    if (isTemplate(object)) {
      // A Rollout with a workloadRef is checked with the template it borrows; one whose workload
      // does not exist has no template: that is the finding, not what its empty template lacks.
      const checked = this.derived(object);
      const missing = checked === object ? unresolvedWorkloadRef(object) : undefined;
      if (missing) {
        const report = this.partialBuild === undefined ? missing : { ...missing, severity: 'information' as const };
        (findings ??= []).push(...this.toFindings(workloadSelectorMismatch, [report], object, resourceOf(object)));
        return this.setFindings(object, 'own', findings);
      }
      for (const rule of TEMPLATE_RULES) {
        const reports = this.runRule(rule, () => rule.check(checked, this.ruleContext));
        if (reports.length > 0) (findings ??= []).push(...this.toFindings(rule, reports, object, resourceOf(object)));
      }
    }
    return this.setFindings(object, 'own', findings ?? NO_FINDINGS);
  }

  /** Runs the reference rules on an object that refers to others; returns the files whose findings changed, or undefined. */
  private evaluateReferences(object: KubeObject): Set<string> | undefined {
    if (referredNamespaces(object) === undefined) return undefined;
    const resource: ResourceRef = { kind: object.kind, name: object.name, namespace: object.namespace };
    const asked: Asked[] = [];
    const context: ReferenceRuleContext = {
      index: this.index,
      link: (service) => this.linkOf(service),
      partialBuild: this.partialBuildPhrase(),
      templatedNear: (fileId, what) => this.environment.templatedNear(fileId, what),
      invalidNear: (fileId, what) => this.environment.invalidNear(fileId, what),
      chartBeside: (fileId) => this.environment.chartBeside(fileId),
      elsewhere: (query) => {
        const answers = this.lookElsewhereFor(query);
        asked.push({ query, answers });
        return answers;
      },
    };
    const findings: Finding[] = [];
    for (const rule of REFERENCE_RULES) findings.push(...this.toFindings(rule, this.runRule(rule, () => rule.check(object, context)), object, resource));
    if (asked.length > 0) this.referenceLookers.set(object, asked);
    else this.referenceLookers.delete(object);
    return this.setFindings(object, 'reference', findings);
  }

  /** Re-links a Service and recomputes its findings; returns the files whose findings changed, or undefined. */
  private evaluate(service: ServiceObject): Set<string> | undefined {
    const previousLink = this.links.get(service);
    if (previousLink) for (const template of referencedTemplates(previousLink)) this.referencedBy.get(template)?.delete(service);
    const link = this.lookElsewhere(service, linkService(service, this.index, { proximity: this.options.proximity }));
    this.links.set(service, link);
    this.setUnmatched(service, link.selecting && link.matches.length === 0);
    for (const template of referencedTemplates(link)) {
      let set = this.referencedBy.get(template);
      if (!set) this.referencedBy.set(template, (set = new Set()));
      set.add(service);
    }
    const context: ServiceRuleContext = {
      servicesWithNodePort: (nodePort) => [...this.index.servicesWithNodePort(nodePort)].filter((other) => other !== service).sort(compareObjects),
      templatedNear: (fileId, what) => this.environment.templatedNear(fileId, what),
      invalidNear: (fileId, what) => this.environment.invalidNear(fileId, what),
      chartBeside: (fileId) => this.environment.chartBeside(fileId),
      partialBuild: this.partialBuildPhrase(),
      layout: this.environment.layout,
    };
    let findings: Finding[] | undefined;
    for (const rule of SERVICE_RULES) {
      const reports = this.runRule(rule, () => rule.check(link, context));
      if (reports.length > 0) (findings ??= []).push(...this.toFindings(rule, reports, service, resourceOf(service)));
    }
    return this.setFindings(service, 'link', findings ?? NO_FINDINGS);
  }

  /**
   * A selecting Service that matches no template here and has no operator-made Pods looks in the
   * other scopes (analysis/elsewhere.ts): the link names the scope that holds its Pod templates.
   */
  private lookElsewhere(service: ServiceObject, link: ServiceLink): ServiceLink {
    // A typo: a template here differs from the selector by a small edit of one value (`ngnix` for
    // `nginx`; one edit below 4 characters, two from 4). That one is meant, whatever another build
    // has (samples side by side reuse names).
    const miss = link.nearestMiss;
    const limit = miss === undefined || miss.pair.value.length < 4 ? 1 : 2;
    const typo = miss?.actual !== undefined && editDistance(miss.actual, miss.pair.value, limit) <= limit;
    if (!link.selecting || link.matches.length > 0 || link.owner !== undefined || service.selector === null || typo) {
      this.serviceLookers.delete(service);
      return link;
    }
    const query: ElsewhereQuery = { kind: 'pods', namespace: service.namespace, selector: service.selector };
    const answers = this.lookElsewhereFor(query);
    this.serviceLookers.set(service, [{ query, answers }]);
    if (answers.length === 0) return link;
    // The Pods there are the Service's endpoints: its ports resolve on them as on its own. Of
    // several builds that make them apart (for several clusters), the first on which every port
    // resolves, else the first.
    const resolved = answers.map((answer) => ({ answer, ports: service.ports.map((fact) => linkPort(fact, answer.templates)) }));
    const chosen = resolved.find(({ ports }) => ports.every((port) => port.outcomes.every((outcome) => outcome.kind !== 'unresolved' && outcome.kind !== 'protocol'))) ?? resolved[0]!;
    return { ...link, elsewhere: chosen.answer, ports: chosen.ports };
  }

  /**
   * What the other scopes hold for a lookup. Nothing for a kustomize build that leaves out part of
   * what kubectl builds (`partialBuild`): what it lacks may be in the part left out (a `helmCharts`
   * render with its own values), and its findings say so instead.
   */
  private lookElsewhereFor(query: ElsewhereQuery): readonly ElsewhereAnswer[] {
    return this.partialBuild === undefined ? this.environment.elsewhere(this.id, query) : NO_ANSWERS;
  }

  private runRule(rule: Rule, check: () => RuleReport[]): RuleReport[] {
    try {
      return check();
    } catch (error) {
      this.ruleFailures.push(`Rule ${rule.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return [];
    }
  }

  private toFindings(rule: Rule, reports: readonly RuleReport[], object: KubeObject, resource: ResourceRef): Finding[] {
    if (reports.length === 0) return [];
    const setting = this.config.rules[rule.id];
    if (setting === 'off' || object.disabledRules.includes(rule.id)) return [];
    const out: Finding[] = [];
    for (const report of reports) {
      const written = report.span.fileId ?? object.fileId;
      const relocation = this.relocations.get(written);
      if (relocation === undefined && this.environment.suppressed(written, report.span.start, rule.id)) continue;
      const fileId = relocation?.fileId ?? written;
      const reported = reportedFinding(rule, report, setting);
      // A build whose fields may differ from kubectl's: information (a severity the user set stays).
      const uncertain = this.uncertainBuild !== undefined && setting === undefined && (reported.severity === 'error' || reported.severity === 'warning');
      const message = uncertain ? `${reported.message} (Information only: ${this.options.label} is built in part here, and ${this.uncertainBuild}, which may change this.)` : reported.message;
      const fixes = (report.fixes ?? []).map((fix) => ({
        title: fix.title,
        edits: fix.edits.map((edit) => ({ fileId: edit.span.fileId ?? object.fileId, span: plainSpan(edit.span), newText: edit.newText })),
      }));
      out.push({
        ...reported,
        ...(uncertain ? { severity: 'information' as const } : {}),
        message: relocation ? `In ${relocation.label}: ${message}` : message,
        fileId,
        span: relocation?.span ?? plainSpan(report.span),
        resource,
        related: (report.related ?? []).map((related) => {
          const relatedFile = related.span.fileId ?? related.fileId;
          const moved = this.relocations.get(relatedFile);
          return moved ? { fileId: moved.fileId, span: moved.span, message: `${related.message} (${moved.label})` } : { fileId: relatedFile, span: plainSpan(related.span), message: related.message };
        }),
        fixes: fixes.filter((fix) => fix.edits.every((edit) => !this.relocations.has(edit.fileId))),
      });
    }
    return out;
  }
}

/** Where the findings of a file that is not in the workspace are reported (`Scope.relocations`). */
export interface Relocation {
  readonly fileId: string;
  readonly span: Span;
  /** What the file is, for messages: `charts/db-1.0.0.tgz: db/templates/service.yaml (a packaged subchart)`. */
  readonly label: string;
}

/** A lookup an object made in the other scopes, and the answer it was evaluated with. */
interface Asked {
  readonly query: ElsewhereQuery;
  readonly answers: readonly ElsewhereAnswer[];
}

/** Whether two lists of Services have the same namespaces, names and own labels (what monitors select), in order. */
function sameProvidedServices(left: readonly ServiceObject[], right: readonly ServiceObject[]): boolean {
  const labels = (service: ServiceObject): string => service.objectLabels.map((pair) => `${pair.key}=${pair.value}`).join('\u0001');
  return left.length === right.length && left.every((service, index) => service.name === right[index]!.name && service.namespace === right[index]!.namespace && labels(service) === labels(right[index]!));
}

interface FindingParts {
  own: readonly Finding[];
  link: readonly Finding[];
  reference: readonly Finding[];
}

const NO_FINDINGS: readonly Finding[] = [];
const NO_ANSWERS: readonly ElsewhereAnswer[] = [];

function resourceOf(object: KubeObject): ResourceRef {
  return { kind: object.kind, name: object.name, namespace: object.namespace };
}

function inFile(span: Span, fileId: string): Span {
  return span.fileId ? span : { ...span, fileId };
}

/** A span without its file (findings carry the file apart). */
function plainSpan(span: Span): Span {
  return span.fileId === undefined ? span : { start: span.start, end: span.end };
}

/** Files a finding relates to or edits, other than the one it lands in. */
function mentionedFiles(finding: Finding): string[] {
  const out: string[] = [];
  for (const related of finding.related) if (related.fileId !== finding.fileId && !out.includes(related.fileId)) out.push(related.fileId);
  for (const fix of finding.fixes) for (const edit of fix.edits) if (edit.fileId !== finding.fileId && !out.includes(edit.fileId)) out.push(edit.fileId);
  return out;
}

/** A finding with its spans in `fileId` at or after `move.from` moved by `move.delta` (the same finding when none is). */
function movedFinding(finding: Finding, fileId: string, move: TextMove): Finding {
  const moves = (inFile: string, span: Span): boolean => inFile === fileId && span.start >= move.from;
  const shift = (span: Span): Span => ({ start: span.start + move.delta, end: span.end + move.delta });
  const spanMoves = moves(finding.fileId, finding.span);
  const relatedMoves = finding.related.some((related) => moves(related.fileId, related.span));
  const fixesMove = finding.fixes.some((fix) => fix.edits.some((edit) => moves(edit.fileId, edit.span)));
  if (!spanMoves && !relatedMoves && !fixesMove) return finding;
  return {
    ...finding,
    span: spanMoves ? shift(finding.span) : finding.span,
    related: relatedMoves ? finding.related.map((related) => (moves(related.fileId, related.span) ? { ...related, span: shift(related.span) } : related)) : finding.related,
    fixes: fixesMove
      ? finding.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((edit) => (moves(edit.fileId, edit.span) ? { ...edit, span: shift(edit.span) } : edit)) }))
      : finding.fixes,
  };
}

function referencedTemplates(link: ServiceLink): PodTemplate[] {
  const out = [...link.matches, ...link.alsoMatches, ...link.otherNamespace];
  if (link.nearestMiss) out.push(link.nearestMiss.template);
  return out;
}

/** What other Services' links can depend on: identity, namespace, Pod labels and position among the unit's templates. */
function templateSignature(template: PodTemplate, position: number): string {
  const controller = template.controllerLabels.map((label) => `${label.key}=${label.values === 'any' ? '*' : label.values.join('|')}`).join('\u0001');
  return `${position}\u0000${template.fileId}\u0000${template.namespace}\u0000${template.kind}\u0000${template.name}\u0000${template.labels.map((pair) => `${pair.key}=${pair.value}`).join('\u0001')}\u0000${controller}`;
}

export function compareFindings(left: Finding, right: Finding): number {
  return (
    left.span.start - right.span.start ||
    left.span.end - right.span.end ||
    (left.ruleId < right.ruleId ? -1 : left.ruleId > right.ruleId ? 1 : 0) ||
    (left.message < right.message ? -1 : left.message > right.message ? 1 : 0)
  );
}

function sameFindings(left: readonly Finding[], right: readonly Finding[]): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

export { satisfies };
