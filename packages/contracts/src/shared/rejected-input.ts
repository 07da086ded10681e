import { Type } from '@polis/plugin-api';

/**
 * The fields of an event reporting input a plugin refused: what it was, which thing it named
 * (`ref`, described for the domain), where in it the problem is, and why. Domains add their own
 * (a stable `code`, for instance).
 */
export function rejectedInputFields(refDescription: string) {
  return {
    source: Type.String({ description: 'The event type of the refused input' }),
    ref: Type.String({ description: refDescription }),
    path: Type.String({ description: 'Where in the input the problem is (JSON Pointer)' }),
    reason: Type.String(),
  };
}
