import { KratosError, findKratosError } from '../errors/index.js';
import { FrameworkError } from '../errors/index.js';
import { errorEnums } from './error-enums.js';
import { ProtoLoader } from './loader.js';
/** `USER_NOT_FOUND` -> `UserNotFound`. */
export function camelReason(reason) {
    return reason
        .split('_')
        .filter((w) => w !== '')
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
        .join('');
}
/** Helpers for error enum values: the check holds for the same code and reason, whatever the transport. */
export function errorHelpersOf(values) {
    const out = {};
    for (const v of values) {
        const name = camelReason(v.name);
        out[`is${name}`] = (err) => {
            const e = findKratosError(err);
            return e !== undefined && e.code === v.code && e.reason === v.name;
        };
        out[`error${name}`] = (message) => new KratosError(v.code, v.name, message);
    }
    return out;
}
/**
 * Loads the error enums of a .proto at run time and returns their helpers; list the reasons you use
 * to get them typed: `loadErrors<'USER_NOT_FOUND'>(file).isUserNotFound(err)`. A listed reason the
 * file does not declare fails at once.
 */
export function loadErrors(file, ...reasons) {
    const path = file instanceof URL ? file.pathname : file;
    const values = errorEnums(new ProtoLoader().loadSync(path));
    for (const r of reasons) {
        if (!values.some((v) => v.name === r)) {
            throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${path} declares no error reason ${r} (it has: ${values.map((v) => v.name).join(', ')})`);
        }
    }
    return errorHelpersOf(values);
}
