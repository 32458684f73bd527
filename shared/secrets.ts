// Reading a service's secrets. Each service declares its secrets (`secret("Name")`) in its own
// secrets.ts and reads them through these two, so that a secret left unset, blank or padded with
// spaces means the same everywhere: "" (the setting's default), never an exception.

/** The secret's value without surrounding blanks; "" when it is not set. */
export function readSecret(s: () => string): string {
  try {
    return s().trim();
  } catch {
    // Outside local development, Encore throws when a secret set nowhere is read.
    return "";
  }
}

/**
 * A whole number from a secret, rounded down: `fallback` when the secret is unset, not a number or
 * outside [min, max]. `onInvalid` hears about a value that was set but not used.
 */
export function intSecret(s: () => string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER, onInvalid?: (text: string) => void): number {
  const text = readSecret(s);
  if (text === "") return fallback;
  const value = Number(text);
  if (Number.isFinite(value) && value >= min && value <= max) return Math.floor(value);
  onInvalid?.(text);
  return fallback;
}
