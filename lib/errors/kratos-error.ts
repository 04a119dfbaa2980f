/** Brand that marks a Kratos error across copies of this package loaded in one process. */
const BRAND = Symbol.for('kratos-ts/KratosError');

/** Marks an error whose message carries internal detail (see withInternalDetail); copies keep it. */
export const INTERNAL_DETAIL = Symbol.for('kratos-ts/internalDetail');

function keepMarks(from: KratosError, to: KratosError): KratosError {
  const mark = (from as unknown as Record<symbol, unknown>)[INTERNAL_DETAIL];
  if (mark === true) (to as unknown as Record<symbol, unknown>)[INTERNAL_DETAIL] = true;
  return to;
}

/** Code used when nothing more specific is known (docs/errors-and-metadata.md#errors `UnknownCode`). */
export const UNKNOWN_CODE = 500;

/** Reason and message clients see for a failure that is not a Kratos error (docs/errors-and-metadata.md#recovery). */
export const UNKNOWN_REASON = 'UNKNOWN';
export const UNKNOWN_MESSAGE = 'unknown request error';

/** The wire shape of a Kratos error (`errors.Status`, docs/errors-and-metadata.md#errors). */
export interface Status {
  code: number;
  reason: string;
  message: string;
  metadata: Record<string, string>;
}

/**
 * A business error in Kratos' model (docs/errors-and-metadata.md#errors): `code` is an HTTP status, `reason` an UPPER_SNAKE domain
 * string. Two errors are the same error when code and reason match ({@link KratosError.is}).
 */
export class KratosError extends Error implements Status {
  readonly [BRAND] = true;
  readonly code: number;
  readonly reason: string;
  readonly metadata: Record<string, string>;

  constructor(code: number, reason: string, message: string, metadata: Record<string, string> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'KratosError';
    this.code = code;
    this.reason = reason;
    this.metadata = metadata;
  }

  /** True for any Kratos error, even one made by another copy of this package. */
  static isKratosError(value: unknown): value is KratosError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /** Same code and same reason (Kratos `Is`). */
  is(other: unknown): boolean {
    const e = findKratosError(other);
    return e !== undefined && e.code === this.code && e.reason === this.reason;
  }

  /** A copy with its own metadata map. */
  clone(): KratosError {
    return keepMarks(this, new KratosError(this.code, this.reason, this.message, { ...this.metadata }, this.cause));
  }

  /** A copy carrying `metadata` (replacing the old map, as in Kratos). */
  withMetadata(metadata: Record<string, string>): KratosError {
    return keepMarks(this, new KratosError(this.code, this.reason, this.message, { ...metadata }, this.cause));
  }

  /** A copy whose cause is `cause`. */
  withCause(cause: unknown): KratosError {
    return keepMarks(this, new KratosError(this.code, this.reason, this.message, { ...this.metadata }, cause));
  }

  /** The wire body: `{"code","reason","message","metadata"}` in that order. */
  toJSON(): Status {
    return { code: this.code, reason: this.reason, message: this.message, metadata: this.metadata };
  }

  override toString(): string {
    const md = JSON.stringify(this.metadata);
    return `error: code = ${this.code} reason = ${this.reason} message = ${this.message} metadata = ${md}`;
  }
}

/** A new Kratos error (Kratos `New`). */
export function newError(code: number, reason: string, message: string): KratosError {
  return new KratosError(code, reason, message);
}

/** The Kratos error in `err` or its cause chain, if any; no conversion. */
export function findKratosError(err: unknown): KratosError | undefined {
  let cur: unknown = err;
  for (let depth = 0; depth < 16 && cur !== undefined && cur !== null; depth++) {
    if (KratosError.isKratosError(cur)) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}


