/**
 * @module
 * What every security scheme is: an OpenAPI Security Scheme object, a name, and a dependency that only
 * *extracts* the credential. Checking it is the user's dependency's job. *(FastAPI `security/base.py`)*
 */
import { Dependency } from "../core/dependency.ts";
import { gatehouseError, NotAuthenticatedError, type HTTPException } from "../core/errors.ts";
import { HttpRequest } from "../core/markers.ts";
import { Refusal } from "../core/refusal.ts";
import { firstValue, type RequestView } from "../core/request.ts";

/** An OpenAPI 3.1 Security Scheme Object. */
export type SecuritySchemeObject =
  | { type: "apiKey"; name: string; in: "query" | "header" | "cookie"; description?: string }
  | { type: "http"; scheme: string; bearerFormat?: string; description?: string }
  | { type: "oauth2"; flows: OAuthFlows; description?: string }
  | { type: "openIdConnect"; openIdConnectUrl: string; description?: string };

export interface OAuthFlow {
  refreshUrl?: string;
  scopes: Record<string, string>;
}
export interface OAuthFlows {
  implicit?: OAuthFlow & { authorizationUrl: string };
  password?: OAuthFlow & { tokenUrl: string };
  clientCredentials?: OAuthFlow & { tokenUrl: string };
  authorizationCode?: OAuthFlow & { authorizationUrl: string; tokenUrl: string };
}

/** Options every scheme takes. */
export interface SchemeOptions<AE extends boolean = boolean> {
  /** The key under `components.securitySchemes`; defaults to the class name. */
  readonly schemeName?: string;
  readonly description?: string;
  /** `false`: a missing credential injects `undefined` instead of failing with 401, so the route decides. */
  readonly autoError?: AE;
}

/** The result type of a scheme: `T`, or `T | undefined` when `autoError` may be `false`. */
export type SchemeResult<T, AE extends boolean> = false extends AE ? T | undefined : T;

/** Base of every security scheme. `T` is the extracted credential; `S` the scope names it declares. */
export abstract class SecurityBase<T, S extends string = never> extends Dependency<T, S> {
  abstract readonly model: SecuritySchemeObject;
  readonly schemeName: string;
  readonly description: string | undefined;
  readonly autoError: boolean;
  #refusal: Refusal | undefined;

  constructor(options: SchemeOptions, defaultName: string) {
    let self: SecurityBase<T, S> | undefined;
    // The extractor is bound after super() returns; it is only called per request, long after.
    checkSchemeOptions(options);
    // FastAPI's `scheme_name or ClassName`: an empty name falls back to the default too.
    const schemeName = options.schemeName || defaultName;
    super({ request: HttpRequest }, (args) => self!.extract(args.request as RequestView), { name: schemeName });
    self = this;
    this.schemeName = schemeName;
    this.description = options.description;
    this.autoError = options.autoError ?? true;
  }

  /**
   * Read the credential: the scheme's {@link refusal} when it is absent, `undefined` instead under
   * `autoError: false`. Malformed credentials may be refused too (HTTP Basic's are, as FastAPI's).
   */
  abstract read(request: RequestView): T | Refusal;

  /** Read the credential from the request; `undefined` or a thrown 401 when it is absent. */
  extract(request: RequestView): T {
    const credential = this.read(request);
    if (credential instanceof Refusal) throw credential.error;
    return credential;
  }

  /** The `WWW-Authenticate` challenge of this scheme's 401. */
  abstract get challenge(): string;

  /** Scope names the scheme declares (OAuth2 flows), or `undefined` when it has no scope map. */
  get declaredScopes(): readonly string[] | undefined {
    return undefined;
  }

  /** Whether the scopes required on the path go into this scheme's OpenAPI requirement (OAuth2, OpenID Connect). */
  get takesScopes(): boolean {
    return false;
  }

  /**
   * FastAPI's `make_not_authenticated_error` as a value: 401 `{"detail": "Not authenticated"}` with the
   * scheme's challenge. One per scheme, prepared on first use: the answer never varies.
   */
  get refusal(): Refusal {
    return (this.#refusal ??= new Refusal(new NotAuthenticatedError(this.challenge)));
  }

  /** The error of {@link refusal}, for code that throws it. */
  notAuthenticatedError(): HTTPException {
    return this.refusal.error;
  }

  /** No credential: `undefined` under `autoError: false`, otherwise the scheme's {@link refusal}. */
  protected missing(): T | Refusal {
    return this.autoError ? this.refusal : (undefined as T);
  }
}

function checkSchemeOptions(options: SchemeOptions): void {
  if (options.schemeName !== undefined && typeof options.schemeName !== "string") throw gatehouseError("GH_INVALID_OPTION", "gatehouse: schemeName must be a string");
  if (options.description !== undefined && typeof options.description !== "string") throw gatehouseError("GH_INVALID_OPTION", "gatehouse: description must be a string");
  if (options.autoError !== undefined && typeof options.autoError !== "boolean") throw gatehouseError("GH_INVALID_OPTION", "gatehouse: autoError must be a boolean");
}

/**
 * A scheme's OpenAPI object as FastAPI serialises its pydantic model: `type`, then `description`, then the
 * type's own fields, with absent (`None`) fields left out (`exclude_none`). Frozen, nested objects too.
 */
export function schemeModel<T extends SecuritySchemeObject>(
  type: T["type"],
  description: string | undefined,
  fields: Omit<T, "type" | "description">,
): T {
  return deepFreeze(dropUndefined({ type, description, ...fields })) as T;
}

function dropUndefined(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = dropUndefined(item);
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") for (const item of Object.values(value)) deepFreeze(item);
  return Object.freeze(value);
}

/** Whether an injectable is a security scheme. */
export function isSecurityScheme(value: unknown): value is SecurityBase<unknown, string> {
  return value instanceof SecurityBase;
}

/** The request's `Authorization` header, its first value if sent more than once. */
export function authorizationHeader(request: RequestView): string | undefined {
  return firstValue(request.headers.authorization);
}

/**
 * Split an `Authorization` header at its first space into scheme and (trimmed) parameter, as FastAPI's
 * `get_authorization_scheme_param` does.
 */
export function splitAuthorization(value: string | undefined): [scheme: string, param: string] {
  if (!value) return ["", ""];
  const space = value.indexOf(" ");
  return space === -1 ? [value, ""] : [value.slice(0, space), value.slice(space + 1).trim()];
}
