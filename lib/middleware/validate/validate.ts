import { FrameworkError, KratosError } from '../../errors/index.js';
import type { Middleware } from '../types.js';
import { isStandardSchema, type StandardIssue, type StandardSchemaV1 } from '../../internal/index.js';

/** A field that failed validation: its dotted path ('' for the whole request) and why. */
export interface Violation {
  field: string;
  message: string;
}

/** Checks a request; returns the violations (empty when valid) and, optionally, the value to use. */
export type Validator = (req: unknown) => Promise<{ violations: Violation[]; value?: unknown }> | { violations: Violation[]; value?: unknown };

function pathOf(issue: StandardIssue): string {
  return (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
}

/** A validator from a Standard Schema (zod, valibot, ...); a transformed output replaces the request. */
export function fromStandardSchema(schema: StandardSchemaV1): Validator {
  if (!isStandardSchema(schema)) {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'validate: the schema does not implement Standard Schema v1 (`~standard`)');
  }
  return async (req) => {
    const r = await schema['~standard'].validate(req);
    if (r.issues === undefined) return { violations: [], value: r.value };
    return { violations: r.issues.map((i) => ({ field: pathOf(i), message: i.message })) };
  };
}

/** The 400 `VALIDATOR` error for a list of violations: fields in the message and in metadata. */
export function validationError(violations: Violation[]): KratosError {
  const text = violations.map((v) => (v.field === '' ? v.message : `${v.field}: ${v.message}`)).join('; ');
  const metadata: Record<string, string> = {};
  for (const v of violations) {
    const key = v.field === '' ? '_' : v.field;
    metadata[key] = metadata[key] === undefined ? v.message : `${metadata[key]}; ${v.message}`;
  }
  return new KratosError(400, 'VALIDATOR', `invalid request: ${text}`, metadata);
}

/**
 * Middleware that runs `validators` on the request before the handler and answers 400 `VALIDATOR`
 * with every failing field; the last validator's output (if any) becomes the request.
 */
export function validate(...validators: Validator[]): Middleware {
  return (next) => async (req, ctx) => {
    let value: unknown = req;
    const violations: Violation[] = [];
    for (const v of validators) {
      const r = await v(value);
      violations.push(...r.violations);
      if (r.violations.length === 0 && 'value' in r) value = r.value;
    }
    if (violations.length > 0) throw validationError(violations);
    return next(value, ctx);
  };
}
