/** Parameters from every location, and 422s in FastAPI's current shape. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { body, cookie, createApp, dependency, form, header, path, query } from "gatehouse";

function app() {
  const app = createApp({ fastify: { logger: false } });
  app.get(
    "/items/{itemId}",
    {
      needs: {
        itemId: path(z.coerce.number().int()),
        q: query(z.string().optional()),
        limit: query(z.coerce.number().int().max(100).default(10)),
        tags: query(z.array(z.string()).default([])),
        userAgent: header(z.string().default("none")),
        session: cookie(z.string().optional()),
      },
    },
    (args) => args,
  );
  app.post("/items", { needs: { item: body(z.object({ name: z.string().min(1), price: z.number() })) }, status: 201 }, ({ item }) => item);
  app.post("/login", { needs: { data: form(z.object({ username: z.string(), password: z.string(), remember: z.stringbool().default(false) })) } }, ({ data }) => data);
  return app;
}

describe("parameters", () => {
  it("reads path, query, header and cookie values, coerced by their schemas", async () => {
    const res = await app().inject({ url: "/items/7?q=x&limit=5&tags=a&tags=b", headers: { "user-agent": "ua", cookie: "session=s%201" } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ itemId: 7, q: "x", limit: 5, tags: ["a", "b"], userAgent: "ua", session: "s%201" });
  });

  it("takes the last of a repeated query parameter, as Starlette does", async () => {
    expect((await app().inject("/items/1?q=first&q=last")).json().q).toBe("last");
  });

  it("answers every invalid parameter at once with a 422 in FastAPI's shape", async () => {
    const res = await app().inject("/items/abc?limit=1000");
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      detail: [
        { type: "int_parsing", loc: ["path", "itemId"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "abc" },
        { type: "less_than_equal", loc: ["query", "limit"], msg: "Input should be less than or equal to 100", input: "1000", ctx: { le: 100 } },
      ],
    });
  });

  it("validates a JSON body, with the loc of each field and the 201 the route declares", async () => {
    const a = app();
    const ok = await a.inject({ method: "POST", url: "/items", payload: { name: "x", price: 1, extra: true } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ name: "x", price: 1 });
    const bad = await a.inject({ method: "POST", url: "/items", payload: { name: "" } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toEqual({
      detail: [
        { type: "string_too_short", loc: ["body", "name"], msg: "String should have at least 1 character", input: "", ctx: { min_length: 1 } },
        { type: "missing", loc: ["body", "price"], msg: "Field required", input: { name: "" } },
      ],
    });
  });

  it("reports a missing body as FastAPI does", async () => {
    const res = await app().inject({ method: "POST", url: "/items" });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: [{ type: "missing", loc: ["body"], msg: "Field required", input: null }] });
  });

  it("reports a body that is not JSON as json_invalid", async () => {
    const res = await app().inject({ method: "POST", url: "/items", headers: { "content-type": "application/json" }, payload: "{nope" });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: "json_invalid", loc: ["body", 0], msg: "JSON decode error" });
  });

  it("reads a form; an empty field counts as absent, as in FastAPI", async () => {
    const a = app();
    const ok = await a.inject({ method: "POST", url: "/login", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "username=u&password=p&remember=true" });
    expect(ok.json()).toEqual({ username: "u", password: "p", remember: true });
    const empty = await a.inject({ method: "POST", url: "/login", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "username=&password=p" });
    expect(empty.statusCode).toBe(422);
    expect(empty.json()).toEqual({ detail: [{ type: "missing", loc: ["body", "username"], msg: "Field required", input: null }] });
  });

  it("reads a multipart form too", async () => {
    const boundary = "----gatehouse";
    const payload = [`--${boundary}`, 'Content-Disposition: form-data; name="username"', "", "u", `--${boundary}`, 'Content-Disposition: form-data; name="password"', "", "p", `--${boundary}--`, ""].join("\r\n");
    const res = await app().inject({ method: "POST", url: "/login", headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, payload });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ username: "u", password: "p", remember: false });
  });

  it("a form route sent JSON reports the missing fields, not a 415", async () => {
    const res = await app().inject({ method: "POST", url: "/login", payload: { username: "u", password: "p" } });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail.map((d: { loc: string[] }) => d.loc)).toEqual([["body", "username"], ["body", "password"]]);
  });

  it("a dependency whose parameter failed does not run; the handler does not run", async () => {
    let ran = false;
    const needsQ = dependency({ q: query(z.string()) }, ({ q }) => {
      ran = true;
      return q;
    });
    const a = createApp({ fastify: { logger: false } });
    a.get("/x", { needs: { v: needsQ } }, () => "never");
    const res = await a.inject("/x");
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: [{ type: "missing", loc: ["query", "q"], msg: "Field required", input: null }] });
    expect(ran).toBe(false);
  });
});
