import { describe, expect, it } from "vitest";
import { APIKeyCookie, APIKeyHeader, APIKeyQuery } from "gatehouse/security";
import { expectNotAuthenticated, expectValue, openapiOf, repeated, useSchemeApp } from "./scheme-app.ts";

type Send = { url?: string; headers?: Record<string, string> };

/** How each scheme carries `value`, and each one's duplicated form (what Starlette reads from it). */
const locations = [
  {
    name: "query",
    make: (autoError: boolean) => new APIKeyQuery({ name: "api_key", autoError }),
    send: (value: string): Send => ({ url: `/?api_key=${encodeURIComponent(value)}` }),
    model: { type: "apiKey", in: "query", name: "api_key" },
  },
  {
    name: "header",
    make: (autoError: boolean) => new APIKeyHeader({ name: "x-key", autoError }),
    send: (value: string): Send => ({ headers: { "x-key": value } }),
    model: { type: "apiKey", in: "header", name: "x-key" },
  },
  {
    name: "cookie",
    make: (autoError: boolean) => new APIKeyCookie({ name: "session", autoError }),
    send: (value: string): Send => ({ headers: { cookie: `session=${value}` } }),
    model: { type: "apiKey", in: "cookie", name: "session" },
  },
] as const;

describe.each(locations)("APIKey in $name", ({ make, send, model }) => {
  describe.each([true, false])("autoError %s", (autoError) => {
    const scheme = make(autoError);
    const app = useSchemeApp(scheme);
    const request = (options: Send) => app.inject({ url: options.url ?? "/", headers: options.headers ?? {} });
    const expectMissing = (res: Awaited<ReturnType<typeof request>>) =>
      autoError ? expectNotAuthenticated(res, "APIKey") : expectValue(res, null);

    it("injects the key when present", async () => {
      expectValue(await request(send("secret-key")), "secret-key");
    });

    it("keeps the key as sent: colons, dots, dashes", async () => {
      expectValue(await request(send("a:b.c-d_e~f")), "a:b.c-d_e~f");
    });

    it("treats a missing key as missing", async () => {
      expectMissing(await request({}));
    });

    it("treats an empty key as missing", async () => {
      expectMissing(await request(send("")));
    });

    it("documents the scheme under its class name, with no scopes", async () => {
      const { schemes, security } = openapiOf(app);
      expect(schemes).toEqual({ [scheme.schemeName]: model });
      expect(security).toEqual([{ [scheme.schemeName]: [] }]);
    });
  });
});

describe("APIKeyQuery specifics", () => {
  const app = useSchemeApp(new APIKeyQuery({ name: "api_key" }));

  it("takes the last of repeated parameters, as Starlette's query_params.get", async () => {
    expectValue(await app.inject({ url: "/?api_key=first&api_key=second" }), "second");
  });

  it("fails when the last repeated parameter is empty", async () => {
    expectNotAuthenticated(await app.inject({ url: "/?api_key=first&api_key=" }), "APIKey");
  });

  it("treats a bare `?api_key` as empty", async () => {
    expectNotAuthenticated(await app.inject({ url: "/?api_key" }), "APIKey");
  });

  it("decodes percent-escapes, as any query parameter", async () => {
    expectValue(await app.inject({ url: "/?api_key=a%20b%2Bc" }), "a b+c");
  });

  it("does not read another parameter or a header of the same name", async () => {
    expectNotAuthenticated(await app.inject({ url: "/?API_KEY=x&apikey=y", headers: { api_key: "z" } }), "APIKey");
  });
});

describe("APIKeyQuery named like an Object.prototype member", () => {
  const app = useSchemeApp(new APIKeyQuery({ name: "constructor" }));

  it("does not find the prototype's property", async () => {
    expectNotAuthenticated(await app.inject({ url: "/" }), "APIKey");
  });

  it("finds a real parameter of that name", async () => {
    expectValue(await app.inject({ url: "/?constructor=k" }), "k");
  });
});

