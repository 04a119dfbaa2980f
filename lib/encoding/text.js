import { codecError } from './errors.js';
// fatal: invalid UTF-8 is an error, not silently replaced by U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
/** Nesting deeper than this is refused before parsing: deep bodies cost stack and time, never data. */
export const MAX_DEPTH = 128;
/**
 * Body bytes as text: invalid UTF-8 is a 400 `CODEC`, a UTF-8 byte order mark is dropped (JSON.parse
 * rejects it).
 */
export function bodyText(data) {
    try {
        return utf8.decode(data);
    }
    catch {
        throw codecError('body unmarshal: the body is not valid UTF-8');
    }
}
/** Refuses JSON text nested deeper than `max` ([ and { outside strings), in one pass. */
export function checkDepth(text, max = MAX_DEPTH) {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (inString) {
            if (c === 0x5c)
                i++;
            else if (c === 0x22)
                inString = false;
        }
        else if (c === 0x22)
            inString = true;
        else if (c === 0x7b || c === 0x5b) {
            if (++depth > max)
                throw codecError(`body unmarshal: nested deeper than ${max} levels`);
        }
        else if (c === 0x7d || c === 0x5d)
            depth--;
    }
}
