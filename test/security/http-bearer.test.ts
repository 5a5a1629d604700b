import { describe, expect, it } from "vitest";
import { HTTPBearer } from "gatehouse/security";
import { expectNotAuthenticated, expectValue, openapiOf, repeated, useSchemeApp } from "./scheme-app.ts";

const auth = (...values: string[]) => (values.length === 1 ? { authorization: values[0]! } : repeated("authorization", ...values));

describe.each([true, false])("HTTPBearer, autoError %s", (autoError) => {
  const app = useSchemeApp(new HTTPBearer({ autoError }));
  const get = (headers: Record<string, string>) => app.inject({ url: "/", headers });
  const expectAbsent = async (headers: Record<string, string>) => {
    const res = await get(headers);
    if (autoError) expectNotAuthenticated(res, "Bearer");
    else expectValue(res, null);
  };

  it("injects scheme and credentials", async () => {
    expectValue(await get(auth("Bearer foobar")), { scheme: "Bearer", credentials: "foobar" });
  });

  it("keeps the scheme as the client wrote it, and accepts any case", async () => {
    expectValue(await get(auth("bearer foobar")), { scheme: "bearer", credentials: "foobar" });
    expectValue(await get(auth("BEARER foobar")), { scheme: "BEARER", credentials: "foobar" });
  });

  it("splits at the first space only, and trims the credentials", async () => {
    expectValue(await get(auth("Bearer a b  c ")), { scheme: "Bearer", credentials: "a b  c" });
    expectValue(await get(auth("Bearer    tok")), { scheme: "Bearer", credentials: "tok" });
  });

  it("treats a missing or empty header as absent", async () => {
    await expectAbsent({});
    await expectAbsent(auth(""));
  });

  it("treats a scheme without credentials as absent", async () => {
    await expectAbsent(auth("Bearer"));
    await expectAbsent(auth("Bearer    "));
  });

  it("treats another scheme as absent (FastAPI 0.14x: 401 / None, not 403)", async () => {
    await expectAbsent(auth("Basic notreally"));
    await expectAbsent(auth("Digest foobar"));
    await expectAbsent(auth("Bearerfoobar"));
  });

  it("reads the first of repeated Authorization headers, as Starlette", async () => {
    expectValue(await get(auth("Bearer first", "Bearer second")), { scheme: "Bearer", credentials: "first" });
    await expectAbsent(auth("Basic first", "Bearer second"));
  });

  it("is documented as {type: http, scheme: bearer}, no bearerFormat unless given", async () => {
    expect(openapiOf(app)).toEqual({ schemes: { HTTPBearer: { type: "http", scheme: "bearer" } }, security: [{ HTTPBearer: [] }] });
  });
});

describe("HTTPBearer with bearerFormat and description", () => {
  const app = useSchemeApp(new HTTPBearer({ bearerFormat: "JWT", description: "HTTP Bearer token scheme" }));

  it("documents both, in FastAPI's key order", async () => {
    const { schemes } = openapiOf(app);
    expect(schemes).toEqual({ HTTPBearer: { type: "http", description: "HTTP Bearer token scheme", scheme: "bearer", bearerFormat: "JWT" } });
    expect(Object.keys((schemes as Record<string, object>).HTTPBearer!)).toEqual(["type", "description", "scheme", "bearerFormat"]);
  });

  it("does not change what is extracted", async () => {
    expectValue(await app.inject({ url: "/", headers: auth("Bearer t") }), { scheme: "Bearer", credentials: "t" });
    expectNotAuthenticated(await app.inject({ url: "/" }), "Bearer");
  });

  it("rejects a bearerFormat that is not a string", () => {
    // @ts-expect-error bearerFormat is a string
    expect(() => new HTTPBearer({ bearerFormat: 1 })).toThrow(/bearerFormat/);
  });
});
