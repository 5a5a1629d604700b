/** Helpers for the scheme tests: a one-route app per scheme, and the 401 every scheme answers. */
import { afterAll, beforeAll, expect } from "vitest";
import { createApp, type App } from "gatehouse";
import type { SecurityBase } from "gatehouse/security";
import type { LightMyRequestResponse } from "fastify";

/** An app whose `GET /` injects `scheme` and answers `{"value": result}` (`undefined` → `null`). */
export function schemeApp(scheme: SecurityBase<unknown, string>): App {
  const app = createApp();
  app.get("/", { needs: { value: scheme } }, ({ value }) => ({ value: value ?? null }));
  return app;
}

/** Create the app once for the enclosing `describe`, ready before its tests, closed after. */
export function useSchemeApp(scheme: SecurityBase<unknown, string>): App {
  const app = schemeApp(scheme);
  beforeAll(() => app.ready());
  afterAll(() => app.close());
  return app;
}

/** FastAPI's `make_not_authenticated_error()`: 401, `{"detail": "Not authenticated"}`, the exact challenge. */
export function expectNotAuthenticated(res: LightMyRequestResponse, challenge: string): void {
  expect(res.statusCode).toBe(401);
  expect(res.json()).toEqual({ detail: "Not authenticated" });
  expect(res.headers["www-authenticate"]).toBe(challenge);
}

/** A 200 carrying `value`, and no challenge. */
export function expectValue(res: LightMyRequestResponse, value: unknown): void {
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ value });
  expect(res.headers["www-authenticate"]).toBeUndefined();
}

/** The scheme's entry in `components.securitySchemes` and the `security` of `GET /`, of a ready app. */
export function openapiOf(app: App): { schemes: unknown; security: unknown } {
  const doc = app.openapi() as { components?: { securitySchemes?: unknown }; paths: Record<string, Record<string, { security?: unknown }>> };
  return { schemes: doc.components?.securitySchemes, security: doc.paths["/"]?.get?.security };
}

export function basicHeader(userPass: string | Buffer): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(userPass).toString("base64")}` };
}

/** A header sent several times (Node's own typings allow only one `authorization`). */
export function repeated(name: string, ...values: string[]): Record<string, string> {
  return { [name]: values } as unknown as Record<string, string>;
}
