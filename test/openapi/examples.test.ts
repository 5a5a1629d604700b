/** Every example's document is valid OpenAPI 3.1 (a maintained validator decides), references included. */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { App } from "gatehouse";
import { expectValidOpenAPI31 } from "./validator.ts";

// Examples that read their secrets from the environment, as real apps do (examples/notes.ts).
process.env.SECRET_KEY ??= "examples-openapi-test-secret-0123456789abcdef0123";
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
