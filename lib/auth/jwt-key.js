/** @internal */
export function toJoseKey(key) {
    return typeof key === 'string' ? new TextEncoder().encode(key) : key;
}
/** @internal HS* are the only JWS algorithms keyed by a shared secret. */
export function isSecretAlgorithm(alg) {
    return /^HS\d+$/.test(alg);
}
/** @internal True for byte secrets and for KeyObject/CryptoKey of type 'secret'. */
export function isSecretKey(key) {
    if (typeof key === 'string' || key instanceof Uint8Array)
        return true;
    return key.type === 'secret';
}
/**
 * @internal Whether `key` is the right kind for `alg`. Checked before jose sees the key, so a public
 * key can never be used as an HMAC secret (the classic RS256 -> HS256 confusion), whatever jose does.
 */
export function keyFitsAlgorithm(key, alg) {
    return isSecretKey(key) === isSecretAlgorithm(alg);
}
