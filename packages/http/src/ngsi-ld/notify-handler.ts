import type { Request, Response } from 'express';
import { fiwareEntityValidator, isFiwareModelName, toKeyValues } from '@polis/contracts';
import type { EntityFormat, FiwareEntity, FiwareValidation, KeyValuesOptions } from '@polis/contracts';
import { ErrorCodes, schemaUrn } from '@polis/plugin-api';
import type { Principal } from '../auth/principals.js';
import type { NgsiLdEntitySpec } from '../config/gateway-spec.js';
import { parseJsonBody } from '../express/json-body.js';
import { traceOf } from '../express/tracing.js';
import type { Accepted, ExternalPublisher } from '../ingest/external-publisher.js';
import { HttpErrorCodes, HttpProblem, toProblem } from '../problems/problem.js';
import type { ProblemDocument } from '../problems/problem.js';

type EntityResult = ({ readonly status: 202; readonly entityId: string } & Accepted) | { readonly status: number; readonly entityId: string | undefined; readonly problem: ProblemDocument };

const FORMATS: Record<string, EntityFormat> = { normalized: 'normalized', concise: 'concise', simplified: 'simplified', keyvalues: 'simplified' };
const MAX_ENTITIES = 1000;

/**
 * `POST /ngsi-ld/notify`: a context broker's notification (Orion-LD, Scorpio; NGSI-LD
 * `{ type: 'Notification', data: [...] }`, or NGSI-v2's `{ subscriptionId, data }`). Each entity
 * of a mapped type is converted to key-values (normalized, concise or key-values; one instance of
 * a multi-attribute; one language of a LanguageProperty), validated against its Smart Data Model
 * when Polis ships it, and published as `{ entity }` in the mapped event type, on behalf of the
 * calling source. The reply has one result per entity: 200 when all were published, 207 otherwise.
 */
export function ngsiLdNotifyHandler(publisher: ExternalPublisher, mappings: readonly NgsiLdEntitySpec[]): (req: Request, res: Response, principal: Principal) => Promise<void> {
  const validators = new Map<string, (entity: FiwareEntity, options?: KeyValuesOptions) => FiwareValidation>();
  for (const mapping of mappings) {
    if (isFiwareModelName(mapping.entityType)) validators.set(mapping.entityType, fiwareEntityValidator(mapping.entityType));
  }
  return async (req, res, principal) => {
    const notification = parseJsonBody(req);
    const data = entitiesOf(notification);
    const formatHeader = req.headers['ngsild-attribute-format'];
    const format = typeof formatHeader === 'string' ? FORMATS[formatHeader.trim().toLowerCase()] : undefined;
    if (typeof formatHeader === 'string' && format === undefined) {
      throw new HttpProblem(400, HttpErrorCodes.PARAMETER_INVALID, `Ngsild-Attribute-Format '${formatHeader}' is none of Normalized, Concise, Simplified`);
    }
    const notificationId = typeof (notification as { id?: unknown }).id === 'string' ? (notification as { id: string }).id : undefined;
    const results = await Promise.all(
      data.map(async (entity, index): Promise<EntityResult> => {
        const entityId = typeof (entity as { id?: unknown })?.id === 'string' ? (entity as { id: string }).id : undefined;
        try {
          const { mapping, values } = convert(entity, index, mappings, validators, format ?? 'auto');
          const event = {
            // A broker that retries a notification sends the same notification id: publish each entity once.
            id: notificationId === undefined ? `${values.id as string}#${index}@${Date.now()}` : `${notificationId}/${values.id as string}`,
            type: mapping.event,
            dataschema: mapping.version === undefined ? undefined : schemaUrn(mapping.event, mapping.version),
            subject: values.id as string,
            priority: undefined,
            data: { entity: values },
          };
          const accepted = await publisher.publish(principal, event, publisher.prepare(principal, event), traceOf(res));
          return { status: 202, entityId: entityId!, ...accepted };
        } catch (error) {
          const { problem } = toProblem(error);
          return { status: problem.status, entityId, problem };
        }
      }),
    );
    const all = results.every((result) => result.status === 202);
    res.status(all ? 200 : 207).json({ accepted: results.filter((r) => r.status === 202).length, refused: results.filter((r) => r.status !== 202).length, results });
  };
}

