/**
 * @module
 * Redirect URI matching for `/authorize` (OAuth 2.1 §2.3.1, RFC 9700 §4.1.3): the exact string registered,
 * never a prefix or a pattern, except for a loopback URI (RFC 8252 §7.3), where a native app listens on
 * whatever port the OS gave it: `http://127.0.0.1/callback` also matches `http://127.0.0.1:53412/callback`.
 * Strings are compared as sent, not as a URL parser normalises them.
 */
import type { RegisteredClient } from "./client-registry.ts";

// http://, a loopback host, an optional port, then the path, query or the end.
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(?::(\d{1,5}))?(?=[/?]|$)/;

/** The registered redirect URI `given` stands for, or `undefined` when none matches. */
export function matchRedirectUri(client: RegisteredClient, given: string): string | undefined {
  if (client.redirectUris.includes(given)) return given;
  const loose = withoutPort(given);
  if (loose === undefined) return undefined;
  return client.redirectUris.find((registered) => withoutPort(registered) === loose);
}

/** A loopback URI without its port; `undefined` for any other URI. */
function withoutPort(uri: string): string | undefined {
  const match = LOOPBACK.exec(uri);
  if (!match || (match[2] !== undefined && Number(match[2]) > 65535)) return undefined;
  return `http://${match[1]}${uri.slice(match[0].length)}`;
}
