import { objectLabel } from '../model/objects';
import { formatList, formatObjects, formatSelector, type ServiceRule } from './rule';
import { addEntryAfter, setScalar } from './fixes';

/**
 * A Service only selects Pods in its own namespace; templates that match in another namespace
 * usually mean a missing or wrong `metadata.namespace` on one side.
 */
export const serviceSelectorOtherNamespace: ServiceRule<'otherNamespace'> = {
  id: 'service-selector-other-namespace',
  target: 'service',
  defaultSeverity: 'warning',
  description: 'The Service selector matches nothing in its own namespace but matches Pod templates in other namespaces.',
  summary:
    "Nothing matches in the Service's namespace, but templates in other namespaces do.",
  messages: {
    otherNamespace:
      'Selector {selector} matches no Pod template in namespace {namespace}, but matches {templates} in namespace {namespaces}; a Service only selects Pods in its own namespace.',
  },
  check(link, { layout }) {
    const { service } = link;
    // Pod templates another build of the workspace makes in the Service's namespace are matched (analysis/elsewhere.ts).
    if (!link.selecting || !service.selector || link.matches.length > 0 || link.otherNamespace.length === 0 || link.elsewhere) return [];
    const namespaces = [...new Set(link.otherNamespace.map((template) => template.namespace))].sort();
    return [
      {
        span: service.selectorSpan ?? service.nameSpan,
        messageId: 'otherNamespace',
        data: {
          selector: formatSelector(service.selector),
          namespace: service.namespace,
          templates: formatObjects(link.otherNamespace.map(objectLabel)),
          namespaces: formatList(namespaces),
        },
        related: link.otherNamespace.slice(0, 20).map((template) => ({
          fileId: template.fileId,
          span: template.nameSpan,
          message: `${objectLabel(template)} in namespace ${template.namespace} matches the selector`,
        })),
        fixes: namespaces.slice(0, 3).flatMap((namespace) => {
          const edit = service.namespaceSpan
            ? setScalar(service.fileId, service.namespaceSpan, namespace)
            : service.nameKeySpan
              ? addEntryAfter(layout, service.fileId, { keySpan: service.nameKeySpan, span: { ...service.nameSpan, start: service.nameKeySpan.start } }, 'namespace', namespace)
              : undefined;
          return edit ? [{ title: `Move Service/${service.name} to namespace ${namespace}`, edits: [edit] }] : [];
        }),
      },
    ];
  },
};
