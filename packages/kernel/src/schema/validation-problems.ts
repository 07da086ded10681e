import type { ErrorObject } from 'ajv';

/** One reason data fails its schema: where (JSON Pointer into the data), which rule, why. */
export interface ValidationProblem {
  /** JSON Pointer of the offending value, e.g. `/lanes/2/speedKph` (`` for the root). */
  readonly path: string;
  /** The failed JSON Schema keyword, e.g. `type`, `minimum`, `required`. */
  readonly rule: string;
  readonly message: string;
}

export function toValidationProblems(errors: readonly ErrorObject[] | null | undefined): ValidationProblem[] {
  return (errors ?? []).map((error) => {
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required') {
      return { path: `${error.instancePath}/${String(params.missingProperty)}`, rule: 'required', message: 'is required' };
    }
    if (error.keyword === 'additionalProperties') {
      return {
        path: `${error.instancePath}/${String(params.additionalProperty)}`,
        rule: 'additionalProperties',
        message: 'is not allowed (additionalProperties is false)',
      };
    }
    return { path: error.instancePath, rule: error.keyword, message: error.message ?? 'is invalid' };
  });
}

/** `/severity must be integer (type); /position/lat is required (required)` */
export function formatValidationProblems(problems: readonly ValidationProblem[], limit = 5): string {
  const shown = problems.slice(0, limit).map((p) => `${p.path || '(root)'} ${p.message} (${p.rule})`);
  if (problems.length > limit) shown.push(`and ${problems.length - limit} more`);
  return shown.join('; ');
}
