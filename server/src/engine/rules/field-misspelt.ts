/**
 * A key that is no field of its object but a small edit away from a field the rules read
 * (`selectr`, `targetport`, `protocl`, `containerPorts`, `matchLabel`). The field meant is then
 * missing, so the object does not do what it reads like (a Service without a selector, a port
 * without its targetPort), and kubectl's strict field validation (`--validate=strict`, its
 * default, done by the API server since Kubernetes 1.27) rejects the unknown field:
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
 * The levels and field lists are in model/misspeltFields.ts.
 */
import type { KubeObject } from '../model/objects';
import type { MisspeltField } from '../model/misspeltFields';
import type { ObjectRule, RuleReport } from './rule';
import { keyIn } from './fixes';

type MessageId = 'misspelt';

function report(field: MisspeltField, fileId: string): RuleReport<MessageId> {
  return {
    span: field.keySpan,
    messageId: 'misspelt',
    data: { key: field.key, field: field.field, where: field.where },
    fixes: [{ title: `Rename ${field.key} to ${field.field}`, edits: [{ span: field.keySpan, newText: keyIn(field.keySpan.fileId ?? fileId, field.field) }] }],
  };
}

export const fieldMisspelt: ObjectRule<MessageId> = {
  id: 'field-misspelt',
  target: 'object',
  defaultSeverity: 'warning',
  description: 'A key is no field of its object but is a small edit away from a field Service Lens reads: the field meant is missing, and kubectl rejects the unknown one.',
  summary:
    'A key that is no field of its object but is one or two edits away from a field that links Services and Pods (`selectr`, `targetport`, `protocl`, `containerPorts`, `matchLabel`): the field meant is missing, and kubectl\'s strict field validation rejects the unknown field.',
  messages: {
    misspelt: '{key} is not a field of the {where}: did you mean {field}? kubectl rejects unknown fields, and without {field} this object does not do what it reads like.',
  },
  check(object: KubeObject) {
    if (object.shape !== 'service' && object.shape !== 'template') return [];
    return object.misspeltFields.map((field) => report(field, object.fileId));
  },
};
