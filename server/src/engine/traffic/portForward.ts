/**
 * The `kubectl port-forward` command that reaches one Service port from the developer's machine:
 * `kubectl port-forward svc/<name> -n <namespace> <local>:<port>`. kubectl picks one Pod the
 * Service selects and forwards the local port to the container port that the Service port's
 * `targetPort` names on that Pod
 * (https://kubernetes.io/docs/tasks/access-application-cluster/port-forward-access-application-cluster/,
 * https://kubernetes.io/docs/reference/kubectl/generated/kubectl_port-forward/). Hence:
 * - only TCP ports are forwarded (the task page: UDP is not supported);
 * - a Service without a selector has no Pod for kubectl to pick (its endpoints are managed by
 *   hand), and an ExternalName Service has none either;
 * - the local port defaults to the Service port; below 1024 it is port + 8000 (80 → 8080,
 *   443 → 8443), because binding a port below 1024 needs privileges on most systems.
 */
import type { PortForward } from '../../protocol/traffic';

/** What the command needs to know about the Service. */
export interface ForwardedService {
  readonly name: string;
  readonly namespace: string;
  /** Effective type: ClusterIP, NodePort, LoadBalancer or ExternalName. */
  readonly type: string;
  /** Whether the Service has a non-empty selector. */
  readonly hasSelector: boolean;
}

/** What the command needs to know about the port. */
export interface ForwardedPort {
  /** `port`; undefined or out of 1–65535 when the manifest's value is not a port. */
  readonly port: number | undefined;
  /** Effective protocol (TCP when not written). */
  readonly protocol: string;
}

/** Ports below this number need privileges to bind on most systems. */
const FIRST_UNPRIVILEGED_PORT = 1024;
/** Added to a privileged Service port to get the default local port. */
const PRIVILEGED_PORT_OFFSET = 8000;
const HIGHEST_PORT = 65535;

/** The local port `kubectl port-forward` listens on by default for a Service port (1–65535). */
export function defaultLocalPort(port: number): number {
  return port < FIRST_UNPRIVILEGED_PORT ? port + PRIVILEGED_PORT_OFFSET : port;
}

/** The command for one port of a Service, or the reason kubectl cannot forward it. */
export function portForward(service: ForwardedService, port: ForwardedPort): PortForward {
  if (service.type === 'ExternalName') {
    return { kind: 'unavailable', reason: 'An ExternalName Service has no Pods to forward to.' };
  }
  if (!service.hasSelector) {
    return { kind: 'unavailable', reason: 'kubectl port-forward needs a selector to pick a Pod; this Service has none.' };
  }
  if (port.port === undefined || !Number.isInteger(port.port) || port.port < 1 || port.port > HIGHEST_PORT) {
    return { kind: 'unavailable', reason: 'The port number is not valid.' };
  }
  if (port.protocol !== 'TCP') {
    return { kind: 'unavailable', reason: `kubectl port-forward forwards TCP only; this port is ${port.protocol}.` };
  }
  const localPort = defaultLocalPort(port.port);
  const command = `kubectl port-forward svc/${shellWord(service.name)} -n ${shellWord(service.namespace)} ${localPort}:${port.port}`;
  return { kind: 'command', command, localPort };
}

/**
 * A word a POSIX shell reads back as itself: names of the usual form (letters, digits, `-`, `.`)
 * as they are, anything else in single quotes (a `'` inside written as `'\''`).
 */
function shellWord(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
