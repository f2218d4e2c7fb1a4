// Arithmetic that a form's rules (in the browser and on the server) and the services' own checks
// must do alike, so that both give the same figure in the same message.

/** The product of the factors divided by `divisor`, rounded to the fen (分): premium = sum insured × rate %. */
export function roundedProduct(factors: number[], divisor = 1): number {
  const product = factors.reduce((p, f) => p * f, 1);
  return Math.round(product * (100 / divisor)) / 100;
}

/** The total of some numbers, as shares are added up. */
export const totalOf = (numbers: number[]) => numbers.reduce((s, n) => s + n, 0);

/** A total as a message shows it: at most two decimals, no trailing zeros. */
export const shownTotal = (total: number) => Number(total.toFixed(2));

/** How far a sum may be off its target (shares in percent carry two decimals). */
export const SUM_TOLERANCE = 0.001;

/**
 * An amount typed as text (1500, １５００, " 1500.5 ", -5): the number it reads as, null when nothing
 * was typed, the text as it was when it is no number (whoever checks it then says so: a -5 is an
 * amount below the least, not something other than a number).
 */
export function typedAmount(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = value.normalize("NFKC").trim();
  if (!text) return null;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : value;
}
