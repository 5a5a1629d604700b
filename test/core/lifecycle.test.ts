/** Cleanup order and cleanup after failure; route-, router- and app-level dependencies; errors as responses. */
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { Cleanup, createApp, dependency, gatehouse, HTTPException, Router, security, SecurityScopes } from "gatehouse";

function tracked(log: string[], name: string) {
  return dependency({ onCleanup: Cleanup }, ({ onCleanup }) => {
    log.push(`open ${name}`);
    onCleanup(async () => {
      await new Promise((r) => setTimeout(r, 1));
      log.push(`close ${name}`);
    });
    return name;
  }, { name });
}

async function settle() {
  await new Promise((r) => setTimeout(r, 30));
}

describe("cleanup", () => {
  it("runs after the response, in reverse order of registration", async () => {
    const log: string[] = [];
    const a = tracked(log, "a");
    const b = dependency({ a, own: tracked(log, "b") }, ({ a, own }) => a + own);
    const app = createApp({ fastify: { logger: false } });
    app.get("/x", { needs: { b } }, ({ b }) => {
      log.push("handler");
      return b;
    });
    const res = await app.inject("/x");
    expect(res.json()).toBe("ab");
    await settle();
    expect(log).toEqual(["open a", "open b", "handler", "close b", "close a"]);
  });

  it("runs when the handler fails, and the failure is still a clean 500", async () => {
    const log: string[] = [];
    const app = createApp({ fastify: { logger: false } });
    app.get("/x", { needs: { a: tracked(log, "a") } }, () => {
      throw new Error("boom with a secret stack");
    });
    const res = await app.inject("/x");
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ detail: "Internal Server Error" });
    expect(res.body).not.toContain("boom");
    await settle();
    expect(log).toEqual(["open a", "close a"]);
  });

  it("runs when a later dependency raises an HTTPException", async () => {
    const log: string[] = [];
    const deny = dependency(() => {
      throw new HTTPException(403, "nope", { "X-Why": "test" });
    });
    const app = createApp({ fastify: { logger: false } });
    app.get("/x", { needs: { a: tracked(log, "a"), deny } }, () => "unreachable");
    const res = await app.inject("/x");
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: "nope" });
    expect(res.headers["x-why"]).toBe("test");
    await settle();
    expect(log).toEqual(["open a", "close a"]);
  });
});

describe("dependencies lists", () => {
  it("route-, router- and app-level dependencies run, results unused, and their scopes count", async () => {
    const seen: string[] = [];
    const check = (name: string) =>
      dependency({ s: SecurityScopes }, ({ s }) => {
        seen.push(`${name}:${s.scopeStr}`);
      }, { name });
    const app = createApp({ fastify: { logger: false }, dependencies: [security(check("app"), ["admin"])] });
    const router = new Router({ prefix: "/r", dependencies: [security(check("router"), ["r"])] });
    router.get("/x", { dependencies: [security(check("route"), ["x"])] }, () => "ok");
    app.include(router, { prefix: "/outer" });
    const res = await app.inject("/outer/r/x");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toBe("ok");
    expect(seen).toEqual(["app:admin", "router:r", "route:x"]);
  });

  it("an HTTPException from an app-level dependency is the response", async () => {
    const guard = dependency(() => {
      throw new HTTPException(401, "Not authenticated", { "WWW-Authenticate": "Bearer" });
    });
    const app = createApp({ fastify: { logger: false }, dependencies: [guard] });
    app.get("/x", () => "unreachable");
    const res = await app.inject("/x");
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toBe("Bearer");
    expect(res.json()).toEqual({ detail: "Not authenticated" });
  });
});

describe("as a plugin of an existing Fastify app", () => {
  it("serves the router under the plugin prefix and leaves other routes alone", async () => {
    const router = new Router();
    router.get("/items/{id}", () => ({ ok: true }));
    const fastify = Fastify();
    fastify.get("/own", async () => "theirs");
    await fastify.register(gatehouse(router), { prefix: "/api" });
    expect((await fastify.inject("/api/items/1")).json()).toEqual({ ok: true });
    expect((await fastify.inject("/own")).body).toBe("theirs");
    const missing = await fastify.inject("/api/nothing");
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: "Not Found" });
    await fastify.close();
  });
});

describe("publicRoute", () => {
  it("skips inherited dependencies that involve a security scheme, keeps the others", async () => {
    const { publicRoute } = await import("gatehouse");
    const { OAuth2PasswordBearer } = await import("gatehouse/security");
    const ran: string[] = [];
    const guard = dependency({ token: new OAuth2PasswordBearer({ tokenUrl: "t" }) }, () => void ran.push("guard"));
    const audit = dependency(() => void ran.push("audit"));
    const app = createApp({ fastify: { logger: false }, dependencies: [guard, audit] });
    app.get("/health", publicRoute(), () => "ok");
    app.get("/private", () => "secret");
    const open = await app.inject("/health");
    expect(open.statusCode).toBe(200);
    expect(ran).toEqual(["audit"]);
    const closed = await app.inject("/private");
    expect(closed.statusCode).toBe(401);
    expect(closed.json()).toEqual({ detail: "Not authenticated" });
  });
});
