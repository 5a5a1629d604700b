/** SecurityScopes along each path, sibling isolation, and the per-request cache (SPEC §1). */
import { describe, expect, it } from "vitest";
import { createApp, dependency, depends, security, SecurityScopes } from "gatehouse";
import { OAuth2PasswordBearer } from "gatehouse/security";

const scheme = new OAuth2PasswordBearer({ tokenUrl: "token" });
const auth = { authorization: "Bearer t" };

function counting() {
  const calls: string[][] = [];
  const leaf = dependency({ securityScopes: SecurityScopes, token: scheme }, function leaf({ securityScopes }) {
    calls.push([...securityScopes.scopes]);
    return securityScopes.scopes;
  });
  return { calls, leaf };
}

describe("SecurityScopes", () => {
  it("is the ordered union outer-first, without duplicates", async () => {
    const { leaf } = counting();
    const middle = dependency({ inner: security(leaf, ["b", "a"]) }, ({ inner }) => inner);
    const app = createApp({ fastify: { logger: false } });
    app.get("/x", { needs: { v: security(middle, ["a", "c"]) } }, ({ v }) => v);
    const res = await app.inject({ url: "/x", headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(["a", "c", "b"]);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("does not leak between sibling security() uses (FastAPI #5623)", async () => {
    const { leaf } = counting();
    const dep1 = dependency({ s: security(leaf, ["scope1"]) }, ({ s }) => s);
    const dep2 = dependency({ s: security(leaf, ["scope2"]) }, ({ s }) => s);
    const app = createApp({ fastify: { logger: false } });
    app.get("/x", { needs: { one: security(dep1, ["outer1"]), two: security(dep2, ["outer2"]) } }, (v) => v);
    const res = await app.inject({ url: "/x", headers: auth });
    expect(res.json()).toEqual({ one: ["outer1", "scope1"], two: ["outer2", "scope2"] });
  });

  it("is empty under a plain depends()", async () => {
    const { leaf } = counting();
    const app = createApp({ fastify: { logger: false } });
    app.get("/x", { needs: { v: depends(leaf) } }, ({ v }) => v);
    expect((await app.inject({ url: "/x", headers: auth })).json()).toEqual([]);
  });

  it("gives scopeStr joined by single spaces", async () => {
    const app = createApp({ fastify: { logger: false } });
    const dep = dependency({ s: SecurityScopes }, ({ s }) => s.scopeStr);
    app.get("/x", { needs: { v: security(dep, ["items", "me"]) } }, ({ v }) => v);
    expect((await app.inject("/x")).json()).toBe("items me");
  });
});

describe("per-request cache", () => {
  it("runs a dependency once per (dependency, sorted scopes), twice for two scope sets", async () => {
    const { calls, leaf } = counting();
    const a = dependency({ x: security(leaf, ["a", "b"]) }, ({ x }) => x);
    const b = dependency({ x: security(leaf, ["b", "a"]) }, ({ x }) => x);
    const c = dependency({ x: security(leaf, ["c"]) }, ({ x }) => x);
    const app = createApp({ fastify: { logger: false } });
    app.get("/same", { needs: { a, b } }, () => calls.length);
    app.get("/two", { needs: { a, c } }, () => calls.length);
    expect((await app.inject({ url: "/same", headers: auth })).json()).toBe(1);
    calls.length = 0;
    expect((await app.inject({ url: "/two", headers: auth })).json()).toBe(2);
    expect(calls).toEqual([["a", "b"], ["c"]]);
  });

  it("caches a dependency that uses no scopes by itself alone, however many scoped paths reach it", async () => {
    let runs = 0;
    const db = dependency(function db() {
      runs++;
      return "db";
    });
    const a = dependency({ db }, ({ db }) => db);
    const app = createApp({ fastify: { logger: false } });
    app.get("/x", { needs: { one: security(a, ["s1"]), two: security(a, ["s2"]), three: db } }, () => runs);
    expect((await app.inject("/x")).json()).toBe(1);
  });

  it("runs again for useCache: false", async () => {
    let runs = 0;
    const counter = dependency(function counter() {
      return ++runs;
    });
    const app = createApp({ fastify: { logger: false } });
    app.get("/x", { needs: { a: counter, b: depends(counter, { useCache: false }), c: counter } }, (v) => v);
    expect((await app.inject("/x")).json()).toEqual({ a: 1, b: 2, c: 1 });
  });

  it("starts fresh on every request", async () => {
    let runs = 0;
    const counter = dependency(() => ++runs);
    const app = createApp({ fastify: { logger: false } });
    app.get("/x", { needs: { n: counter } }, ({ n }) => n);
    expect((await app.inject("/x")).json()).toBe(1);
    expect((await app.inject("/x")).json()).toBe(2);
  });
});
