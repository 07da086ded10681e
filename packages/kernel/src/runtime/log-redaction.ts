/** What a redacted value is written as. */
export const REDACTED = '[redacted]';

/**
 * Field names whose values are secrets wherever they appear (`token`, `adminToken`, `password`,
 * `mqttPassword`, `seed`, `nkey`, `authorization`, `apiKey`, `secret`, `credentials`...). A key
 * pattern rather than pino's `redact` paths: paths must name each key exactly, and a secret's key
 * varies from one plugin or connector to the next.
 */
const SECRET_KEY = /token|passw|secret|seed|nkey|authori[sz]ation|api[-_]?key|credential|cookie/i;

/**
 * Secrets that travel inside text: an NATS nkey seed (`S` + key type + base32, 58 characters,
 * e.g. `SUAM...`), a bearer token, and the user:password of a URL (`nats://user:pass@host`).
 */
const SECRET_TEXT = [
  { pattern: /\bS[OPNACUX][A-Z2-7]{56}\b/g, replacement: REDACTED },
  { pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, replacement: `$1 ${REDACTED}` },
  { pattern: /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi, replacement: `$1${REDACTED}@` },
] as const;

/** Depth to which nested fields are searched: log fields are shallow, a cycle must not loop. */
const MAX_DEPTH = 4;

/** `text` with every secret pattern replaced. */
export function scrubText(text: string): string {
  // Most lines hold none of the three: one cheap test before any replacement.
  if (!/S[OPNACUX][A-Z2-7]{20}|Bearer|Basic|:\/\//i.test(text)) return text;
  let scrubbed = text;
  for (const { pattern, replacement } of SECRET_TEXT) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}

/** A copy of `fields` with secret-named values replaced and secrets in text removed (pino's `formatters.log`). */
export function scrubSecrets(fields: Record<string, unknown>): Record<string, unknown> {
  return scrubObject(fields, 0) as Record<string, unknown>;
}

function scrubValue(key: string, value: unknown, depth: number): unknown {
  if (value === undefined || value === null) return value;
  // A number or a flag under a secret's name (a simulation's `seed`, `tokensLeft`) is no secret.
  if (SECRET_KEY.test(key) && (typeof value === 'string' || typeof value === 'object')) return REDACTED;
  if (typeof value === 'string') return scrubText(value);
  if (typeof value === 'object' && depth < MAX_DEPTH) return scrubObject(value as object, depth + 1);
  return value;
}

function scrubObject(value: object, depth: number): unknown {
  if (Array.isArray(value)) return value.map((item) => scrubValue('', item, depth));
  // An Error, a Date or a Buffer keeps its own JSON form; its text is scrubbed by the caller's message.
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = scrubValue(key, (value as Record<string, unknown>)[key], depth);
  return out;
}
