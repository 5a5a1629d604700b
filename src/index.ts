/**
 * @module gatehouse — FastAPI's dependency and security system for TypeScript, on Fastify.
 *
 * @example
 * import { createApp, dependency, security, SecurityScopes } from "gatehouse";
 * import { OAuth2PasswordBearer } from "gatehouse/security";
 */
export { App, createApp, gatehouse } from "./fastify/index.ts";
export type { AppOptions, GatehouseOptions } from "./fastify/index.ts";
export { Router, publicRoute } from "./core/router.ts";
export type { HandlerResult, HttpMethod, ResponseDoc, RouteConfig, RouteDefinition, RouterOptions } from "./core/router.ts";
export { Dependency, Use, dependency, depends, security } from "./core/dependency.ts";
export type { DependencyLike, DependencyOptions, UseOptions } from "./core/dependency.ts";
export { SecurityScopes, mergeScopes } from "./core/scopes.ts";
export { anyOf, optional } from "./core/alternatives.ts";
export { Cleanup, HttpRequest, HttpResponse } from "./core/markers.ts";
export type { Marker, RegisterCleanup, ResponseView } from "./core/markers.ts";
export { Param, body, cookie, form, header, path, query } from "./core/params.ts";
export type { BodyOptions, ParamLocation, ParamOptions } from "./core/params.ts";
export { ConfigurationError, GatehouseError, gatehouseError, HTTPException, NotAuthenticatedError, RequestValidationError, ResponseValidationError } from "./core/errors.ts";
export type { HeaderMap, HttpErrorOptions, ProgramError, ValidationIssue } from "./core/errors.ts";
export { ERROR_CATALOG } from "./core/catalog.ts";
export type { ErrorCode, HttpErrorCode, OAuthErrorCode, ProgramErrorCode } from "./core/catalog.ts";
export { errorResponse, oauthErrorBody } from "./core/error-style.ts";
export type { ErrorResponse, ErrorStyle, OAuthErrorBody } from "./core/error-style.ts";
export { Refusal } from "./core/refusal.ts";
export type { RequestView } from "./core/request.ts";
export type { Injectable, Needs, Resolved, ScopeName, ValueOf } from "./core/types.ts";
