import type { CompactJWSHeaderParameters, CryptoKey, FlattenedJWSInput, KeyObject } from 'jose';

/**
 * A JWT key: an HMAC secret (a string is taken as its UTF-8 bytes), a Node `KeyObject` or a WebCrypto
 * `CryptoKey`.
 * @public
 */
export type JwtKey = CryptoKey | KeyObject | Uint8Array | string;

/**
 * Finds the verification key of a token from its still-unverified header (`kid`, `alg`) and parts.
 * @public
 */
export type JwtKeyFunction = (header: CompactJWSHeaderParameters, token: FlattenedJWSInput) => Promise<JwtKey> | JwtKey;

/** What jose accepts: strings become bytes so one secret works in Go and here alike. */
export type JoseKey = Exclude<JwtKey, string>;

/** @internal */
export function toJoseKey(key: JwtKey): JoseKey {
  return typeof key === 'string' ? new TextEncoder().encode(key) : key;
}

/** @internal HS* are the only JWS algorithms keyed by a shared secret. */
export function isSecretAlgorithm(alg: string): boolean {
  return /^HS\d+$/.test(alg);
}

/** @internal True for byte secrets and for KeyObject/CryptoKey of type 'secret'. */
export function isSecretKey(key: JwtKey): boolean {
  if (typeof key === 'string' || key instanceof Uint8Array) return true;
  return key.type === 'secret';
}

/**
 * @internal Whether `key` is the right kind for `alg`. Checked before jose sees the key, so a public
 * key can never be used as an HMAC secret (the classic RS256 -> HS256 confusion), whatever jose does.
 */
export function keyFitsAlgorithm(key: JwtKey, alg: string): boolean {
  return isSecretKey(key) === isSecretAlgorithm(alg);
}
