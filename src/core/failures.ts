/**
 * Expected refusals are values, not exceptions: the reply layer maps each code to Chinese.
 */
export type Failure =
  | { code: 'UNKNOWN_PRODUCT'; product: string }
  /** `at`: a backdated entry, refused by the stock it could take at that time. */
  | { code: 'INSUFFICIENT_STOCK'; product: string; unit: string; location: string; onHandMilli: number; requestedMilli: number; at?: Date }
  | { code: 'MISSING_PRICE'; product: string }
  /** Undoing or correcting entry #n would take out goods it brought in that have already left. */
  | { code: 'STOCK_ALREADY_LEFT'; entryNo: number; product: string; unit: string; location: string; onHandMilli: number; enteredMilli: number }
  | { code: 'BAD_QUANTITY'; product: string; reason: 'zero' | 'negative' | 'too_large' | 'fractional' | 'precision' }
  | { code: 'BAD_PRICE'; product: string; reason: 'negative' | 'precision' | 'too_large' | 'discount' }
  | { code: 'ENTRY_NOT_FOUND'; entryNo?: number }
  | { code: 'ALREADY_REVERSED'; entryNo: number; reversalNo: number }
  | { code: 'NOT_REVERSIBLE'; entryNo: number }
  | { code: 'NOTHING_TO_UNDO' }
  | { code: 'NOT_YOUR_ENTRY'; entryNo: number }
  | { code: 'UNDO_TOO_OLD'; entryNo: number; hours: number }
  | { code: 'SAME_LOCATION'; location: string }
  | { code: 'UNKNOWN_LOCATION'; location: string }
  | { code: 'EMPTY_COMMAND' }
  /** A batch named on goods leaving that the location does not have; `codes` are the ones it has. */
  | { code: 'UNKNOWN_BATCH'; product: string; batch: string; location: string; codes: string[] }
  /** A named batch holds less than the line takes. */
  | { code: 'BATCH_SHORT'; product: string; unit: string; batch: string; onHandMilli: number; requestedMilli: number }
  /** A batch code already recorded with another expiry date. */
  | { code: 'BATCH_EXPIRY_MISMATCH'; product: string; batch: string; expiresAt: Date; written: Date }
  /** A conversion would change the unit a product's existing entries and stock are counted in. */
  | { code: 'UNIT_IN_USE'; product: string; unit: string; base: string; outer: string; onHandMilli: number };

export type FailureCode = Failure['code'];

/** A use case's answer: either the value or the refusal. */
export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(failure: Failure): Result<T> => ({ ok: false, failure });

/** Raised inside a store transaction to roll it back; carries the refusal out as a value. */
export class Refusal extends Error {
  constructor(readonly failure: Failure) {
    super(failure.code);
    this.name = 'Refusal';
  }
}
