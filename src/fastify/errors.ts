/**
 * @module
 * Every failure answered in FastAPI's shape, `{"detail": …}`: HTTP exceptions as thrown, body parse
 * errors as 4xx, unknown errors as a bare 500 whose stack goes only to the log. Also what Fastify answers
 * on its own (a bad URL, a too-long parameter, the 503 while closing) and the malformed requests Node
 * rejects before Fastify sees them (oversized headers, bad request lines).
 */
import { STATUS_CODES } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { errorResponse, type ErrorStyle } from "../core/error-style.ts";
import { ERROR_CATALOG } from "../core/catalog.ts";
import { gatehouseError, HTTPException, RequestValidationError, ResponseValidationError } from "../core/errors.ts";
import type { Refusal } from "../core/refusal.ts";

/** An error thrown by a route's own code (dependency or handler), as opposed to Fastify's body parsing. */
export class RouteError extends Error {
  constructor(cause: unknown) {
    super("route failed", { cause });
    this.name = "RouteError";
  }
}

/** An HTTPException as FastAPI answers it (its status, its headers, `{"detail": …}`), or in the route's error style. */
export function sendHTTPException(reply: FastifyReply, error: HTTPException, style: ErrorStyle = "fastapi"): FastifyReply {
  const answer = errorResponse(error, style);
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

/** A refusal, as prepared when it was made: nothing is serialised per request (in another style, its error is). */
export function sendRefusal(reply: FastifyReply, refusal: Refusal, style: ErrorStyle = "fastapi"): FastifyReply {
  if (style !== "fastapi") return sendHTTPException(reply, refusal.error, style);
  return reply.code(refusal.status).headers(refusal.headers).send(refusal.body);
}

/** FastAPI's answer to a body that is not JSON (or, here, nests too deep to read): 422 `json_invalid`. */
export function jsonInvalid(reason: string): RequestValidationError {
  return new RequestValidationError([{ type: "json_invalid", loc: ["body", 0], msg: ERROR_CATALOG.GH_JSON_INVALID.detail, input: {}, ctx: { error: reason } }]);
}

/**
 * The routes of one plugin whose errors are not in FastAPI's style, by method and URL, so that an error
 * raised before the route runs (a body that does not parse) is answered in the route's style too.
 */
export class ErrorStyles {
  readonly #styles = new Map<string, ErrorStyle>();

  set(method: string, url: string, style: ErrorStyle): void {
    if (style !== "fastapi") this.#styles.set(`${method} ${url}`, style);
  }

  of(request: FastifyRequest): ErrorStyle {
    return this.#styles.get(`${request.method} ${request.routeOptions?.url}`) ?? "fastapi";
  }
}

/**
 * Install the error and not-found handlers on a Fastify scope. Errors are logged to `logger` when given
 * (the app's own), else to the request's logger (the host app's, when gatehouse is a plugin).
 */
export function installErrorHandling(fastify: FastifyInstance, logger?: FastifyBaseLogger, styles?: ErrorStyles): void {
  fastify.setErrorHandler((error: FastifyError | HTTPException, request, reply) => {
    const log = logger ?? request.log;
    const style = styles?.of(request) ?? "fastapi";
    if (error instanceof HTTPException) {
      if (error instanceof ResponseValidationError) log.error({ reqId: request.id, issues: error.issues }, "response failed its schema");
      // A store outage is logged once per change of state by the token ledger, not once per request.
      else if (error.status >= 500 && error.code !== "GH_STORE_UNAVAILABLE") log.error({ reqId: request.id, err: error.cause ?? error }, error.message);
      return sendHTTPException(reply, error, style);
    }
    if (error.code === "FST_ERR_CTP_INVALID_JSON_BODY") {
      // FastAPI's answer to a body that is not JSON: 422 json_invalid.
      return sendHTTPException(reply, jsonInvalid("Expecting value"), style);
    }
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return sendHTTPException(reply, gatehouseError("GH_CLIENT_ERROR", { status, detail: STATUS_CODES[status] ?? ERROR_CATALOG.GH_CLIENT_ERROR.detail }), style);
    }
    if (!(error instanceof RouteError)) {
      // Failed before the route ran, in a body parser (e.g. a truncated multipart body): Starlette's words.
      log.info({ reqId: request.id, err: error }, "body could not be parsed");
      return sendHTTPException(reply, gatehouseError("GH_BODY_PARSE_FAILED"), style);
    }
    log.error({ reqId: request.id, err: error.cause }, "unhandled error");
    return sendHTTPException(reply, gatehouseError("GH_INTERNAL"), style);
  });
  fastify.setNotFoundHandler((_request, reply) => sendHTTPException(reply, gatehouseError("GH_NOT_FOUND")));
}

/**
 * Fastify's `clientErrorHandler`: Node's parser rejected the request (e.g. headers over 16 KiB), so no
 * route ran; still answer in FastAPI's shape instead of closing the socket bare.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const body = JSON.stringify({ detail: STATUS_CODES[status] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * Fastify's `frameworkErrors`: what its router refuses before any route or error handler runs
 * (`FST_ERR_BAD_URL` 400, `FST_ERR_MAX_PARAM_LENGTH` 414, a failed async constraint), in FastAPI's shape.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 500;
  if (status < 500) {
    sendHTTPException(reply, gatehouseError("GH_CLIENT_ERROR", { status, detail: STATUS_CODES[status] ?? ERROR_CATALOG.GH_CLIENT_ERROR.detail }));
    return;
  }
  request.log.error({ reqId: request.id, err: error }, "router failed");
  sendHTTPException(reply, gatehouseError("GH_INTERNAL"));
}

const SHUTTING_DOWN = ERROR_CATALOG.GH_SHUTTING_DOWN;
const SHUTTING_DOWN_BODY = JSON.stringify({ detail: SHUTTING_DOWN.detail });

/**
 * Once the app is closing, the server's only request listener: a request still arriving on an open
 * connection gets `GH_SHUTTING_DOWN` (Fastify's own `return503OnClosing` answer has another shape).
 */
export function refuseWhileClosing(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(SHUTTING_DOWN.status, { ...SHUTTING_DOWN.headers, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(SHUTTING_DOWN_BODY) });
  response.end(SHUTTING_DOWN_BODY);
}