describe("APIKeyHeader specifics", () => {
  const app = useSchemeApp(new APIKeyHeader({ name: "X-API-Key", description: "Key from the dashboard" }));

  it("matches the header name case-insensitively", async () => {
    expectValue(await app.inject({ url: "/", headers: { "x-api-key": "k1" } }), "k1");
    expectValue(await app.inject({ url: "/", headers: { "X-API-KEY": "k2" } }), "k2");
  });

  it("documents the name as given, with the description after the type", async () => {
    const { schemes } = openapiOf(app);
    expect(schemes).toEqual({ APIKeyHeader: { type: "apiKey", description: "Key from the dashboard", in: "header", name: "X-API-Key" } });
    expect(Object.keys((schemes as Record<string, object>).APIKeyHeader!)).toEqual(["type", "description", "in", "name"]);
  });

  it("does not read the key from the query string or a cookie", async () => {
    expectNotAuthenticated(await app.inject({ url: "/?X-API-Key=q", headers: { cookie: "X-API-Key=c" } }), "APIKey");
  });

  // Starlette's `headers.get` returns the first of repeated fields; Node joins them into "first, second"
  // before gatehouse sees them (RequestView has no raw header list). Flip to `it` once it has one.
  // Repeated headers need a real socket (inject joins them): see test/fastify/request-view.test.ts.
});

describe("APIKeyCookie specifics", () => {
  const app = useSchemeApp(new APIKeyCookie({ name: "session" }));

  it("finds its cookie among others", async () => {
    expectValue(await app.inject({ url: "/", headers: { cookie: "theme=dark; session=abc; lang=en" } }), "abc");
  });

  it("does not take a cookie whose name merely contains it", async () => {
    expectNotAuthenticated(await app.inject({ url: "/", headers: { cookie: "my_session=abc; session_id=def" } }), "APIKey");
  });

  it("does not read a header or query parameter of the same name", async () => {
    expectNotAuthenticated(await app.inject({ url: "/?session=q", headers: { session: "h" } }), "APIKey");
  });

  // Starlette's cookie parser keeps the last of repeated names; the `cookie` package behind
  // RequestView.cookies keeps the first. Flip to `it` once RequestView parses cookies Starlette's way.
  it("takes the last of repeated cookies in one header, as Starlette", async () => {
    expectValue(await app.inject({ url: "/", headers: { cookie: "session=first; session=second" } }), "second");
  });
});

describe("APIKey options", () => {
  it("uses schemeName as the OpenAPI key; an empty one falls back to the class name, as FastAPI's `or`", () => {
    expect(new APIKeyCookie({ name: "s", schemeName: "Session" }).schemeName).toBe("Session");
    expect(new APIKeyCookie({ name: "s", schemeName: "" }).schemeName).toBe("APIKeyCookie");
  });

  it("rejects a missing or empty name at construction, naming the option", () => {
    expect(() => new APIKeyQuery({ name: "" })).toThrow(TypeError);
    expect(() => new APIKeyQuery({ name: "" })).toThrow(/`name`/);
    // @ts-expect-error name is required
    expect(() => new APIKeyCookie({})).toThrow(/`name`/);
  });

  it("rejects a header name that is not a token", () => {
    expect(() => new APIKeyHeader({ name: "x key" })).toThrow(/not a valid header name/);
    expect(() => new APIKeyHeader({ name: "x-key:" })).toThrow(TypeError);
  });

  it("rejects option values of the wrong type", () => {
    // @ts-expect-error autoError is a boolean
    expect(() => new APIKeyQuery({ name: "k", autoError: "no" })).toThrow(/autoError/);
  });

  it("has the APIKey challenge", () => {
    const error = new APIKeyHeader({ name: "x" }).notAuthenticatedError();
    expect(error.status).toBe(401);
    expect(error.detail).toBe("Not authenticated");
    expect(error.headers).toEqual({ "WWW-Authenticate": "APIKey" });
  });
});
