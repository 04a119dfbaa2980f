import { randomFillSync } from 'node:crypto';

// Random bytes are drawn a block at a time: one fill serves some hundred calls' ids.
const POOL = Buffer.allocUnsafe(4096);
let used = POOL.length;

/** `bytes` random bytes as lowercase hex, never all zeros (W3C rejects an all-zero id). */
function randomHex(bytes: number): string {
  if (used + bytes > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const start = used;
  used += bytes;
  let zero = true;
  for (let i = start; i < used; i++) if (POOL[i] !== 0) zero = false;
  if (zero) POOL[used - 1] = 1;
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
