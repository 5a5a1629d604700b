/** anyOf and optional: tried in order, lazily; absent vs refused; challenges combined. */
import { describe, expect, it } from "vitest";
import { anyOf, Cleanup, createApp, dependency, HTTPException, optional, security, SecurityScopes } from "gatehouse";
import { OAuth2PasswordBearer } from "gatehouse/security";

const bearer = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { read: "Read." } });

function setup() {
  const calls: string[] = [];
  // A stand-in API-key scheme: a dependency reading a header, failing like a scheme would.
  const key = dependency({ token: new OAuth2PasswordBearer({ tokenUrl: "t", schemeName: "Key" }) }, function keyUser({ token }) {
    calls.push("key");
    if (token !== "good-key") throw new HTTPException(401, "Invalid key", { "WWW-Authenticate": "Bearer" });
    return { via: "key" as const };
  });
  const user = dependency({ token: bearer, s: SecurityScopes }, function tokenUser({ token, s }) {
    calls.push(`token:${s.scopeStr}`);
    if (token !== "good-token") throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": 'Bearer error="invalid_token"' });
    return { via: "token" as const };
  });
  const app = createApp({ fastify: { logger: false } });
  app.get("/any", { needs: { caller: anyOf(key, security(user, ["read"])) } }, ({ caller }) => caller);
  app.get("/opt", { needs: { caller: optional(user) } }, ({ caller }) => ({ caller: caller ?? null }));
  return { app, calls };
}

describe("anyOf", () => {
  it("stops at the first alternative that succeeds: the second never runs", async () => {
    const { app, calls } = setup();
    const res = await app.inject({ url: "/any", headers: { authorization: "Bearer good-key" } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ via: "key" });
    expect(calls).toEqual(["key"]);
  });

  it("moves on when an earlier one refuses, with the scopes of its own path", async () => {
    const { app, calls } = setup();
    const res = await app.inject({ url: "/any", headers: { authorization: "Bearer good-token" } });
    expect(res.json()).toEqual({ via: "token" });
    expect(calls).toEqual(["key", "token:read"]);
  });

  it("with every credential refused, answers with the first refusal", async () => {
    const { app } = setup();
    const res = await app.inject({ url: "/any", headers: { authorization: "Bearer nope" } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: "Invalid key" });
  });

  it("with no credential at all, 401 Not authenticated", async () => {
    const { app, calls } = setup();
    const res = await app.inject("/any");
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: "Not authenticated" });
    expect(res.headers["www-authenticate"]).toBe("Bearer");
    expect(calls).toEqual([]);
  });

  it("lets other errors through at once", async () => {
    const down = dependency(() => {
      throw new HTTPException(503, "store unavailable");
    });
    const never = dependency(() => "never");
    const app = createApp({ fastify: { logger: false } });
    app.get("/x", { needs: { v: anyOf(down, never) } }, ({ v }) => v);
    const res = await app.inject("/x");
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ detail: "store unavailable" });
  });

  it("runs the cleanups its alternatives register", async () => {
    const log: string[] = [];
    const withCleanup = dependency({ onCleanup: Cleanup }, ({ onCleanup }) => {
      onCleanup(() => log.push("closed"));
      return "v";
    });
    const app = createApp({ fastify: { logger: false } });
    app.get("/x", { needs: { v: anyOf(withCleanup) } }, ({ v }) => v);
    expect((await app.inject("/x")).json()).toBe("v");
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(["closed"]);
  });
});

describe("optional", () => {
  it("injects undefined when the credential is absent", async () => {
    const { app } = setup();
    const res = await app.inject("/opt");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ caller: null });
  });

  it("still refuses a credential that is present but wrong", async () => {
    const { app } = setup();
    const res = await app.inject({ url: "/opt", headers: { authorization: "Bearer bad" } });
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
  });
});
