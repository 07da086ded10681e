import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { polisWith } from '../support/polis-command.js';

// Issue #9, item 6, as the `polis` command prints it: `polis check` once printed /etc/passwd and
// the process environment, crashed with a stack trace on an alias bomb and let `.inf` through to
// crash `start`. read-deployment.test.ts covers each rule at the reader; this checks the output.
const CANARY = 'polis-canary-3d91f0';
const plugin = `export default { name: 'meter', version: '1.0.0', kernel: '^1', setup() {} };\n`;

describe('what polis check and polis start print about a deployment that reaches outside its folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'polis-confined-'));
  const city = join(root, 'city');
  mkdirSync(city);
  writeFileSync(join(city, 'meter.mjs'), plugin);
  writeFileSync(join(root, 'outside.json'), JSON.stringify({ token: CANARY }));
  symlinkSync('/proc/self/environ', join(city, 'environ.json'));
  symlinkSync('/etc', join(city, 'etc'));
  symlinkSync(join(root, 'outside.json'), join(city, 'outside.json'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const file = (name: string, text: string) => {
    writeFileSync(join(city, name), text);
    return join(city, name);
  };
  /** Runs the command with a secret in its environment; nothing it prints may show a file's or the environment's content, or a stack. */
  const run = async (...args: string[]) => {
    const result = await polisWith({ env: { POLIS_CANARY: CANARY } }, ...args);
    const output = `${result.stdout}${result.stderr}`;
    expect(output).not.toContain(CANARY);
    expect(output).not.toMatch(/root:x?:0:|PATH=|HOME=/);
    expect(output).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n|ReferenceError|TypeError|RangeError/);
    return { ...result, output };
  };

  it('polis check refuses every include that reaches outside, each naming its rule, none its content', async () => {
    const includes = [
      ['../../../../../../../../etc/passwd', /'(\.\.\/)+etc\/passwd': it resolves outside the deployment's folder/],
      ['/etc/passwd', /\$include path must be relative .* absolute paths are refused/],
      ['/dev/zero', /\$include path must be relative .* absolute paths are refused/],
      ['./environ.json', /'\.\/environ\.json': it resolves outside the deployment's folder/],
      ['./outside.json', /'\.\/outside\.json': it resolves outside the deployment's folder/],
      ['./etc/passwd', /'\.\/etc\/passwd': it resolves outside the deployment's folder/],
    ] as const;
    const entries = includes.map(([path], i) => `  - package: ./meter.mjs\n    config: { data${i}: { $include: ${path} } }\n`).join('');
    const result = await run('check', file('includes.yaml', `name: includes\nplugins:\n${entries}`));
    expect(result.code).toBe(1);
    for (const [, reason] of includes) expect(result.output).toMatch(reason);
  }, 120_000);

  it('polis start refuses a broker secret read from outside the folder without printing it', async () => {
    const result = await run('start', file('secret.yaml', 'name: secret\ntransport:\n  kind: nats\n  user: kernel\n  pass: { file: ../outside.json }\nplugins:\n  - package: ./meter.mjs\n'), '--duration', '1');
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/outside the deployment's folder/);
    expect(result.output).not.toContain('kernel started');
  }, 120_000);

  it('polis check refuses an alias bomb, __proto__ and .inf with a clear error; polis start refuses .inf before anything starts', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h'].entries()) levels.push(`${name}: &${name} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`);
    const bomb = await run('check', file('bomb.yaml', `${levels.join('\n')}\nname: bomb\nplugins:\n  - package: ./meter.mjs\n`));
    expect(bomb.code).toBe(1);
    expect(bomb.output).toContain('its aliases expand too far');
    const checked = await run('check', file('proto.yaml', 'name: proto\nclock: { speed: .inf }\nplugins:\n  - package: ./meter.mjs\n    __proto__: { enabled: false }\n'));
    expect(checked.code).toBe(1);
    expect(checked.output).toContain("the key '__proto__' is refused");
    expect(checked.output).toContain('numbers must be finite');
    const infinite = file('inf.yaml', 'name: inf\nclock: { speed: .inf }\nplugins:\n  - package: ./meter.mjs\n');
    const started = await run('start', infinite, '--duration', '1');
    expect(started.code).not.toBe(0);
    expect(started.output).toContain('numbers must be finite');
    expect(started.output).not.toContain('kernel started');
  }, 120_000);
});
