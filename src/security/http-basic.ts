/**
 * @module
 * HTTP Basic authentication (RFC 7617): FastAPI's `HTTPBasic`. It decodes `user:password`; checking them
 * (with {@link safeCompare} or a password hash) is the user's job. *(FastAPI `security/http.py`)*
 */
import { gatehouseError } from "../core/errors.ts";
import type { Refusal } from "../core/refusal.ts";
import type { RequestView } from "../core/request.ts";
import { authorizationHeader, schemeModel, SecurityBase, splitAuthorization, type SchemeOptions, type SchemeResult, type SecuritySchemeObject } from "./base.ts";
import type { HTTPBasicCredentials } from "./http.ts";

export interface HTTPBasicOptions<AE extends boolean> extends SchemeOptions<AE> {
  /** Sent in the challenge, `WWW-Authenticate: Basic realm="…"`, so browsers can name the protection space. */
  readonly realm?: string;
}

// Canonical base64 with padding; Buffer's decoder alone would skip any character it does not know.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * `Authorization: Basic base64(username:password)`. A missing header or another scheme is a 401 with the
 * `Basic` challenge (or `undefined` under `autoError: false`); a Basic header that is not base64, not
 * ASCII or has no `:` is a 401 even under `autoError: false`, as in FastAPI: the client did try Basic.
 *
 * @example
 * const basic = new HTTPBasic({ realm: "admin" });
 * app.get("/admin", { needs: { user: basic } }, ({ user }) => ({ username: user.username }));
 */
export class HTTPBasic<const AE extends boolean = true> extends SecurityBase<SchemeResult<HTTPBasicCredentials, AE>> {
  readonly model: SecuritySchemeObject;
  readonly realm: string | undefined;
  readonly #challenge: string;

  constructor(options: HTTPBasicOptions<AE> = {}) {
    super(options, "HTTPBasic");
    if (options.realm !== undefined && typeof options.realm !== "string") throw gatehouseError("GH_INVALID_OPTION", "gatehouse: HTTPBasic: `realm` must be a string");
    this.realm = options.realm;
    this.model = schemeModel("http", options.description, { scheme: "basic" });
    // FastAPI's `if self.realm`: an empty realm sends the bare challenge.
    this.#challenge = options.realm ? `Basic realm=${quotedString(options.realm)}` : "Basic";
  }

  get challenge(): string {
    return this.#challenge;
  }

  read(request: RequestView): SchemeResult<HTTPBasicCredentials, AE> | Refusal {
    const authorization = authorizationHeader(request);
    const [scheme, param] = splitAuthorization(authorization);
    if (!authorization || scheme.toLowerCase() !== "basic") return this.missing();
    const decoded = decodeBasic(param);
    if (decoded === undefined) return this.refusal;
    return decoded;
  }
}

/** `base64(user:password)` → credentials, or `undefined` when it is not strict base64 of ASCII with a colon. */
function decodeBasic(param: string): HTTPBasicCredentials | undefined {
  if (!BASE64.test(param)) return undefined;
  const bytes = Buffer.from(param, "base64");
  // RFC 7617 leaves the charset to the server; FastAPI decodes as ASCII, so any byte ≥ 0x80 fails.
  if (bytes.some((byte) => byte > 0x7f)) return undefined;
  const text = bytes.toString("latin1");
  const colon = text.indexOf(":");
  if (colon === -1) return undefined;
  // The user-id cannot contain a colon (RFC 7617 §2); the password may.
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * RFC 9110 §5.6.4 quoted-string: `"` and `\` are escaped with a backslash. Characters a header cannot carry
 * (controls, non-Latin-1) are misconfiguration, caught here rather than as a 500 on the first 401.
 */
function quotedString(value: string): string {
  if (/[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/.test(value)) {
    throw gatehouseError("GH_INVALID_OPTION", "gatehouse: HTTPBasic: `realm` must not contain control characters or characters outside Latin-1");
  }
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}
