import { randomFillSync } from 'node:crypto';

// Random bytes are drawn a block at a time, and turned into hex once per block: one fill serves some
// hundreds of calls' ids, and an id is a slice of the block's hex (V8 shares the characters, no copy).
// A fill's fixed cost (about 6-9 µs on the bench host, whatever the size up to 16 KiB) is what a block
// amortises; past 16 KiB the hex string no longer pays (V8 makes a large string of it).
export const ID_POOL_BYTES = 16 * 1024;
const POOL = Buffer.allocUnsafe(ID_POOL_BYTES);
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
