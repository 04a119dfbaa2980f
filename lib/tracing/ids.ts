import { randomFillSync } from 'node:crypto';

// Random bytes are drawn a block at a time, and turned into hex once per block: one fill serves some
// hundred calls' ids, and an id is a slice of the block's hex (V8 shares the characters, no copy).
const POOL = Buffer.allocUnsafe(4096);
let hex = '';
let used = POOL.length;

/** `bytes` random bytes as lowercase hex, never all zeros (W3C rejects an all-zero id). */
function randomHex(bytes: number): string {
  if (used + bytes > POOL.length) {
    randomFillSync(POOL);
    hex = POOL.toString('hex');
    used = 0;
  }
  const start = used;
  used += bytes;
  for (let i = start; i < used; i++) if (POOL[i] !== 0) return hex.slice(2 * start, 2 * used);
  POOL[used - 1] = 1;
  return POOL.toString('hex', start, used);
}

/** A new trace id: 32 lowercase hex digits, as the OTel SDK makes them. */
export function newTraceId(): string {
  return randomHex(16);
}

/** A new span id: 16 lowercase hex digits. */
export function newSpanId(): string {
  return randomHex(8);
}
