/** HTTP exceptions as FastAPI answers them, whether built per request or reused (frozen) by a scheme. */
import { describe, expect, it } from "vitest";
import { createApp, HTTPException } from "gatehouse";

const challenge = { "WWW-Authenticate": "Bearer" };
const reused = Object.freeze(new HTTPException(401, "Not authenticated", challenge));
const problem = Object.freeze(new HTTPException(400, { title: "bad" }, { "Content-Type": "application/problem+json" }));

const app = createApp();
app.get("/fresh", () => {
  throw new HTTPException(401, "Not authenticated", challenge);
});
app.get("/reused", () => {
  throw reused;
});
app.get("/problem", () => {
  throw problem;
});

describe("HTTPException answers", () => {
  it("a reused exception answers byte for byte as a fresh one, every time", async () => {
    const fresh = await app.inject("/fresh");
    for (let i = 0; i < 2; i++) {
      const again = await app.inject("/reused");
      expect(again.statusCode).toBe(401);
      expect(again.body).toBe('{"detail":"Not authenticated"}');
      expect(again.body).toBe(fresh.body);
      for (const name of ["content-type", "content-length", "www-authenticate"]) expect(again.headers[name]).toBe(fresh.headers[name]);
    }
    expect(fresh.headers["content-type"]).toBe("application/json; charset=utf-8");
  });

  it("a reused exception keeps a content type of its own", async () => {
    const res = await app.inject("/problem");
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json(;|$)/);
    expect(res.json()).toEqual({ detail: { title: "bad" } });
  });
});
