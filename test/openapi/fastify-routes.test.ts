/**
 * What the README says of routes registered on Fastify directly: they are served, and they are not in
 * `/openapi.json`, even with a JSON schema; declared on the app, the same route is documented.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp, query } from "gatehouse";

describe("routes registered on the Fastify instance", () => {
  it("are served but not documented; the same route declared on the app is", async () => {
    const app = createApp();
    app.fastify.get("/raw", { schema: { querystring: { type: "object", properties: { q: { type: "string" } } } } }, async (request) => ({ q: (request.query as { q?: string }).q }));
    app.get("/declared", { needs: { q: query(z.string()) } }, ({ q }) => ({ q }));
    await app.ready();
    expect((await app.inject("/raw?q=x")).json()).toEqual({ q: "x" });
    const document = (await app.inject("/openapi.json")).json() as { paths: Record<string, { get: { parameters: { name: string }[] } }> };
    expect(Object.keys(document.paths)).toEqual(["/declared"]);
    expect(document.paths["/declared"]!.get.parameters.map((p) => p.name)).toEqual(["q"]);
    await app.close();
  });
});
