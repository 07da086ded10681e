import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MqttErrorCodes } from '@polis/connector-mqtt';
import { HttpErrorCodes } from '@polis/http';
import { ErrorCodes } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import { catalogueProblems } from './error-catalogue.js';

const root = join(import.meta.dirname, '../..');

describe('the error catalogue (docs/errors.md)', () => {
  it('documents every code the source raises, and only those: the kernel codes, the HTTP gateway codes and the MQTT connector codes', () => {
    expect(
      catalogueProblems({
        root,
        codes: ErrorCodes,
        catalogue: 'docs/errors.md',
        declaration: 'packages/plugin-api/src/errors.ts',
        others: [
          { codes: HttpErrorCodes, declaration: 'packages/http/src/problems/problem.ts', constant: 'HttpErrorCodes' },
          { codes: MqttErrorCodes, declaration: 'packages/connector-mqtt/src/mqtt-connector.ts', constant: 'MqttErrorCodes' },
        ],
      }),
    ).toEqual([]);
  });

  it('says which code is missing where, in both directions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'polis-catalogue-'));
    try {
      mkdirSync(join(dir, 'packages/kernel/src'), { recursive: true });
      mkdirSync(join(dir, 'docs'));
      writeFileSync(join(dir, 'packages/kernel/src/a.ts'), "import { ErrorCodes } from '@polis/plugin-api';\n\nthrow new PolisError(ErrorCodes.NEW_THING, 'x');\nErrorCodes.KEPT;\n");
      writeFileSync(join(dir, 'packages/kernel/src/a.test.ts'), 'ErrorCodes.ONLY_IN_TESTS;\n');
      writeFileSync(
        join(dir, 'docs/errors.md'),
        ['# Codes', '### POLIS_KEPT', '- **Means:** m', '- **Raised by:** r', '- **What to do:** w', '### POLIS_GONE', '- **Means:** m', '### POLIS_TYPO', '- **Means:** m', '- **Raised by:** r', '- **What to do:** w'].join('\n'),
      );
      const codes = { NEW_THING: 'POLIS_NEW_THING', KEPT: 'POLIS_KEPT', GONE: 'POLIS_GONE', ONLY_IN_TESTS: 'POLIS_ONLY_IN_TESTS' };
      expect(catalogueProblems({ root: dir, codes, catalogue: 'docs/errors.md', declaration: 'packages/plugin-api/src/errors.ts' })).toEqual([
        'docs/errors.md:6: the section of POLIS_GONE lacks **Raised by:**, **What to do:**: say what it means, who raises it and what to do.',
        "POLIS_NEW_THING (ErrorCodes.NEW_THING) is raised at packages/kernel/src/a.ts:3 but docs/errors.md has no '### POLIS_NEW_THING' section: add one saying what it means, who raises it and what to do.",
        'docs/errors.md:6 documents POLIS_GONE, but no source file raises it (ErrorCodes.GONE appears nowhere but packages/plugin-api/src/errors.ts): remove the code, or raise it where it applies.',
        'docs/errors.md:8 documents POLIS_TYPO, which packages/plugin-api/src/errors.ts does not declare: fix the name or remove the section.',
        'POLIS_ONLY_IN_TESTS (ErrorCodes.ONLY_IN_TESTS) is declared in packages/plugin-api/src/errors.ts but never raised nor documented: remove it.',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
