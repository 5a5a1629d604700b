/**
 * @module
 * Every failure answered in FastAPI's shape, `{"detail": …}`: HTTP exceptions as thrown, body parse
 * errors as 4xx, unknown errors as a bare 500 whose stack goes only to the log. Also the malformed
 * requests Node rejects before Fastify sees them (oversized headers, bad request lines).
 */
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { ERROR_CATALOG } from "../core/catalog.ts";
import { errorBody, gatehouseError, HTTPException, RequestValidationError, ResponseValidationError } from "../core/errors.ts";
import type { Refusal } from "../core/refusal.ts";

/** An error thrown by a route's own code (dependency or handler), as opposed to Fastify's body parsing. */
export class RouteError extends Error {
  constructor(cause: unknown) {
    super("route failed", { cause });
    this.name = "RouteError";
  }
}

/** An HTTPException as FastAPI answers it: its status, its headers, `{"detail": …}`. */
export function sendHTTPException(reply: FastifyReply, error: HTTPException): FastifyReply {
  return reply.code(error.status).headers(error.headers ?? {}).send(errorBody(error));
}

/** A refusal, as prepared when it was made: nothing is serialised per request. */
export function sendRefusal(reply: FastifyReply, refusal: Refusal): FastifyReply {
  return reply.code(refusal.status).headers(refusal.headers).send(refusal.body);
}

/**
 * Install the error and not-found handlers on a Fastify scope. Errors are logged to `logger` when given
 * (the app's own), else to the request's logger (the host app's, when gatehouse is a plugin).
 */
export function installErrorHandling(fastify: FastifyInstance, logger?: FastifyBaseLogger): void {
  fastify.setErrorHandler((error: FastifyError | HTTPException, request, reply) => {
    const log = logger ?? request.log;
    if (error instanceof HTTPException) {
      if (error instanceof ResponseValidationError) log.error({ reqId: request.id, issues: error.issues }, "response failed its schema");
      // A store outage is logged once per change of state by the token ledger, not once per request.
      else if (error.status >= 500 && error.code !== "GH_STORE_UNAVAILABLE") log.error({ reqId: request.id, err: error.cause ?? error }, error.message);
      return sendHTTPException(reply, error);
    }
    if (error.code === "FST_ERR_CTP_INVALID_JSON_BODY") {
      // FastAPI's answer to a body that is not JSON: 422 json_invalid.
      return sendHTTPException(reply, new RequestValidationError([{ type: "json_invalid", loc: ["body", 0], msg: ERROR_CATALOG.GH_JSON_INVALID.detail, input: {}, ctx: { error: "Expecting value" } }]));
    }
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return sendHTTPException(reply, gatehouseError("GH_CLIENT_ERROR", { status, detail: STATUS_CODES[status] ?? ERROR_CATALOG.GH_CLIENT_ERROR.detail }));
    }
    if (!(error instanceof RouteError)) {
      // Failed before the route ran, in a body parser (e.g. a truncated multipart body): Starlette's words.
      log.info({ reqId: request.id, err: error }, "body could not be parsed");
      return sendHTTPException(reply, gatehouseError("GH_BODY_PARSE_FAILED"));
    }
    log.error({ reqId: request.id, err: error.cause }, "unhandled error");
    return sendHTTPException(reply, gatehouseError("GH_INTERNAL"));
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
