export { jwtServer, JWT_MISSING, JWT_EXPIRED, JWT_INVALID, JWT_WRONG_METHOD, JWT_UNPARSABLE } from './jwt-server.js';
export type { JwtServerOptions, JwtKey } from './jwt-server.js';
export { jwtClient } from './jwt-client.js';
export type { JwtClientOptions } from './jwt-client.js';
export { claimsOf, currentClaims } from './claims.js';
