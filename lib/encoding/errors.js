import { KratosError } from '../errors/index.js';
/** Reason carried by every request decoding error of this folder. */
export const CODEC_REASON = 'CODEC';
/** A 400 for input the client got wrong; transports turn it into the error reply as is. */
export function codecError(message, cause) {
    return new KratosError(400, CODEC_REASON, message, {}, cause);
}
/** The message of whatever a parser threw, without assuming it threw an Error. */
export function errorMessage(err) {
    return err instanceof Error ? err.message : String(err);
}
