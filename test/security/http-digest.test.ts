import { describe, expect, it } from "vitest";
import { HTTPBase, HTTPDigest } from "gatehouse/security";
import { expectNotAuthenticated, expectValue, openapiOf, useSchemeApp } from "./scheme-app.ts";

const auth = (value: string) => ({ authorization: value });
const digest = 'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", response="8ca5"';

describe.each([true, false])("HTTPDigest, autoError %s", (autoError) => {
  const app = useSchemeApp(new HTTPDigest({ autoError }));
  const get = (headers: Record<string, string>) => app.inject({ url: "/", headers });
  const expectAbsent = async (headers: Record<string, string>) => {
    const res = await get(headers);
    if (autoError) expectNotAuthenticated(res, "Digest");
    else expectValue(res, null);
  };

  it("injects the parameters unverified (the app checks the digest)", async () => {
    expectValue(await get(auth(digest)), {
      scheme: "Digest",
      credentials: 'username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", response="8ca5"',
    });
  });

  it("accepts the scheme in any case", async () => {
    expectValue(await get(auth("digest foobar")), { scheme: "digest", credentials: "foobar" });
  });

  it("treats a missing header, a bare scheme or another scheme as absent", async () => {
    await expectAbsent({});
    await expectAbsent(auth("Digest"));
    await expectAbsent(auth("Basic Zm9vOmJhcg=="));
    await expectAbsent(auth("Other invalidauthorization"));
  });

  it("is documented as {type: http, scheme: digest}", async () => {
    expect(openapiOf(app)).toEqual({ schemes: { HTTPDigest: { type: "http", scheme: "digest" } }, security: [{ HTTPDigest: [] }] });
  });
});

describe("HTTPDigest with a description and scheme name", () => {
  const app = useSchemeApp(new HTTPDigest({ description: "HTTPDigest scheme", schemeName: "Digest auth" }));

  it("documents them", async () => {
    expect(openapiOf(app)).toEqual({
      schemes: { "Digest auth": { type: "http", description: "HTTPDigest scheme", scheme: "digest" } },
      security: [{ "Digest auth": [] }],
    });
  });
});

describe("HTTPBase, for any other HTTP scheme", () => {
  const app = useSchemeApp(new HTTPBase({ scheme: "hoba" }));

  it("accepts whatever scheme the header has, as FastAPI's HTTPBase", async () => {
    expectValue(await app.inject({ url: "/", headers: auth("HOBA result=x") }), { scheme: "HOBA", credentials: "result=x" });
    expectValue(await app.inject({ url: "/", headers: auth("Other y") }), { scheme: "Other", credentials: "y" });
  });

  it("needs both a scheme and credentials", async () => {
    expectNotAuthenticated(await app.inject({ url: "/", headers: auth("hoba") }), "Hoba");
    expectNotAuthenticated(await app.inject({ url: "/" }), "Hoba");
  });

  it("is documented with its scheme", async () => {
    expect(openapiOf(app).schemes).toEqual({ HTTPBase: { type: "http", scheme: "hoba" } });
  });

  it("title-cases the challenge as Python's str.title()", () => {
    expect(new HTTPBase({ scheme: "x-custom-auth" }).challenge).toBe("X-Custom-Auth");
    expect(new HTTPBase({ scheme: "SCRAM-SHA-256" }).challenge).toBe("Scram-Sha-256");
  });

  it("rejects a scheme that is not a token", () => {
    expect(() => new HTTPBase({ scheme: "two words" })).toThrow(/`scheme`/);
    expect(() => new HTTPBase({ scheme: "" })).toThrow(TypeError);
  });
});
