/**
 * The error codes a CALLERROR may carry in OCPP-J 1.6 (section 4.2.3, table "Valid Error
 * Codes"), spelled as 1.6 spells them: the OCPP 1.6-J errata sheet (section 5, "known issues that
 * will not be fixed") keeps `FormationViolation` and `OccurenceConstraintViolation`, whose
 * corrected spellings only arrived with OCPP 2.0.1 and 2.1.
 */
export const OCPP16_ERROR_CODES = [
  'NotImplemented', // Requested Action is not known by receiver
  'NotSupported', // Requested Action is recognized but not supported by the receiver
  'InternalError', // An internal error occurred and the receiver was not able to process the requested Action successfully
  'ProtocolError', // Payload for Action is incomplete
  'SecurityError', // During the processing of Action a security issue occurred preventing receiver from completing the Action successfully
  'FormationViolation', // Payload for Action is syntactically incorrect or not conform the PDU structure for Action
  'PropertyConstraintViolation', // Payload is syntactically correct but at least one field contains an invalid value
  'OccurenceConstraintViolation', // Payload for Action is syntactically correct but at least one of the fields violates occurence constraints
  'TypeConstraintViolation', // Payload for Action is syntactically correct but at least one of the fields violates data type constraints
  'GenericError', // Any other error not covered by the previous ones
] as const;

export type Ocpp16ErrorCode = (typeof OCPP16_ERROR_CODES)[number];

const VALID = new Set<string>(OCPP16_ERROR_CODES);

/**
 * The codes ocpp-rpc writes that OCPP-J 1.6 does not have. It writes OCPP 2.x codes for frames it
 * cannot read (RpcFrameworkError, MessageTypeNotSupported) and, in 1.6 sessions, turns
 * `OccurenceConstraintViolation` into the 2.1 spelling.
 */
const FROM_LATER_VERSIONS: Readonly<Record<string, Ocpp16ErrorCode>> = {
  FormatViolation: 'FormationViolation',
  OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
  // Not JSON, not an array, no readable message id, or an unknown message type: the frame is not
  // an OCPP-J message at all, which 1.6 can only call a formation violation.
  RpcFrameworkError: 'FormationViolation',
  MessageTypeNotSupported: 'FormationViolation',
};

/**
 * What a JSON Schema failure of a payload (against the official OCPP 1.6 JSON schemas) is in the
 * terms of table 7: a wrong type is a type constraint; a field missing or repeated beyond its
 * cardinality (the "Card." column of the message definitions) an occurrence constraint; a value
 * outside its enumeration, length or range a property constraint; anything that breaks the shape
 * of the PDU (an unknown field, a payload that is not an object) a formation violation.
 */
export function codeForSchemaFailure(keyword: string, instancePath: string): Ocpp16ErrorCode {
  switch (keyword) {
    case 'type':
      return instancePath === '' ? 'FormationViolation' : 'TypeConstraintViolation';
    case 'required':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return 'OccurenceConstraintViolation';
    case 'enum':
    case 'const':
    case 'pattern':
    case 'format':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'multipleOf':
    case 'minLength':
    case 'maxLength':
      return 'PropertyConstraintViolation';
    default:
      return 'FormationViolation';
  }
}

interface SchemaError {
  readonly instancePath?: unknown;
  readonly keyword?: unknown;
  readonly message?: unknown;
  readonly params?: unknown;
}

/** Longest error description we send; OCPP 2.0.1 sets 255, and 1.6 receivers are often no more generous. */
const MAX_DESCRIPTION = 255;

/**
 * Rewrites an outgoing frame into OCPP-J 1.6's dialect: a CALLERROR gets a code from table 7
 * (from the schema failure that caused it, when it was one), a description of at most 255
 * characters, and details that say where the payload failed without echoing the payload back.
 * Every other frame passes through unchanged.
 */
export function inOcpp16Dialect(frame: string): string {
  if (!frame.startsWith('[4,')) return frame;
  let message: unknown;
  try {
    message = JSON.parse(frame);
  } catch {
    return frame;
  }
  if (!Array.isArray(message) || message[0] !== 4) return frame;
  const [, messageId, code, description, details] = message as [number, unknown, unknown, unknown, unknown];
  const errors = schemaErrors(details);
  let ocppCode: Ocpp16ErrorCode;
  let safeDetails: unknown = details ?? {};
  if (errors !== undefined && errors.length > 0) {
    const first = errors[0]!;
    ocppCode = codeForSchemaFailure(String(first.keyword), String(first.instancePath ?? ''));
    safeDetails = {
      errors: errors.slice(0, 5).map((error) => ({ path: String(error.instancePath ?? '') || '/', keyword: String(error.keyword), message: String(error.message ?? '') })),
    };
  } else {
    const text = String(code);
    ocppCode = FROM_LATER_VERSIONS[text] ?? (VALID.has(text) ? (text as Ocpp16ErrorCode) : 'GenericError');
  }
  return JSON.stringify([4, messageId, ocppCode, String(description ?? '').slice(0, MAX_DESCRIPTION), safeDetails]);
}

function schemaErrors(details: unknown): SchemaError[] | undefined {
  const errors = (details as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) && errors.every((error) => typeof (error as SchemaError)?.keyword === 'string') ? (errors as SchemaError[]) : undefined;
}
