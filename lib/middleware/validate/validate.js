import { FrameworkError, KratosError } from '../../errors/index.js';
import { isStandardSchema } from '../../internal/index.js';
function pathOf(issue) {
    return (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
}
/** A validator from a Standard Schema (zod, valibot, ...); a transformed output replaces the request. */
export function fromStandardSchema(schema) {
    if (!isStandardSchema(schema)) {
        throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'validate: the schema does not implement Standard Schema v1 (`~standard`)');
    }
    return async (req) => {
        const r = await schema['~standard'].validate(req);
        if (r.issues === undefined)
            return { violations: [], value: r.value };
        return { violations: r.issues.map((i) => ({ field: pathOf(i), message: i.message })) };
    };
}
/** The 400 `VALIDATOR` error for a list of violations: fields in the message and in metadata. */
export function validationError(violations) {
    const text = violations.map((v) => (v.field === '' ? v.message : `${v.field}: ${v.message}`)).join('; ');
    const metadata = {};
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
export function validate(...validators) {
    return (next) => async (req, ctx) => {
        let value = req;
        const violations = [];
        for (const v of validators) {
            const r = await v(value);
            violations.push(...r.violations);
            if (r.violations.length === 0 && 'value' in r)
                value = r.value;
        }
        if (violations.length > 0)
            throw validationError(violations);
        return next(value, ctx);
    };
}
