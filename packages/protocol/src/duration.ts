const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

/** What parseDuration accepts, for error messages. */
export const DURATION_FORMATS = 'a positive number followed by a unit: "500ms", "30s", "5m", "1h", "2d"';

/**
 * Parses a human duration ("500ms", "30s", "5m", "1h", "2d") into milliseconds.
 * A finite positive number is taken as milliseconds already.
 * @throws RangeError naming the accepted formats when the input is not one of them.
 */
export function parseDuration(input: string | number): number {
  if (typeof input === "number") {
    if (Number.isFinite(input) && input > 0) return input;
    throw new RangeError(`Invalid duration ${String(input)}: expected ${DURATION_FORMATS}, or milliseconds > 0.`);
  }
  const match = typeof input === "string" ? PATTERN.exec(input) : null;
  const amount = match ? Number(match[1]) : Number.NaN;
  const unit = match ? UNITS[match[2] ?? ""] : undefined;
  if (unit === undefined || !(amount > 0)) {
    throw new RangeError(`Invalid duration ${JSON.stringify(input)}: expected ${DURATION_FORMATS}.`);
  }
  return amount * unit;
}
