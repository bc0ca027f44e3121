/**
 * What the engine tells about links, for hovers, the CLI's JSON and (later) the traffic preview.
 * Plain data: spans are offsets in the named file.
 */
import type { FileSpan, ResourceRef, Span } from './types';

/** A Pod template: a bare Pod, or the `template` of a workload (Deployment, CronJob, …). */
export interface TemplateRef extends ResourceRef, FileSpan {
  /** The template's role when its workload has several (`leader`, `worker`, a JobSet replicated job). */
  readonly role?: string;
  /** The kind is not declared: its `spec.template` was assumed to be a Pod template. */
  readonly assumed?: boolean;
}

/** A custom resource whose operator makes a Service's Pods (they are in no manifest). */
export interface OwnerRef extends ResourceRef, FileSpan {
  readonly apiVersion: string;
}

export interface PortResolution extends FileSpan {
  /** The template the Service port resolves on. */
  readonly template: TemplateRef;
  readonly container: string;
  /** Undefined when a numeric targetPort is not declared by the template (it still works if the process listens). */
  readonly containerPort: number | undefined;
  readonly protocol: string;
  /** How the port was found: by name, by declared number, or an undeclared number. */
  readonly via: 'name' | 'number' | 'undeclared';
}

export interface ServicePortReport {
  readonly name: string | undefined;
  readonly port: number;
  /** The effective targetPort: defaults to `port` when absent, 0 or "". */
  readonly targetPort: number | string;
  readonly targetPortDefaulted: boolean;
  readonly protocol: string;
  readonly nodePort: number | undefined;
  readonly span: Span;
  readonly resolutions: readonly PortResolution[];
  /** Matched templates on which this port does not resolve, with the reason. */
  readonly unresolved: readonly { readonly template: TemplateRef; readonly reason: string }[];
  /**
   * For a Service without a selector: each Endpoints or EndpointSlice of the Service with its port
   * of this port's name (kube-proxy sends a Service port's traffic to the endpoint port of the same
   * name, the empty name for an unnamed port; `targetPort` is not used:
   * https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoints-v1/#EndpointSubset),
   * `port` undefined where it has none. Empty for a Service with a selector.
   */
  readonly endpointPorts: readonly EndpointPortReport[];
}

/** The endpoint port a Service port of a Service without a selector reaches on one Endpoints or EndpointSlice. */
export interface EndpointPortReport {
  readonly object: ResourceRef & FileSpan;
  /** The port number of the endpoint port of the Service port's name; undefined when it has none. */
  readonly port: number | undefined;
  /** The names and numbers of the object's ports (`web 8080/TCP`), for a message when `port` is undefined. */
  readonly ports: string;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName' | string;

export interface ServiceReport extends ResourceRef, FileSpan {
  readonly kind: 'Service';
  readonly type: ServiceType;
  readonly headless: boolean;
  /** Null when the Service has no selector (or an empty one): its endpoints come from Endpoints/EndpointSlices. */
  readonly selector: Readonly<Record<string, string>> | null;
  readonly externalName: string | undefined;
  readonly matches: readonly TemplateRef[];
  /** Templates in other namespaces that satisfy the selector (only computed when nothing matches at home). */
  readonly otherNamespaceMatches: readonly TemplateRef[];
  /** Templates that satisfy the selector farther away in the folder tree than `matches`: listed, not port-checked. */
  readonly alsoMatches: readonly TemplateRef[];
  /** When nothing matches: the custom resource whose operator makes the Pods. */
  readonly owner: OwnerRef | undefined;
  /**
   * When nothing matches in the Service's own scope: the other scope of the workspace whose
   * templates it matches (its label, `overlay prod`, `workspace folder`, `chart web`, and the folder
   * of its build, none for plain files; analysis/elsewhere.ts), and those templates. Its ports are
   * resolved on them.
   */
  readonly elsewhere: { readonly label: string; readonly build: string | undefined; readonly matches: readonly TemplateRef[] } | undefined;
  /**
   * The build that holds this Service, when it is not a plain file of the workspace folder: its
   * folder (a kustomize overlay's, a rendered chart's) and label (`overlay prod`). A base built by
   * two overlays has a report in each.
   */
  readonly build?: { readonly folder: string; readonly label: string };
  readonly ports: readonly ServicePortReport[];
  /** `<name>.<namespace>.svc.<clusterDomain>` */
  readonly dnsName: string;
  /** Endpoints / EndpointSlices that name this Service (selectorless Services). */
  readonly endpointObjects: readonly (ResourceRef & FileSpan)[];
}

export interface NearestMiss {
  readonly template: TemplateRef;
  /** Selector pairs the template satisfies. */
  readonly satisfied: number;
  /** The first selector pair the template does not satisfy, and what the template has for that key. */
  readonly key: string;
  readonly wanted: string;
  readonly actual: string | undefined;
}

export interface SelectingService {
  readonly service: ServiceReport;
}

/** An object that points at a Service: an Ingress backend, a route backendRef, a monitor, a StatefulSet's `serviceName`. */
export interface Referrer extends ResourceRef, FileSpan {
  /** How it points: `Ingress backend`, `HTTPRoute backendRef`, `ServiceMonitor selector`, `StatefulSet serviceName`. */
  readonly via: string;
}

/** What a kustomize overlay builds from an object of a base: its identity there. */
export interface BuiltIdentity {
  /** The overlay: the folder of its top kustomization (`prod`). */
  readonly overlay: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** The Pod template's labels (templates) or the Service's selector (Services), as built. */
  readonly labels: Readonly<Record<string, string>>;
}

export type HoverModel =
  | {
      readonly kind: 'service';
      readonly span: Span;
      readonly service: ServiceReport;
      /** The Ingresses, routes, monitors and StatefulSets that point at the Service. */
      readonly referrers: readonly Referrer[];
      /** For an object a kustomize overlay builds: its identity in each overlay. */
      readonly builds?: readonly BuiltIdentity[];
      /**
       * The other Services the same text makes, in file order: a Helm template line inside a
       * `range` renders one Service per item, and each is mapped back to that line.
       */
      readonly alsoHere?: readonly ServiceReport[];
    }
  | {
      /** On a backend name or a StatefulSet's `serviceName`: the Service it reaches (none when it does not exist). */
      readonly kind: 'reference';
      readonly span: Span;
      readonly name: string;
      readonly namespace: string;
      readonly service: ServiceReport | undefined;
      /** When the Service is not in the reference's own scope but another build makes it: that build's label (`overlay prod`; analysis/elsewhere.ts). */
      readonly elsewhere?: string;
      /**
       * Why the reference is refused, for a route backendRef to another namespace that no
       * ReferenceGrant there allows (`no ReferenceGrant there allows HTTPRoute from namespace web`).
       */
      readonly refused?: string;
    }
  | {
      readonly kind: 'template';
      readonly span: Span;
      readonly template: TemplateRef;
      readonly labels: Readonly<Record<string, string>>;
      readonly services: readonly ServiceReport[];
      /** For a template a kustomize overlay builds: its identity in each overlay. */
      readonly builds?: readonly BuiltIdentity[];
    }
  | {
      readonly kind: 'selector-pair';
      readonly span: Span;
      readonly service: ServiceReport;
      readonly key: string;
      readonly value: string;
      /** Present when the Service matches nothing in its namespace. */
      readonly nearestMiss: NearestMiss | undefined;
    };
