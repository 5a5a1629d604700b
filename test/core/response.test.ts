/** The response schema (FastAPI's response_model) and how results and errors become responses. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp, HttpResponse, HTTPException } from "gatehouse";

const User = z.object({ username: z.string(), email: z.string().nullish() });

function app() {
  const logs: string[] = [];
  const app = createApp({ fastify: { logger: { level: "error", stream: { write: (line: string) => void logs.push(line) } } } });
  app.get("/user", { response: User }, () => ({ username: "u", email: null, hashed_password: "$2b$12$secret" }));
  app.get("/bad", { response: User }, () => ({ username: 42 }) as unknown as z.input<typeof User>);
  app.get("/string", () => "hello");
  app.get("/none", () => undefined);
  app.get("/crash", () => {
    throw new TypeError("internal detail that must stay private");
  });
  app.get("/teapot", () => {
    throw new HTTPException(418);
  });
  app.get("/headers", { needs: { response: HttpResponse } }, ({ response }) => {
    response.status = 202;
    response.headers["cache-control"] = "no-store";
    return { accepted: true };
  });
  return { app, logs };
}

describe("responses", () => {
  it("drops every field the response schema does not declare", async () => {
    const res = await app().app.inject("/user");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ username: "u", email: null });
    expect(res.body).not.toContain("hashed_password");
  });

  it("a result that fails its schema is a plain 500, details only in the log", async () => {
    const { app: a, logs } = app();
    const res = await a.inject("/bad");
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ detail: "Internal Server Error" });
    expect(logs.join("")).toContain("response failed its schema");
  });

  it("sends strings and undefined as JSON, as FastAPI does", async () => {
    const a = app().app;
    const s = await a.inject("/string");
    expect(s.headers["content-type"]).toMatch(/^application\/json/);
    expect(s.json()).toBe("hello");
    expect((await a.inject("/none")).body).toBe("null");
  });

  it("an unknown error is a bare 500 with the stack only in the log", async () => {
    const { app: a, logs } = app();
    const res = await a.inject("/crash");
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ detail: "Internal Server Error" });
    expect(res.body).not.toContain("internal detail");
    expect(logs.join("")).toContain("internal detail that must stay private");
  });

  it("an HTTPException without detail uses the status phrase", async () => {
    const res = await app().app.inject("/teapot");
    expect(res.statusCode).toBe(418);
    expect(res.json()).toEqual({ detail: "I'm a Teapot" });
  });

  it("a handler sets status and headers through HttpResponse", async () => {
    const res = await app().app.inject("/headers");
    expect(res.statusCode).toBe(202);
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("an unknown path is FastAPI's 404", async () => {
    const res = await app().app.inject("/nowhere");
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: "Not Found" });
  });
});

describe("the app's own logger", () => {
  it("gets a 500's details when Fastify runs without a logger, and no request lines", async () => {
    const { pino } = await import("pino");
    const lines: string[] = [];
    const app = createApp({ logger: pino({ level: "info" }, { write: (line: string) => void lines.push(line) }) });
    app.get("/crash", () => {
      throw new Error("kept for the log only");
    });
    app.get("/ok", () => "fine");
    await app.inject("/ok");
    const res = await app.inject("/crash");
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain("kept for the log only");
    expect(lines.join("")).toContain("kept for the log only");
    expect(lines).toHaveLength(1);
    expect(app.log).toBeDefined();
  });
});
