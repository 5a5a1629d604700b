/**
 * @module
 * The browser's session with `/authorize`: a cookie signed with HMAC-SHA256 (`cookie` serialises it,
 * node:crypto signs it) that says who logged in and when, and the CSRF token of its forms, an HMAC of the
 * session id. A visitor gets an anonymous session before logging in, so that the login form has a CSRF
 * token too (login CSRF), and a fresh id once logged in (no session fixation). The cookie is `HttpOnly`,
 * `SameSite=Lax`, limited to the endpoint's path, and `Secure` when the issuer is https.
 */
import { createHmac, randomBytes } from "node:crypto";
import { serialize } from "cookie";
import { z } from "zod";
import { gatehouseError } from "../../core/errors.ts";
import type { RequestView } from "../../core/request.ts";
import { safeCompare } from "../../security/compare.ts";
import { randomId } from "../internal/ids.ts";

/** A session: anonymous (`sub` absent) or logged in. Times in epoch seconds. */
export interface Session {
  readonly sid: string;
  readonly sub?: string;
  readonly authTime?: number;
  /** The most `authenticate` allows this user, when it said (`AuthenticatedSubject.scopes`). */
  readonly scopes?: readonly string[];
  readonly exp: number;
}

const SessionSchema = z.object({ sid: z.string(), sub: z.string().optional(), authTime: z.number().optional(), scopes: z.array(z.string()).optional(), exp: z.number() });
const COOKIE = "gatehouse_authorize";
// A cookie value bigger than this is not ours; do not even parse it.
const MAX_COOKIE = 1024;

export interface SessionOptions {
  readonly secret?: string | Uint8Array;
  /** Seconds. */
  readonly ttl: number;
  /** The cookie's `Path`: the authorization endpoint. */
  readonly path: string;
  /** Whether the cookie is `Secure` (an https issuer). */
  readonly secure: () => boolean;
  readonly now: () => number;
}

export class Sessions {
  readonly #key: Buffer;

  constructor(readonly options: SessionOptions) {
    const secret = options.secret ?? randomBytes(32);
    const key = typeof secret === "string" ? Buffer.from(secret, "utf8") : Buffer.from(secret);
    if (key.length < 32) throw gatehouseError("GH_WEAK_KEY", `gatehouse/tokens: tokenRouter: authorization.sessionSecret has ${key.length} bytes; it needs at least 32`);
    this.#key = key;
  }

  /** The request's session, when its cookie is ours, untampered and unexpired. */
  read(request: RequestView): Session | undefined {
    const value = request.cookies[COOKIE];
    if (value === undefined || value.length > MAX_COOKIE) return undefined;
    const [payload, mac, extra] = value.split(".");
    if (payload === undefined || mac === undefined || extra !== undefined || !safeCompare(mac, this.#mac(`session.${payload}`))) return undefined;
    let parsed: ReturnType<typeof SessionSchema.safeParse>;
    try {
      parsed = SessionSchema.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
    } catch {
      return undefined;
    }
    return parsed.success && parsed.data.exp > this.#now() ? parsed.data : undefined;
  }

  /** A session before login: only an id, for the login form's CSRF token. */
  anonymous(): Session {
    return { sid: randomId(), exp: this.#now() + this.options.ttl };
  }

  /** A new session for `subject`, who has just logged in, and may be granted at most `scopes`. */
  loggedIn(subject: string, scopes?: readonly string[]): Session {
    const now = this.#now();
    return { sid: randomId(), sub: subject, authTime: now, ...(scopes ? { scopes } : {}), exp: now + this.options.ttl };
  }

  /** The `Set-Cookie` value that stores `session`. */
  cookie(session: Session): string {
    const payload = Buffer.from(JSON.stringify(session), "utf8").toString("base64url");
    return serialize(COOKIE, `${payload}.${this.#mac(`session.${payload}`)}`, {
      httpOnly: true,
      sameSite: "lax",
      secure: this.options.secure(),
      path: this.options.path,
      maxAge: Math.max(0, session.exp - this.#now()),
    });
  }

  /** The CSRF token of `session`'s forms. */
  csrf(session: Session): string {
    return this.#mac(`csrf.${session.sid}`);
  }

  /** Whether a form's CSRF token is `session`'s (constant time). */
  checkCsrf(session: Session | undefined, token: string | undefined): session is Session {
    return session !== undefined && token !== undefined && safeCompare(token, this.csrf(session));
  }

  #mac(data: string): string {
    return createHmac("sha256", this.#key).update(data).digest("base64url");
  }

  #now(): number {
    return Math.floor(this.options.now() / 1000);
  }
}
