/**
 * Shortest decimal that reads back as the same float32, as a double (so JSON.stringify and String()
 * print it the way Go's strconv does with bitSize 32: 11.23, 1e+21, 3.4028235e+38).
 */
export function float32Shortest(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const f = Math.fround(value);
  for (let digits = 1; digits < 10; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

/** float32 from a double the way Go's ParseFloat(s, 32) checks it: rounded, and infinite only when out of range. */
export function toFloat32(value: number): number | undefined {
  const f = Math.fround(value);
  return Number.isFinite(value) && !Number.isFinite(f) ? undefined : f;
}