function entitiesOf(notification: unknown): readonly unknown[] {
  const envelope = notification as { type?: unknown; data?: unknown } | null;
  if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope)) {
    throw new HttpProblem(400, HttpErrorCodes.NOTIFICATION_INVALID, 'a notification is a JSON object with a data array of entities', [{ path: '', rule: 'type', message: 'must be object' }]);
  }
  if (envelope.type !== undefined && envelope.type !== 'Notification') {
    throw new HttpProblem(400, HttpErrorCodes.NOTIFICATION_INVALID, `type is '${String(envelope.type)}'; an NGSI-LD notification has type Notification`, [{ path: '/type', rule: 'const', message: 'must be Notification' }]);
  }
  if (!Array.isArray(envelope.data) || envelope.data.length === 0) {
    throw new HttpProblem(400, HttpErrorCodes.NOTIFICATION_INVALID, 'the notification has no entities (data must be a non-empty array)', [{ path: '/data', rule: 'type', message: 'must be a non-empty array' }]);
  }
  if (envelope.data.length > MAX_ENTITIES) {
    throw new HttpProblem(413, HttpErrorCodes.NOTIFICATION_INVALID, `the notification has ${envelope.data.length} entities; at most ${MAX_ENTITIES}`, [{ path: '/data', rule: 'maxItems', message: `at most ${MAX_ENTITIES}` }]);
  }
  return envelope.data;
}

function convert(
  entity: unknown,
  index: number,
  mappings: readonly NgsiLdEntitySpec[],
  validators: ReadonlyMap<string, (entity: FiwareEntity, options?: KeyValuesOptions) => FiwareValidation>,
  format: EntityFormat,
): { mapping: NgsiLdEntitySpec; values: Record<string, unknown> } {
  const record = entity as Record<string, unknown> | null;
  if (record === null || typeof record !== 'object' || Array.isArray(record) || typeof record.id !== 'string' || typeof record.type !== 'string') {
    throw new HttpProblem(422, HttpErrorCodes.NOTIFICATION_INVALID, `data[${index}] is no entity: an entity is an object with string id and type`, [{ path: '', rule: 'required', message: 'needs id and type' }]);
  }
  // A broker without the model's @context sends the expanded type IRI; its last segment is the name.
  const shortType = record.type.slice(Math.max(record.type.lastIndexOf('/'), record.type.lastIndexOf('#')) + 1);
  const mapping = mappings.find((candidate) => candidate.entityType === record.type || candidate.entityType === shortType);
  if (mapping === undefined) {
    throw new HttpProblem(422, HttpErrorCodes.ENTITY_UNMAPPED, `entities of type '${record.type}' are mapped to no event in this city`, [{ path: '/type', rule: 'enum', message: `must be one of ${mappings.map((m) => m.entityType).join(', ')}` }]);
  }
  const typed = { ...record, type: mapping.entityType } as FiwareEntity;
  const options: KeyValuesOptions = { format, ...(mapping.datasetId ? { datasetId: mapping.datasetId } : {}), ...(mapping.language ? { language: mapping.language } : {}) };
  const validate = validators.get(mapping.entityType);
  if (validate === undefined) return { mapping, values: toKeyValues(typed, options) };
  const checked = validate(typed, options);
  if (!checked.ok) {
    const errors = checked.problems.map((problem) => ({ ...problem, path: problem.path.replace(/^\/entity/, '') }));
    throw new HttpProblem(422, ErrorCodes.EVENT_INVALID, `${record.id}: ${checked.reason}`, errors, { model: mapping.entityType });
  }
  return { mapping, values: { ...checked.values } };
}
