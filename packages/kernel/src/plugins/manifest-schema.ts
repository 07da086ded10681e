/** JSON Schema of a plugin manifest's data (`setup` is checked apart: JSON Schema has no functions). */
const eventDefinition = {
  type: 'object',
  required: ['kind', 'type', 'version', 'schema'],
  properties: {
    kind: { const: 'event' },
    type: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    schema: { type: 'object' },
    description: { type: 'string' },
    priority: { enum: ['emergency', 'routine'] },
    compatibility: { enum: ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE'] },
  },
} as const;

const queryDefinition = {
  type: 'object',
  required: ['kind', 'type', 'version', 'request', 'response'],
  properties: {
    kind: { const: 'query' },
    type: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    request: { type: 'object' },
    response: { type: 'object' },
  },
} as const;

const serviceRef = {
  type: 'object',
  required: ['kind', 'id'],
  properties: { kind: { const: 'service' }, id: { type: 'string', minLength: 1 } },
} as const;

export const manifestSchema = {
  type: 'object',
  required: ['name', 'version', 'kernel'],
  properties: {
    name: {
      type: 'string',
      pattern: '^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$',
      maxLength: 214,
    },
    version: { type: 'string', minLength: 1 },
    kernel: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    config: { type: 'object' },
    publishes: { type: 'array', items: eventDefinition },
    consumes: { type: 'array', items: { anyOf: [eventDefinition, { type: 'string' }] } },
    requests: { type: 'array', items: queryDefinition },
    answers: { type: 'array', items: queryDefinition },
    provides: { type: 'array', items: serviceRef },
    needs: { type: 'object', additionalProperties: serviceRef },
  },
} as const;
