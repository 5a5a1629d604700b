/**
 * @module
 * Checking a user's password, the one way every endpoint does it — the password grant and the
 * `/authorize` login page alike: the app's `authenticate` behind the login throttle, so that no path
 * guesses passwords unthrottled.
 */
import type { AuthenticatedSubject, Endpoints, PasswordGrant } from "./options.ts";

/** The user `authenticate` accepts, or `undefined`; 429 `GH_TOO_MANY_LOGINS` past a limit, before any hashing. */
export async function checkPassword(endpoints: Endpoints, grant: PasswordGrant, ip: string): Promise<AuthenticatedSubject | undefined> {
  const attempt = await endpoints.throttle?.attempt(grant.username, ip);
  let user: Awaited<ReturnType<Endpoints["options"]["authenticate"]>>;
  try {
    user = await endpoints.options.authenticate(grant);
  } catch (error) {
    await attempt?.cancelled(); // e.g. a full hashing queue (503): no password was checked
    throw error;
  }
  if (!user) return undefined;
  await attempt?.succeeded();
  return user;
}
