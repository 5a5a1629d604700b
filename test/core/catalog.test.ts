/** The error catalog against the README's error table, as Fastify checks `lib/errors.js` against `Errors.md`. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigurationError, GatehouseError, gatehouseError, HTTPException } from "gatehouse";
import { ERROR_CATALOG, isHttpErrorCode, type ErrorCode } from "../../src/core/catalog.ts";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const section = readme.slice(readme.indexOf("## Errors"), readme.indexOf("\n## ", readme.indexOf("## Errors") + 1));
const rows = [...section.matchAll(/^\| `(GH_\w+)` \| ([^|]+) \| ([^|]*) \| (.+) \|$/gm)].map(([, code, status, oauth, meaning]) => ({
  code: code!,
  status: status!.trim(),
  oauth: oauth!.trim().replace(/`/g, ""),
  meaning: meaning!.trim(),
}));
const codes = Object.keys(ERROR_CATALOG) as ErrorCode[];

describe("the error catalog", () => {
  it("has exactly the README's codes, in its order", () => {
    expect(rows.length).toBe(codes.length);
    expect(rows.map((row) => row.code)).toEqual(codes);
  });

  it("agrees with the README on each code's status and OAuth error", () => {
    for (const row of rows) {
      const spec = ERROR_CATALOG[row.code as ErrorCode];
      if ("status" in spec) {
        expect(row.status, row.code).toBe(String(spec.status));
        expect(row.oauth, row.code).toBe(spec.oauth ?? "");
      } else {
        expect(row.status, row.code).toBe({ startup: "start-up", usage: "call", store: "store" }[spec.raised]);
        expect(row.oauth, row.code).toBe("");
      }
      expect(row.meaning, row.code).toBe(spec.summary);
    }
  });

  it("builds each code as its kind: request errors, start-up TypeErrors, program errors", () => {
    for (const code of codes) {
      const spec = ERROR_CATALOG[code];
      if (isHttpErrorCode(code)) {
        const error = gatehouseError(code);
        expect(error).toBeInstanceOf(HTTPException);
        expect(error.code).toBe(code);
        expect(error.status).toBe(ERROR_CATALOG[code].status);
        expect(error.oauthError).toBe(ERROR_CATALOG[code].oauth);
      } else {
        const error = gatehouseError(code, "message");
        expect(error.code).toBe(code);
        expect(error.message).toBe("message");
        if ("raised" in spec && spec.raised === "startup") expect(error).toBeInstanceOf(ConfigurationError);
        else expect(error).toBeInstanceOf(GatehouseError);
        if (error instanceof ConfigurationError) expect(error).toBeInstanceOf(TypeError);
      }
    }
  });

  it("lets a request error override its detail and headers, keeping code and status", () => {
    const error = gatehouseError("GH_INSUFFICIENT_SCOPE", { detail: "No.", headers: { "WWW-Authenticate": 'Bearer error="insufficient_scope", scope="a"' } });
    expect([error.status, error.detail, error.code, error.oauthError]).toEqual([403, "No.", "GH_INSUFFICIENT_SCOPE", "insufficient_scope"]);
    expect(error.headers).toEqual({ "WWW-Authenticate": 'Bearer error="insufficient_scope", scope="a"' });
  });
});
