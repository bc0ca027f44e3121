import { objectLabel } from '../model/objects';
import { relatedTemplates, templatesPhrase } from './ports';
import { addLastEntry, setScalar } from './fixes';
import type { RuleReport, ServiceRule } from './rule';

/**
 * The targetPort exists on the Pod, but only for another protocol (UDP vs TCP): the Service port
 * and the container port must agree, so these packets reach nothing.
 */
export const servicePortProtocolMismatch: ServiceRule<'protocol'> = {
  id: 'service-port-protocol-mismatch',
  target: 'service',
  defaultSeverity: 'warning',
  description: 'The targetPort resolves only to container ports of another protocol.',
  summary:
    'The `targetPort` exists only for another protocol (UDP vs TCP).',
  messages: {
    protocol: 'Port {port}/{protocol} targets {target}, which {templates} {declare} only as {other}.',
  },
  check(link, { layout }) {
    const reports: RuleReport<'protocol'>[] = [];
    for (const port of link.ports) {
      const mismatched = port.outcomes.flatMap((outcome) => (outcome.kind === 'protocol' ? [outcome] : []));
      const first = mismatched[0];
      if (!first || port.target === undefined) continue;
      reports.push({
        span: port.fact.protocolSpan ?? port.targetSpan,
        messageId: 'protocol',
        data: {
          port: port.fact.port?.value ?? '?',
          protocol: port.fact.protocol,
          target: port.target,
          templates: templatesPhrase(mismatched.map((outcome) => objectLabel(outcome.template)), link.matches.length),
          other: first.otherProtocols.join('/'),
          declare: mismatched.length === 1 ? 'declares' : 'declare',
        },
        related: relatedTemplates(mismatched, (template) => `${objectLabel(template)} declares ${port.target} only as ${first.otherProtocols.join('/')}`),
        fixes: first.otherProtocols.map((protocol) => ({
          title: `Set the protocol to ${protocol}`,
          edits: [port.fact.protocolSpan ? setScalar(link.service.fileId, port.fact.protocolSpan, protocol) : addLastEntry(layout, link.service.fileId, port.fact.span, 'protocol', protocol)],
        })),
      });
    }
    return reports;
  },
};
