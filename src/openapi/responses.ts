/**
 * @module
 * An operation's `responses`: the success response with the route's response schema (or `{}`, "any JSON"),
 * the extra responses the route documents, and FastAPI's 422 wherever the route validates input, with
 * FastAPI's own `HTTPValidationError` and `ValidationError` component schemas.
 */
import type { CompiledRoute } from "../core/route.ts";
import type { SchemaComponents } from "./schemas.ts";
import type { JSONSchema, ResponseObject } from "./types.ts";

/** FastAPI's `validation_error_definition`, word for word. */
export const VALIDATION_ERROR: JSONSchema = Object.freeze({
  title: "ValidationError",
  type: "object",
  properties: {
    loc: { title: "Location", type: "array", items: { anyOf: [{ type: "string" }, { type: "integer" }] } },
    msg: { title: "Message", type: "string" },
    type: { title: "Error Type", type: "string" },
  },
  required: ["loc", "msg", "type"],
});

/** FastAPI's `validation_error_response_definition`: the 422 body. */
export const HTTP_VALIDATION_ERROR: JSONSchema = Object.freeze({
  title: "HTTPValidationError",
  type: "object",
  properties: {
    detail: { title: "Detail", type: "array", items: { $ref: "#/components/schemas/ValidationError" } },
  },
});

/** The `responses` of a route; `validates` adds the 422. */
export function operationResponses(route: CompiledRoute, components: SchemaComponents, validates: boolean): Record<string, ResponseObject> {
  const { config } = route.definition;
  const status = String(route.status);
  const responses: Record<string, ResponseObject> = { [status]: { description: "Successful Response" } };
  if (bodyAllowed(route.status)) {
    const schema = config.response ? components.convert(config.response, "output") : {};
    responses[status]!.content = { "application/json": { schema } };
  }
  for (const [code, doc] of Object.entries(config.responses ?? {})) {
    const response: ResponseObject = { ...responses[code], description: doc.description };
    if (doc.schema) response.content = { "application/json": { schema: components.convert(doc.schema, "output") } };
    responses[code] = response;
  }
  if (validates && !responses["422"]) {
    components.define("ValidationError", VALIDATION_ERROR);
    const schema = components.define("HTTPValidationError", HTTP_VALIDATION_ERROR);
    responses["422"] = { description: "Validation Error", content: { "application/json": { schema } } };
  }
  return responses;
}

/** FastAPI's `is_body_allowed_for_status_code`: not for 1xx, 204, 205 and 304. */
function bodyAllowed(status: number): boolean {
  return !(status < 200 || status === 204 || status === 205 || status === 304);
}
