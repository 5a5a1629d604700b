/**
 * @module
 * API keys in a query parameter, a header or a cookie: FastAPI's `APIKeyQuery`, `APIKeyHeader` and
 * `APIKeyCookie`. They only read the key; checking it (with {@link safeCompare}) is the user's job.
 * *(FastAPI `security/api_key.py`)*
 */
import { gatehouseError } from "../core/errors.ts";
import type { Refusal } from "../core/refusal.ts";
import type { RequestView } from "../core/request.ts";
import { lastValue } from "../core/request.ts";
import { schemeModel, SecurityBase, type SchemeOptions, type SchemeResult, type SecuritySchemeObject } from "./base.ts";

type APIKeyIn = "query" | "header" | "cookie";

export interface APIKeyOptions<AE extends boolean> extends SchemeOptions<AE> {
  /** The query parameter, header or cookie that carries the key. */
  readonly name: string;
}

// RFC 9110 §5.1: a field name is a token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** What the three API-key schemes share: the model, the `APIKey` challenge, and "empty is missing". */
abstract class APIKeyBase<AE extends boolean> extends SecurityBase<SchemeResult<string, AE>> {
  readonly model: SecuritySchemeObject;
  readonly name: string;

  constructor(location: APIKeyIn, options: APIKeyOptions<AE>, defaultName: string) {
    super(options, defaultName);
    if (typeof options?.name !== "string" || options.name === "") {
      throw gatehouseError("GH_INVALID_OPTION", `gatehouse: ${defaultName} needs a non-empty \`name\` (the ${location} that carries the key)`);
    }
    if (location === "header" && !TOKEN.test(options.name)) {
      throw gatehouseError("GH_INVALID_OPTION", `gatehouse: ${defaultName}: \`name\` ${JSON.stringify(options.name)} is not a valid header name`);
    }
    this.name = options.name;
    this.model = schemeModel("apiKey", options.description, { in: location, name: options.name });
  }

  /**
   * API keys have no standard challenge, but RFC 9110 §15.5.2 requires one on a 401, so FastAPI sends a
   * custom `APIKey` challenge.
   */
  get challenge(): string {
    return "APIKey";
  }

  read(request: RequestView): SchemeResult<string, AE> | Refusal {
    const key = this.readKey(request);
    // FastAPI's `if not api_key`: an empty value is as good as none.
    if (typeof key !== "string" || key === "") return this.missing();
    return key;
  }

  protected abstract readKey(request: RequestView): string | undefined;
}

/** Own keys only: a parameter named `constructor` must not find `Object.prototype.constructor`. */
function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * An API key in the query string (`?api_key=…`). A repeated parameter counts by its last value, as Starlette reads it.
 *
 * @example
 * const apiKey = new APIKeyQuery({ name: "api_key" });
 * app.get("/items/", { needs: { key: apiKey } }, ({ key }) => ({ key }));
 */
export class APIKeyQuery<const AE extends boolean = true> extends APIKeyBase<AE> {
  constructor(options: APIKeyOptions<AE>) {
    super("query", options, "APIKeyQuery");
  }

  protected readKey(request: RequestView): string | undefined {
    return lastValue(own(request.query, this.name));
  }
}

/**
 * An API key in a request header; the name is matched case-insensitively.
 *
 * @example
 * const apiKey = new APIKeyHeader({ name: "x-key" });
 */
export class APIKeyHeader<const AE extends boolean = true> extends APIKeyBase<AE> {
  readonly #header: string;

  constructor(options: APIKeyOptions<AE>) {
    super("header", options, "APIKeyHeader");
    this.#header = this.name.toLowerCase();
  }

  protected readKey(request: RequestView): string | undefined {
    return request.header(this.#header);
  }
}

/**
 * An API key in a cookie. It does not set the cookie; the route that logs the user in does.
 *
 * @example
 * const session = new APIKeyCookie({ name: "session" });
 */
export class APIKeyCookie<const AE extends boolean = true> extends APIKeyBase<AE> {
  constructor(options: APIKeyOptions<AE>) {
    super("cookie", options, "APIKeyCookie");
  }

  protected readKey(request: RequestView): string | undefined {
    return own(request.cookies, this.name);
  }
}
