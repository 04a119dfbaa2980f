import { codecError } from './errors.js';

// fatal: invalid UTF-8 is an error, not silently replaced by U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Body bytes as text: invalid UTF-8 is a 400 `CODEC`, a UTF-8 byte order mark is dropped (JSON.parse
 * rejects it).
 */
export function bodyText(data: Buffer): string {
  try {
    return utf8.decode(data);
  } catch {
    throw codecError('body unmarshal: the body is not valid UTF-8');
  }
}
