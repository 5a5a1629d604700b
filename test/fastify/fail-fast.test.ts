/**
 * Misconfigurations that used to start and then fail every request (or never serve) now fail at once,
 * saying why: a route added after start-up, a route added to a router already included, a `path()`
 * parameter the path lacks. And `/introspect` exists only when a client may call it.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp, dependency, GatehouseError, path, Router } from "gatehouse";
import { createTokenService, MemoryStore, tokenRouter, type Clients } from "gatehouse/tokens";
import { SECRET_KEY } from "../helpers.ts";

describe("routes after start-up", () => {
  it("refuses a route added after ready(), as Fastify does, instead of answering it 404", async () => {
    const app = createApp();
    app.get("/before", () => "ok");
    await app.ready();
    const late = () => app.get("/after", () => "never served");
    expect(late).toThrow(GatehouseError);
    expect(late).toThrow("gatehouse: GET /after: the app has started: declare every route before ready() or listen() (Fastify refuses late routes too)");
    expect(() => app.include(new Router().get("/also", () => "never"))).toThrow(expect.objectContaining({ code: "GH_ROUTE_AFTER_START" }));
    expect((await app.inject("/before")).statusCode).toBe(200);
    await app.close();
  });

  it("refuses a route added to a router that was already included (include copies its routes)", async () => {
    const items = new Router({ prefix: "/items" });
    items.get("/", () => []);
    const app = createApp();
    app.include(items);
    expect(() => items.post("/", () => "lost")).toThrow("gatehouse: POST /: this router was included into another, which copied its routes: add routes before include()");
    // Including it again (into another app) is fine: only adding to it is refused.
    createApp().include(items);
    await app.close();
  });
});

describe("path parameters", () => {
  it("fails start-up when a path() parameter is not in the route's path", async () => {
    const app = createApp();
    app.get("/items/", { needs: { item_id: path(z.string()) } }, function readItem({ item_id }) {
      return item_id;
    });
    await expect(app.ready()).rejects.toThrow('gatehouse: GET /items/: path parameter "item_id" (in readItem) is not in the path: declare it as {item_id} (its path has no parameter)');
  });

  it("checks dependencies too, and aliases", async () => {
    const owner = dependency({ id: path(z.coerce.number(), { alias: "owner_id" }) }, function owner({ id }) {
      return id;
    });
    const app = createApp();
    app.get("/owners/{id}/items", { needs: { owner } }, ({ owner }) => owner);
    await expect(app.ready()).rejects.toThrow('gatehouse: GET /owners/{id}/items: path parameter "owner_id" (in owner) is not in the path: declare it as {owner_id} (its path has only {id})');
    const fine = createApp();
    fine.get("/owners/{owner_id}/items", { needs: { owner } }, ({ owner }) => owner);
    await fine.ready();
    expect((await fine.inject("/owners/7/items")).json()).toBe(7);
    await fine.close();
  });
});

describe("/introspect", () => {
  async function appWith(clients: Clients | undefined) {
    const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET_KEY } }, store: new MemoryStore(), sweepIntervalMs: 0 });
    const app = createApp();
    app.include(tokenRouter({ tokens, authenticate: () => undefined, clients }));
    app.fastify.addHook("onClose", () => tokens.close());
    await app.ready();
    return app;
  }

  it.each([
    ["no client", undefined],
    ["clients that may not introspect", { web: { secret: "s" }, app: { secret: "t", introspect: false } }],
  ] as const)("is neither served nor documented with %s", async (_, clients) => {
    const app = await appWith(clients);
    expect((await app.inject({ method: "POST", url: "/introspect", payload: "token=x", headers: { "content-type": "application/x-www-form-urlencoded" } })).statusCode).toBe(404);
    const document = app.openapi();
    expect(Object.keys(document.paths)).toEqual(["/token", "/revoke"]);
    expect(document.components?.securitySchemes ?? {}).not.toHaveProperty("TokenClientBasic");
    await app.close();
  });

  it("is served and documented once a client has introspect: true", async () => {
    const app = await appWith({ rs: { secret: "rs-secret", introspect: true } });
    expect(Object.keys(app.openapi().paths)).toContain("/introspect");
    expect(app.openapi().components?.securitySchemes).toHaveProperty("TokenClientBasic");
    const res = await app.inject({ method: "POST", url: "/introspect", payload: "token=x", headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from("rs:rs-secret").toString("base64")}` } });
    expect([res.statusCode, res.json()]).toEqual([200, { active: false }]);
    await app.close();
  });
});
