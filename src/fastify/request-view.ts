/**
 * @module
 * The core's {@link RequestView} over a Fastify request: one object per request, fields read on demand.
 */
import { parse as parseCookie } from "cookie";
import type { FastifyRequest } from "fastify";
import type { RequestView } from "../core/request.ts";

type Values = Readonly<Record<string, string | string[] | undefined>>;

export class FastifyRequestView implements RequestView {
  #cookies: Readonly<Record<string, string | undefined>> | undefined;

  constructor(readonly raw: FastifyRequest) {}

  get method(): string {
    return this.raw.method;
  }
  get path(): string {
    const url = this.raw.url;
    const q = url.indexOf("?");
    return q === -1 ? url : url.slice(0, q);
  }
  get headers(): Values {
    return this.raw.headers;
  }
  header(name: string): string | undefined {
    const headers = this.raw.headers;
    if (!Object.hasOwn(headers, name)) return undefined;
    const value = headers[name];
    // Node joins repeats of most headers with ", "; only then is the distinct list worth building.
    if (typeof value === "string" && value.includes(",")) return this.raw.raw.headersDistinct?.[name]?.[0] ?? value;
    return Array.isArray(value) ? value[0] : value;
  }
  get query(): Values {
    return this.raw.query as Values;
  }
  get params(): Readonly<Record<string, string | undefined>> {
    return this.raw.params as Record<string, string | undefined>;
  }
  get cookies(): Readonly<Record<string, string | undefined>> {
    return (this.#cookies ??= parseCookies(this.raw.headers.cookie));
  }
  get body(): unknown {
    return this.raw.body;
  }
  get ip(): string {
    return this.raw.ip;
  }
}

/**
 * Starlette's reading of a `Cookie` header: values as sent, no URL-decoding, and the last of a repeated
 * name wins (the `cookie` package keeps the first, so it is handed the pairs in reverse).
 */
function parseCookies(header: string | undefined): Record<string, string | undefined> {
  if (!header) return {};
  const reversed = header.includes(";") ? header.split(";").reverse().join(";") : header;
  return parseCookie(reversed, { decode: (value) => value });
}
