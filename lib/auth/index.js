/**
 * JWT authentication middleware (Kratos `middleware/auth/jwt`), on jose.
 * @packageDocumentation
 */
export { jwtServer, DEFAULT_CLOCK_TOLERANCE } from './jwt-server.js';
export { jwtClient, DEFAULT_EXPIRES_IN } from './jwt-client.js';
export { claimsOf, currentClaims } from './claims.js';
export { JWT_REASON, JWT_MISSING, JWT_EXPIRED, JWT_INVALID, JWT_WRONG_METHOD, JWT_UNPARSABLE, JWT_WRONG_CONTEXT, JWT_SIGN_FAILED, } from './jwt-errors.js';
