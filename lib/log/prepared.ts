import type { Level } from './level.js';
import { isValuer, type Valuer } from './valuer.js';

/**
 * Marks a value of a prepared record that each write supplies (`logger.prepare(['op', SLOT])`);
 * every other value is fixed when the record is prepared, apart from valuers, read per write.
 */
export const SLOT: unique symbol = Symbol('kratos-ts/log/slot');

/**
 * Writes one record of a prepared shape: `values` fill the SLOTs in order. What a logger can work
 * out once per shape (which keys are masked, the constant part of a JSON line) is done when it is
 * prepared, so a call site that writes the same shape many times (the access log) pays only for
 * the values that change.
 */
export type RecordWriter = (level: Level, values: readonly unknown[]) => void;

/** The key-values of one write: SLOTs replaced by `values`, valuers by their current value. */
export function fillTemplate(template: readonly unknown[], values: readonly unknown[]): unknown[] {
  const out = new Array<unknown>(template.length);
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    const v = template[i];
    out[i] = v === SLOT ? values[next++] : i % 2 === 1 && isValuer(v) ? (v as Valuer)() : v;
  }
  return out;
}
