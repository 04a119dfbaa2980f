import { fromError } from './from-error.js';
import { KratosError } from './kratos-error.js';
function maker(code) {
    return (reason, message) => new KratosError(code, reason, message);
}
function checker(code) {
    return (err) => fromError(err)?.code === code;
}
/** 400 */ export const badRequest = maker(400);
/** 401 */ export const unauthorized = maker(401);
/** 403 */ export const forbidden = maker(403);
/** 404 */ export const notFound = maker(404);
/** 409 */ export const conflict = maker(409);
/** 429 */ export const tooManyRequests = maker(429);
/** 499 */ export const clientClosed = maker(499);
/** 500 */ export const internalServer = maker(500);
/** 503 */ export const serviceUnavailable = maker(503);
/** 504 */ export const gatewayTimeout = maker(504);
export const isBadRequest = checker(400);
export const isUnauthorized = checker(401);
export const isForbidden = checker(403);
export const isNotFound = checker(404);
export const isConflict = checker(409);
export const isTooManyRequests = checker(429);
export const isClientClosed = checker(499);
export const isInternalServer = checker(500);
export const isServiceUnavailable = checker(503);
export const isGatewayTimeout = checker(504);
