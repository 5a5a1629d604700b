/**
 * @module
 * HTTP authentication schemes (RFC 9110 §11): `HTTPBasic`, `HTTPBearer`, `HTTPDigest`, and `HTTPBase` for
 * any other scheme. They read the `Authorization` header; checking what it holds is the user's job.
 * *(FastAPI `security/http.py`)*
 */
import { gatehouseError } from "../core/errors.ts";
import type { Refusal } from "../core/refusal.ts";
import type { RequestView } from "../core/request.ts";
import { authorizationHeader, schemeModel, SecurityBase, splitAuthorization, type SchemeOptions, type SchemeResult, type SecuritySchemeObject } from "./base.ts";

/** What `HTTPBasic` injects. */
export interface HTTPBasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** What `HTTPBearer`, `HTTPDigest` and `HTTPBase` inject: the header split at its first space. */
export interface HTTPAuthorizationCredentials {
  /** As sent, e.g. `"Bearer"` or `"bearer"`. */
  readonly scheme: string;
  readonly credentials: string;
}

export interface HTTPBaseOptions<AE extends boolean> extends SchemeOptions<AE> {
  /** The scheme's name as OpenAPI lists it (`bearer`, `digest`, `hoba`, …); also the challenge, title-cased. */
  readonly scheme: string;
}

/**
 * Any HTTP authentication scheme: injects `{scheme, credentials}` for an `Authorization` header with both.
 * Like FastAPI's `HTTPBase`, it accepts any scheme in the header; subclasses narrow that.
 */
export class HTTPBase<const AE extends boolean = true> extends SecurityBase<SchemeResult<HTTPAuthorizationCredentials, AE>> {
  readonly model: SecuritySchemeObject;
  readonly #challenge: string;

  constructor(options: HTTPBaseOptions<AE>, defaultName = "HTTPBase") {
    super(options, defaultName);
    // RFC 9110 §11.1: an auth-scheme is a token.
    if (typeof options.scheme !== "string" || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(options.scheme)) {
      throw gatehouseError("GH_INVALID_OPTION", `gatehouse: ${defaultName}: \`scheme\` must be an HTTP authentication scheme name`);
    }
    this.model = schemeModel("http", options.description, { scheme: options.scheme });
    this.#challenge = titleCase(options.scheme);
  }

  /** FastAPI's `scheme.title()`: `bearer` → `Bearer`. */
  get challenge(): string {
    return this.#challenge;
  }

  read(request: RequestView): SchemeResult<HTTPAuthorizationCredentials, AE> | Refusal {
    const authorization = authorizationHeader(request);
    const [scheme, credentials] = splitAuthorization(authorization);
    if (!scheme || !credentials || !this.accepts(scheme)) return this.missing();
    const credential: HTTPAuthorizationCredentials = { scheme, credentials };
    return credential;
  }

  /** Whether the header's scheme is this one's; any scheme for the base class. */
  protected accepts(_scheme: string): boolean {
    return true;
  }
}

/** Python's `str.title()` on a token: upper-case each letter that follows a non-letter. */
function titleCase(word: string): string {
  return word.toLowerCase().replace(/(^|[^a-z])([a-z])/g, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/** An HTTPBase that only takes its own scheme, compared case-insensitively (RFC 9110 §11.1). */
abstract class HTTPNamedScheme<AE extends boolean> extends HTTPBase<AE> {
  readonly #scheme: string;

  constructor(options: HTTPBaseOptions<AE>, defaultName: string) {
    super(options, defaultName);
    this.#scheme = options.scheme;
  }

  protected override accepts(scheme: string): boolean {
    return scheme.toLowerCase() === this.#scheme;
  }
}

export interface HTTPBearerOptions<AE extends boolean> extends SchemeOptions<AE> {
  /** A hint for documentation, e.g. `"JWT"`. */
  readonly bearerFormat?: string;
}

/**
 * `Authorization: Bearer <token>` (RFC 6750). A missing header, an empty token or another scheme is a 401
 * with `WWW-Authenticate: Bearer`, or `undefined` under `autoError: false`.
 *
 * @example
 * const bearer = new HTTPBearer({ bearerFormat: "JWT" });
 * app.get("/me", { needs: { auth: bearer } }, ({ auth }) => ({ token: auth.credentials }));
 */
export class HTTPBearer<const AE extends boolean = true> extends HTTPNamedScheme<AE> {
  override readonly model: SecuritySchemeObject;

  constructor(options: HTTPBearerOptions<AE> = {}) {
    super({ ...options, scheme: "bearer" }, "HTTPBearer");
    if (options.bearerFormat !== undefined && typeof options.bearerFormat !== "string") {
      throw gatehouseError("GH_INVALID_OPTION", "gatehouse: HTTPBearer: `bearerFormat` must be a string");
    }
    this.model = schemeModel("http", options.description, { scheme: "bearer", bearerFormat: options.bearerFormat });
  }
}

/**
 * `Authorization: Digest …` (RFC 7616). Only a stub for OpenAPI, as in FastAPI: it injects the header's
 * parameters unverified; the digest computation is the user's.
 */
export class HTTPDigest<const AE extends boolean = true> extends HTTPNamedScheme<AE> {
  constructor(options: SchemeOptions<AE> = {}) {
    super({ ...options, scheme: "digest" }, "HTTPDigest");
  }
}
