/**
 * @module
 * A store URL as messages and logs may show it: a password in it (`redis://:secret@host`) never leaves
 * in an error message.
 */

/** `url` with its password, if any, replaced by `***`. */
export function withoutPassword(url: string): string {
  if (!url.includes("@")) return url; // nothing to hide; and a file path stays exactly as given
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.href;
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//***@");
  }
}
