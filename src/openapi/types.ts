/**
 * @module
 * The parts of an OpenAPI 3.1 document that gatehouse writes. Only what the builder emits is typed; the
 * document stays plain JSON, so it can be extended or post-processed like FastAPI's `app.openapi_schema`.
 */
import type { SecuritySchemeObject } from "../security/base.ts";
import type { SecurityRequirement } from "./security.ts";

/** A JSON Schema (draft 2020-12, OpenAPI 3.1's dialect). */
export type JSONSchema = { [keyword: string]: unknown };

export interface OpenAPIInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: JSONSchema;
  description?: string;
  deprecated?: boolean;
}

export interface MediaTypeObject {
  schema: JSONSchema;
}

export interface RequestBodyObject {
  description?: string;
  content: Record<string, MediaTypeObject>;
  required?: boolean;
}

export interface ResponseObject {
  description: string;
  content?: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  tags?: string[];
  summary?: string;
  description?: string;
  operationId: string;
  deprecated?: boolean;
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject>;
  security?: SecurityRequirement[];
}

export interface OpenAPIDocument {
  openapi: "3.1.0";
  info: OpenAPIInfo;
  servers?: { url: string }[];
  paths: Record<string, Record<string, OperationObject>>;
  components?: {
    schemas?: Record<string, JSONSchema>;
    securitySchemes?: Record<string, SecuritySchemeObject>;
  };
}
