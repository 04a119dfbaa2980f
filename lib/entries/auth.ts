// `kratos-ts/auth`: JWT middleware for servers and clients.
export { jwtServer, jwtClient, claimsOf, currentClaims } from '../auth/index.js';
export type { JwtServerOptions, JwtClientOptions, JwtKey } from '../auth/index.js';
