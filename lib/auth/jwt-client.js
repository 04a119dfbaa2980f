import { decodeJwt, SignJWT } from 'jose';
import { FrameworkError } from '../errors/index.js';
import { JWT_SIGN_FAILED, JWT_WRONG_CONTEXT, unauthorized } from './jwt-errors.js';
import { toJoseKey } from './jwt-key.js';
/** Lifetime of a client token when `expiresIn` is not given. @public */
export const DEFAULT_EXPIRES_IN = '5m';
/** A cached token is replaced this long before it expires, so it never arrives already expired. */
const REFRESH_MARGIN_MS = 30_000;
function invalidOptions(message) {
    return new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `jwtClient: ${message}`);
}
function checkOptions(options) {
    if (typeof options !== 'object' || options === null)
        throw invalidOptions('options must be an object');
    if (options.key === undefined || options.key === null || options.key === '')
        throw invalidOptions('key is required');
    if (typeof options.algorithm !== 'string' || options.algorithm === '')
        throw invalidOptions('algorithm is required');
    if (options.algorithm.toLowerCase() === 'none')
        throw invalidOptions("algorithm 'none' signs nothing");
    const exp = options.expiresIn;
    if (exp !== undefined && !(typeof exp === 'string' ? exp !== '' : Number.isFinite(exp) && exp > 0)) {
        throw invalidOptions('expiresIn must be a positive number of seconds or a time span such as "5m"');
    }
}
/**
 * Client middleware that signs a JWT and sends it as `authorization: Bearer <token>` (Kratos
 * `auth/jwt.Client`). With static claims one token is reused until shortly before it expires; with a
 * claims function each call gets its own. A signing failure is a 401 `UNAUTHORIZED` `KratosError`
 * `Can not sign token.Is the key correct?`.
 *
 * @throws FrameworkError `KRATOS_ERR_OPTIONS_INVALID` for a missing key, a missing or 'none'
 *   algorithm, or a bad `expiresIn`.
 * @public
 */
export function jwtClient(options) {
    checkOptions(options);
    const key = toJoseKey(options.key);
    const expiresIn = options.expiresIn ?? DEFAULT_EXPIRES_IN;
    const { claims } = options;
    const cacheable = typeof claims !== 'function';
    const sign = async () => {
        const payload = typeof claims === 'function' ? await claims() : (claims ?? {});
        const now = Math.floor(Date.now() / 1000);
        const token = await new SignJWT(payload)
            .setProtectedHeader({ typ: 'JWT', ...options.header, alg: options.algorithm })
            .setIssuedAt(now)
            .setExpirationTime(typeof expiresIn === 'number' ? now + expiresIn : expiresIn)
            .sign(key);
        const exp = decodeJwt(token).exp ?? now;
        const lifetimeMs = (exp - now) * 1000;
        // Short-lived tokens would never be reused with a fixed margin; keep at least half their life.
        return { token, renewAt: exp * 1000 - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2) };
    };
    // The pending signature is shared too, so concurrent calls wait for one instead of each signing.
    let latest;
    let pending;
    const current = () => {
        if (!cacheable)
            return sign();
        if (latest !== undefined && latest.renewAt > Date.now())
            return Promise.resolve(latest);
        pending ??= sign()
            .then((s) => (latest = s))
            .finally(() => (pending = undefined));
        return pending;
    };
    return (next) => async (req, ctx) => {
        if (ctx.side !== 'client')
            throw unauthorized(JWT_WRONG_CONTEXT);
        let signed;
        try {
            signed = await current();
        }
        catch (err) {
            throw unauthorized(JWT_SIGN_FAILED, err);
        }
        ctx.requestHeader.set('authorization', `Bearer ${signed.token}`);
        return next(req, ctx);
    };
}
