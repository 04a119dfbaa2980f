import { FrameworkError } from '../errors/index.js';
/**
 * Returns `value ?? fallback` after checking it (pass `NaN` as the fallback of a required option), so a typo such as `attempts: 0` fails at construction
 * instead of silently disabling a safety net at run time.
 * @internal
 */
export function numberOption(owner, name, value, fallback, rule = {}) {
    const v = value ?? fallback;
    const tooLow = rule.min !== undefined && (rule.exclusiveMin === true ? v <= rule.min : v < rule.min);
    const tooHigh = rule.max !== undefined && v > rule.max;
    if (typeof v !== 'number' || Number.isNaN(v) || tooLow || tooHigh || (rule.integer === true && !Number.isInteger(v))) {
        const bounds = [
            rule.integer === true ? 'an integer' : 'a number',
            rule.min === undefined ? '' : `${rule.exclusiveMin === true ? '>' : '>='} ${rule.min}`,
            rule.max === undefined ? '' : `<= ${rule.max}`,
        ].filter((s) => s !== '');
        throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `${owner}: option \`${name}\` must be ${bounds.join(' ')}, got ${value === undefined ? 'nothing' : String(value)}`);
    }
    return v;
}
/**
 * Returns `value ?? fallback` after checking it is a function.
 * @internal
 */
export function functionOption(owner, name, value, fallback) {
    const v = value ?? fallback;
    if (typeof v !== 'function') {
        throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `${owner}: option \`${name}\` must be a function, got ${typeof v}`);
    }
    return v;
}
