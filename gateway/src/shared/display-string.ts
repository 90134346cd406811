/**
 * `String(value)` for a value whose type the code does not know: a template's output, a condition's operand,
 * a claim from a token. Output must match what the Lua original printed for scalars, and objects print
 * through their own `toString` (BinaryString, HeadersDrop). Plain objects have been refused or turned
 * into JSON by the caller where that matters; anything else prints as JavaScript prints it.
 */
export function displayString(value: unknown): string {
  // The one place where stringifying a value of any type is the intent, not an accident.
  return String(value);
}
