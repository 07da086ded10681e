import { Type } from '@sinclair/typebox';
import { defineEvent } from './define-event.js';

/**
 * Published by the kernel when a handler kept failing or an event could not be accepted from
 * the wire. A plugin that declares it in `consumes` can watch the dead-letter channel.
 */
export const EventDeadLettered = defineEvent({
  type: 'kernel.event.deadlettered',
  version: 1,
  description: 'An event that could not be handled, with the reason and the original event.',
  schema: Type.Object({
    /** The consuming plugin, or `kernel` when the event was refused before any handler. */
    plugin: Type.String(),
    /** The subscription's pattern. */
    subscription: Type.String(),
    attempts: Type.Integer({ minimum: 0 }),
    reason: Type.String(),
    code: Type.Optional(Type.String()),
    /** The original event, when it could be decoded. */
    event: Type.Optional(Type.Unknown()),
    /** The original message, when it could not be decoded. */
    raw: Type.Optional(Type.Object({ subject: Type.String(), headers: Type.Record(Type.String(), Type.String()), payload: Type.String() })),
  }),
});
