/** What the document says about alternatives, optional and public routes, in both security styles. */
import { describe, expect, it } from "vitest";
import { anyOf, createApp, dependency, optional, publicRoute, security, type AppOptions } from "gatehouse";
import { APIKeyHeader, HTTPBearer, OAuth2PasswordBearer } from "gatehouse/security";
import { expectValidOpenAPI31 } from "./validator.ts";

const key = new APIKeyHeader({ name: "x-key", schemeName: "Key" });
const optionalKey = new APIKeyHeader({ name: "x-key", schemeName: "Key", autoError: false });
const bearer = new HTTPBearer({ schemeName: "Bearer" });
const oauth = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { read: "Read.", write: "Write." } });

const keyUser = dependency({ k: key }, function keyUser({ k }) {
  return k;
});
const tokenUser = dependency({ t: oauth }, function tokenUser({ t }) {
  return t;
});

async function securityOf(options: AppOptions = {}) {
  const app = createApp({ fastify: { logger: false }, dependencies: [], ...options });
  app.get("/together", { needs: { k: key, b: bearer } }, function together() {});
  app.get("/either", { needs: { who: anyOf(keyUser, security(tokenUser, ["read"])) } }, function either() {});
  app.get("/maybe", { needs: { who: optional(security(tokenUser, ["read"])) } }, function maybe() {});
  app.get("/lenient", { needs: { k: optionalKey } }, function lenient() {});
  app.get("/open", publicRoute(), function open() {});
  await app.ready();
  const document = app.openapi();
  await expectValidOpenAPI31(document);
  return Object.fromEntries(Object.entries(document.paths).map(([path, op]) => [path, op.get!.security]));
}

describe("security requirements", () => {
  it("default style: FastAPI's list, plus what anyOf, optional and publicRoute state", async () => {
    expect(await securityOf()).toEqual({
      "/together": [{ Key: [] }, { Bearer: [] }],
      "/either": [{ Key: [] }, { OAuth2PasswordBearer: ["read"] }],
      "/maybe": [{ OAuth2PasswordBearer: ["read"] }, {}],
      "/lenient": [{ Key: [] }],
      "/open": undefined, // nothing inherited to drop: no security key, as for any route without a scheme
    });
  });

  it("exact style: schemes needed together are one requirement; no credential needed shows {}", async () => {
    expect(await securityOf({ securityStyle: "exact" })).toEqual({
      "/together": [{ Key: [], Bearer: [] }],
      "/either": [{ Key: [] }, { OAuth2PasswordBearer: ["read"] }],
      "/maybe": [{ OAuth2PasswordBearer: ["read"] }, {}],
      "/lenient": [{ Key: [] }, {}],
      "/open": undefined, // nothing inherited to drop: no security key, as for any route without a scheme
    });
  });

  it("publicRoute under app-level security: [] on the public route, the requirement on the others", async () => {
    const app = createApp({ fastify: { logger: false }, dependencies: [security(tokenUser, ["read"])] });
    app.get("/health", publicRoute(), function health() {});
    app.get("/data", function data() {});
    await app.ready();
    const document = app.openapi();
    await expectValidOpenAPI31(document);
    expect(document.paths["/health"]!.get!.security).toEqual([]);
    expect(document.paths["/data"]!.get!.security).toEqual([{ OAuth2PasswordBearer: ["read"] }]);
  });
});
