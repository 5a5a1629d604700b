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
  get query(): Values {
    return this.raw.query as Values;
  }
  get params(): Readonly<Record<string, string | undefined>> {
    return this.raw.params as Record<string, string | undefined>;
  }
  get cookies(): Readonly<Record<string, string | undefined>> {
    return (this.#cookies ??= parseCookie(this.raw.headers.cookie ?? ""));
  }
  get body(): unknown {
    return this.raw.body;
  }
  get ip(): string {
    return this.raw.ip;
  }
}
