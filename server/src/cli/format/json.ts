/**
 * `--format json`: the stable, versioned output contract documented in docs/cli.md. Fields are
 * only ever added under a new `version`; paths are relative to the working directory with forward
 * slashes; ranges are 0-based line/character in UTF-16 code units.
 */
import type { ServiceReport, TemplateRef } from '../../engine/reports';
import type { Finding, Severity } from '../../engine/types';
import { rangeOf, relativePath, type CheckResult, type Range } from '../check';

export interface JsonOutput {
  readonly version: 1;
  readonly findings: readonly JsonFinding[];
  readonly services: readonly JsonService[];
}

export interface JsonFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly file: string;
  readonly range: Range;
  readonly message: string;
  readonly resource: { readonly kind: string; readonly name: string; readonly namespace: string };
  /** For a file a kustomize overlay builds: the overlay's folder (its top kustomization's), relative. */
  readonly scope?: string;
  /** Every overlay folder the finding holds in, when there are several. */
  readonly scopes?: readonly string[];
}

export interface JsonService {
  readonly file: string;
  readonly name: string;
  readonly namespace: string;
  readonly type: string;
  /** Null for a Service without a selector (its endpoints are managed separately). */
  readonly selector: Readonly<Record<string, string>> | null;
  readonly matches: readonly JsonTemplate[];
  /** Matches farther away in the folder tree (monorepo proximity): listed, not port-checked. Only when there are some. */
  readonly alsoMatches?: readonly JsonTemplate[];
  /** The custom resource whose operator makes the selected Pods. Only when there is one. */
  readonly owner?: { readonly file: string; readonly apiVersion: string; readonly kind: string; readonly name: string };
  /**
   * When nothing matches in the Service's own scope: another scope of the run whose templates it
   * matches (the folder of its build, as `scope` elsewhere, absent for plain files; its label).
   * Only when there is one.
   */
  readonly elsewhere?: { readonly scope?: string; readonly label: string; readonly matches: readonly JsonTemplate[] };
  /** The folder of the kustomize overlay or rendered chart whose build holds this Service (as a finding's `scope`). Only for a built Service. */
  readonly scope?: string;
  readonly ports: readonly JsonServicePort[];
}

export interface JsonTemplate {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  /** The template's role when its workload has several (`leader`, `worker`). */
  readonly role?: string;
  /** True when the kind is undeclared and `spec.template` was assumed to be a Pod template. */
  readonly assumed?: true;
}

export interface JsonServicePort {
  readonly port: number;
  readonly targetPort: number | string;
  readonly protocol: string;
  readonly resolutions: readonly JsonResolution[];
  /**
   * For a Service without a selector, with Endpoints or EndpointSlices: the endpoint port of this
   * port's name on each (null where it has none). Only then.
   */
  readonly endpointPorts?: readonly JsonEndpointPort[];
}

export interface JsonEndpointPort {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly port: number | null;
}

export interface JsonResolution {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly container: string;
  /** Null when a numeric targetPort is not declared by the template's containers. */
  readonly containerPort: number | null;
}

export function toJsonOutput(result: CheckResult, cwd: string): JsonOutput {
  return {
    version: 1,
    findings: result.findings.map((finding) => toJsonFinding(result, cwd, finding)),
    services: result.services.map((service) => toJsonService(cwd, service)),
  };
}

export function formatJson(result: CheckResult, cwd: string): string {
  return `${JSON.stringify(toJsonOutput(result, cwd), null, 2)}\n`;
}

function toJsonFinding(result: CheckResult, cwd: string, finding: Finding): JsonFinding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    file: relativePath(cwd, finding.fileId),
    range: rangeOf(result, finding.fileId, finding.span),
    message: finding.message,
    resource: {
      kind: finding.resource.kind,
      name: finding.resource.name,
      namespace: finding.resource.namespace,
    },
    ...(finding.scopes && finding.scopes.length > 0 ? { scope: relativePath(cwd, finding.scopes[0]!) || '.' } : {}),
    ...(finding.scopes && finding.scopes.length > 1 ? { scopes: finding.scopes.map((folder) => relativePath(cwd, folder) || '.') } : {}),
  };
}

function toJsonService(cwd: string, service: ServiceReport): JsonService {
  return {
    file: relativePath(cwd, service.fileId),
    name: service.name,
    namespace: service.namespace,
    type: service.type,
    selector: service.selector === null ? null : { ...service.selector },
    matches: service.matches.map((template) => toJsonTemplate(cwd, template)),
    ...(service.alsoMatches.length > 0 ? { alsoMatches: service.alsoMatches.map((template) => toJsonTemplate(cwd, template)) } : {}),
    ...(service.owner
      ? { owner: { file: relativePath(cwd, service.owner.fileId), apiVersion: service.owner.apiVersion, kind: service.owner.kind, name: service.owner.name } }
      : {}),
    ...(service.build ? { scope: relativePath(cwd, service.build.folder) || '.' } : {}),
    ...(service.elsewhere
      ? {
          elsewhere: {
            ...(service.elsewhere.build !== undefined ? { scope: relativePath(cwd, service.elsewhere.build) || '.' } : {}),
            label: service.elsewhere.label,
            matches: service.elsewhere.matches.map((template) => toJsonTemplate(cwd, template)),
          },
        }
      : {}),
    ports: service.ports.map((port) => ({
      port: port.port,
      targetPort: port.targetPort,
      protocol: port.protocol,
      resolutions: port.resolutions.map((resolution) => ({
        file: relativePath(cwd, resolution.template.fileId),
        kind: resolution.template.kind,
        name: resolution.template.name,
        container: resolution.container,
        containerPort: resolution.containerPort ?? null,
      })),
      ...(port.endpointPorts.length > 0
        ? { endpointPorts: port.endpointPorts.map((endpoint) => ({ file: relativePath(cwd, endpoint.object.fileId), kind: endpoint.object.kind, name: endpoint.object.name, port: endpoint.port ?? null })) }
        : {}),
    })),
  };
}

function toJsonTemplate(cwd: string, template: TemplateRef): JsonTemplate {
  return {
    file: relativePath(cwd, template.fileId),
    kind: template.kind,
    name: template.name,
    ...(template.role === undefined ? {} : { role: template.role }),
    ...(template.assumed ? { assumed: true as const } : {}),
  };
}
