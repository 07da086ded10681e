import { CLI_VERSION } from '../cli-version.js';

/** The @polis packages a scaffold depends on: the release line of this CLI. */
const polisRange = `^${CLI_VERSION}`;

/** Tool versions known to work together with Polis (the ones its own repository uses). */
const TOOLS = { '@types/node': '^20.19.0', tsup: '8.5.0', typescript: '5.9.3', vite: '8.3.8', vitest: '4.1.12' } as const;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** `air-quality` -> `AirQuality`. */
function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/** The files of `polis new plugin <name>`, by path. */
export function pluginFiles(name: string): Record<string, string> {
  const title = pascal(name);
  return {
    'package.json': json({
      name: `polis-plugin-${name}`,
      version: '0.1.0',
      description: `Polis plugin ${name}: raises an alert when a reading goes over a threshold`,
      type: 'module',
      keywords: ['polis-plugin'],
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      files: ['dist'],
      scripts: {
        build: 'tsup src/index.ts --format esm --dts --clean && polis manifest',
        typecheck: 'tsc --noEmit',
        test: 'tsc --noEmit && vitest run',
        prepack: 'npm run build',
      },
      peerDependencies: { '@polis/plugin-api': polisRange },
      devDependencies: { '@polis/cli': polisRange, '@polis/plugin-api': polisRange, '@polis/testkit': polisRange, ...TOOLS },
      // What `polis manifest` writes at build time; here from the start, so the package describes itself.
      polis: {
        plugin: name,
        version: '0.1.0',
        kernel: '^1',
        manifest: './dist/polis-manifest.json',
        publishes: [`${name}.threshold.exceeded@1`],
        consumes: [`${name}.reading.received@1`],
      },
    }),
    'tsconfig.json': json({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        strict: true,
        noUncheckedIndexedAccess: true,
        isolatedModules: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        noEmit: true,
      },
      include: ['src'],
    }),
    '.gitignore': 'node_modules/\ndist/\n*.tgz\n',
    'src/events.ts': `import { Type, defineEvent } from '@polis/plugin-api';

/** A sensor reported a value. Events are contracts: change the schema, raise the version. */
export const ReadingReceived = defineEvent({
  type: '${name}.reading.received',
  version: 1,
  schema: Type.Object({ sensorId: Type.String({ minLength: 1 }), value: Type.Number() }),
});

/** A reading went over the configured threshold. */
export const ThresholdExceeded = defineEvent({
  type: '${name}.threshold.exceeded',
  version: 1,
  schema: Type.Object({ sensorId: Type.String(), value: Type.Number(), threshold: Type.Number() }),
});
`,
    'src/index.ts': `import { Type, definePlugin } from '@polis/plugin-api';
import { ReadingReceived, ThresholdExceeded } from './events.js';

export * from './events.js';

/** ${name}: raises an alert when a reading goes over the configured threshold. */
export default definePlugin({
  name: '${name}',
  version: '0.1.0',
  kernel: '^1',
  config: Type.Object({ threshold: Type.Number({ default: 100 }) }),
  consumes: [ReadingReceived],
  publishes: [ThresholdExceeded],
  setup(ctx) {
    ctx.on(ReadingReceived, async (event, scope) => {
      const { sensorId, value } = event.data;
      if (value > ctx.config.threshold) await scope.publish(ThresholdExceeded, { sensorId, value, threshold: ctx.config.threshold });
    });
  },
});
`,
    'src/index.test.ts': `import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import ${camel(title)}, { ReadingReceived, ThresholdExceeded } from './index.js';

describe('${name}', () => {
  it('raises an alert for a reading over the threshold, as a reply to the reading', async () => {
    const kit = await startTestKernel({ plugins: [{ plugin: ${camel(title)}, config: { threshold: 50 } }] });
    const reading = await kit.publish(ReadingReceived, { sensorId: 's-1', value: 80 });
    const alert = await kit.expectEvent(ThresholdExceeded, { within: 1000 });
    expect(alert.data).toEqual({ sensorId: 's-1', value: 80, threshold: 50 });
    expect(alert.causationid).toBe(reading.id);
    await kit.stop();
  });

  it('stays quiet below the default threshold', async () => {
    const kit = await startTestKernel({ plugins: [${camel(title)}] });
    await kit.publish(ReadingReceived, { sensorId: 's-1', value: 99 });
    await kit.expectNoEvent(ThresholdExceeded);
    await kit.stop();
  });
});
`,
    'README.md': `# polis-plugin-${name}

A [Polis](https://www.npmjs.com/package/@polis/cli) plugin.

\`\`\`sh
npm install        # once
npm test           # typecheck, then the tests (a real kernel, the test kit's fake clock)
npm run build      # dist/ and the manifest (dist/polis-manifest.json, the package.json "polis" field)
npm pack           # the tarball a deployment installs; npm publish when ready
\`\`\`
`,
  };
}

/** The files of `polis new city <name>`, by path. */
export function cityFiles(name: string, plugins: readonly string[]): Record<string, string> {
  const entries = plugins.length > 0 ? plugins.map((p) => `  - package: '${p}'\n    config: {}\n`).join('') : `  - package: polis-plugin-example   # an installed plugin package, or ./path/to/a/package\n    config: {}\n`;
  return {
    'city.yaml': `# ${name}: a Polis deployment. Check it without running anything, then run it:
#   npx polis check city.yaml
#   npx polis start city.yaml        (Ctrl-C stops it)
name: ${name}

transport:
  kind: memory          # or: { kind: nats, servers: [nats://127.0.0.1:4222] }

clock:
  speed: 1              # > 1 runs simulated time faster than the wall clock

log:
  level: info
  format: pretty        # json for log shippers

plugins:
${entries}`,
    'package.json': json({
      name: `${name}-city`,
      version: '0.1.0',
      private: true,
      type: 'module',
      scripts: { check: 'polis check city.yaml', start: 'polis start city.yaml' },
      dependencies: { '@polis/cli': polisRange },
    }),
    '.gitignore': 'node_modules/\n*.ndjson\n',
  };
}

function camel(pascalName: string): string {
  return pascalName.charAt(0).toLowerCase() + pascalName.slice(1);
}
