import { KratosError } from '../errors/index.js';
/**
 * The error a rejected call fails with (Kratos `ErrLimitExceed`).
 * @public
 */
export function rateLimited() {
    return new KratosError(429, 'RATELIMIT', 'service unavailable due to rate limit exceeded');
}
