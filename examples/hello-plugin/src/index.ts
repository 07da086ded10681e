import { Type, defineEvent, definePlugin } from '@polis/plugin-api';

/** Someone arrived and wants a greeting. */
export const VisitorArrived = defineEvent({
  type: 'hello.visitor.arrived',
  version: 1,
  description: 'A visitor arrived; `name` is how they like to be called.',
  schema: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }),
});

/** The greeting the plugin sent back. */
export const VisitorGreeted = defineEvent({
  type: 'hello.visitor.greeted',
  version: 1,
  schema: Type.Object({ message: Type.String() }),
});

export default definePlugin({
  name: 'hello',
  version: '1.0.0',
  kernel: '^1',
  description: 'Greets every visitor.',
  config: Type.Object({ greeting: Type.String({ default: 'Hello' }) }),
  consumes: [VisitorArrived],
  publishes: [VisitorGreeted],
  setup(ctx) {
    ctx.on(VisitorArrived, async (event, scope) => {
      await scope.publish(VisitorGreeted, { message: `${ctx.config.greeting}, ${event.data.name}!` });
    });
  },
});
