/** Every example's document is valid OpenAPI 3.1 (a maintained validator decides), references included. */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { App } from "gatehouse";
import { SECRET_KEY } from "../helpers.ts";
import { expectValidOpenAPI31 } from "./validator.ts";

// examples/resource-server.ts needs its issuer; nothing is fetched from it until a token arrives.
process.env.OIDC_ISSUER ??= "https://id.example.com";
// The quick start refuses to start without a secret of its own (no literal fallback).
process.env.SECRET_KEY ??= SECRET_KEY;
process.env.RS_SECRET ??= "examples-openapi-test-rs-secret";
const examples = readdirSync(new URL("../../examples/", import.meta.url)).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3));

describe("examples' OpenAPI documents", () => {
  it("cover every example", () => {
    expect(examples).toEqual(expect.arrayContaining(["seed", "seed-enforced", "schemes", "alternatives", "public-and-optional", "typed-scopes", "client-credentials", "quickstart"]));
  });

  it.each(examples)("examples/%s.ts serves a valid OpenAPI 3.1 document", async (name) => {
    const { app } = (await import(`../../examples/${name}.ts`)) as { app: App };
    await app.ready();
    try {
      const res = await app.inject("/openapi.json");
      expect(res.statusCode).toBe(200);
      const document = res.json();
      expect(document.openapi).toBe("3.1.0");
      await expectValidOpenAPI31(document);
      const ids = Object.values(document.paths as Record<string, Record<string, { operationId: string }>>).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await app.close();
    }
  });
});
