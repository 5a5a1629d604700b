/**
 * @module
 * The small, engine-neutral view of a request that the core works on. The Fastify binding provides one;
 * another engine only has to provide this.
 */

/** What the core reads of a request. Header names are lower case. */
export interface RequestView {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * The first value of a header (lower-case name), as Starlette reads one, even where the engine joined
   * repeated headers into one string.
   */
  header(name: string): string | undefined;
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
  readonly params: Readonly<Record<string, string | undefined>>;
  /** Parsed `Cookie` header, values as sent (not URL-decoded, as Starlette); computed on first use. */
  readonly cookies: Readonly<Record<string, string | undefined>>;
  /** Parsed body: an object for JSON, form and multipart bodies, a Buffer for others, `undefined` when empty. */
  readonly body: unknown;
  /** The client's address, for logs and rate limits. */
  readonly ip: string;
}

/** The first value of a header or query parameter that may repeat. */
export function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The last value, as Starlette reads repeated query and form fields. */
export function lastValue<T>(value: T | T[] | undefined): T | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}
