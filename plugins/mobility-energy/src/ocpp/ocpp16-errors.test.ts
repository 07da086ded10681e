import { describe, expect, it } from 'vitest';
import { OCPP16_ERROR_CODES, codeForSchemaFailure, inOcpp16Dialect } from './ocpp16-errors.js';

const parse = (frame: string) => JSON.parse(frame) as unknown[];

describe('the OCPP-J 1.6 error dialect', () => {
  it('has exactly the ten codes of OCPP-J 1.6 table 7, with the spellings its errata keep', () => {
    expect(OCPP16_ERROR_CODES).toHaveLength(10);
    expect(OCPP16_ERROR_CODES).toContain('FormationViolation');
    expect(OCPP16_ERROR_CODES).toContain('OccurenceConstraintViolation');
    expect(OCPP16_ERROR_CODES).not.toContain('OccurrenceConstraintViolation');
    expect(OCPP16_ERROR_CODES).not.toContain('RpcFrameworkError');
  });

  it('turns the OCPP 2.x codes ocpp-rpc writes into 1.6 codes', () => {
    expect(parse(inOcpp16Dialect('[4,"-1","RpcFrameworkError","Message must be a JSON structure",{}]'))).toEqual([4, '-1', 'FormationViolation', 'Message must be a JSON structure', {}]);
    expect(parse(inOcpp16Dialect('[4,"-1","MessageTypeNotSupported","Unrecognised message type",{}]'))[2]).toBe('FormationViolation');
    expect(parse(inOcpp16Dialect('[4,"m6","OccurrenceConstraintViolation","x",{}]'))[2]).toBe('OccurenceConstraintViolation');
    expect(parse(inOcpp16Dialect('[4,"m6","FormatViolation","x",{}]'))[2]).toBe('FormationViolation');
    expect(parse(inOcpp16Dialect('[4,"m1","NotImplemented","Unable to handle \'FooBar\' calls",{}]'))[2]).toBe('NotImplemented');
    expect(parse(inOcpp16Dialect('[4,"m1","SomethingElse","?",{}]'))[2]).toBe('GenericError');
  });

  it('names a schema failure by what broke, and does not echo the payload back', () => {
    const frame = JSON.stringify([
      4,
      'm4',
      'FormationViolation',
      'data/status must be equal to one of the allowed values',
      { errors: [{ instancePath: '/status', schemaPath: '#/properties/status/enum', keyword: 'enum', params: {}, message: 'must be equal to one of the allowed values' }], data: { status: 'Bogus', secret: 'x' } },
    ]);
    expect(parse(inOcpp16Dialect(frame))).toEqual([
      4,
      'm4',
      'PropertyConstraintViolation',
      'data/status must be equal to one of the allowed values',
      { errors: [{ path: '/status', keyword: 'enum', message: 'must be equal to one of the allowed values' }] },
    ]);
  });

  it.each([
    ['type', '/connectorId', 'TypeConstraintViolation'],
    ['type', '', 'FormationViolation'],
    ['required', '', 'OccurenceConstraintViolation'],
    ['minItems', '/meterValue', 'OccurenceConstraintViolation'],
    ['maxLength', '/idTag', 'PropertyConstraintViolation'],
    ['format', '/timestamp', 'PropertyConstraintViolation'],
    ['additionalProperties', '', 'FormationViolation'],
  ])('maps a %s failure at %j to %s', (keyword, path, code) => {
    expect(codeForSchemaFailure(keyword, path)).toBe(code);
  });

  it('keeps descriptions within 255 characters and leaves other frames alone', () => {
    expect((parse(inOcpp16Dialect(JSON.stringify([4, 'id', 'GenericError', 'x'.repeat(1000), {}])))[3] as string).length).toBe(255);
    const result = '[3,"id",{"currentTime":"2026-01-01T00:00:00Z"}]';
    expect(inOcpp16Dialect(result)).toBe(result);
    expect(inOcpp16Dialect('[4,broken')).toBe('[4,broken');
  });
});
