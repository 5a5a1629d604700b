import { describe, expect, it } from "vitest";
import { HTTPBasic } from "gatehouse/security";
import { basicHeader, expectNotAuthenticated, expectValue, openapiOf, repeated, useSchemeApp } from "./scheme-app.ts";

const auth = (value: string) => ({ authorization: value });

describe.each([true, false])("HTTPBasic, autoError %s", (autoError) => {
  const app = useSchemeApp(new HTTPBasic({ autoError }));
  const get = (headers: Record<string, string>) => app.inject({ url: "/", headers });
  const expectAbsent = async (headers: Record<string, string>) => {
    const res = await get(headers);
    if (autoError) expectNotAuthenticated(res, "Basic");
    else expectValue(res, null);
  };

  it("decodes username and password", async () => {
    expectValue(await get(basicHeader("john:secret")), { username: "john", password: "secret" });
  });

  it("splits at the first colon: the password may contain colons", async () => {
    expectValue(await get(basicHeader("john:se:cr:et")), { username: "john", password: "se:cr:et" });
  });

  it("accepts an empty username or password (checking them is the app's job)", async () => {
    expectValue(await get(basicHeader(":")), { username: "", password: "" });
    expectValue(await get(basicHeader("john:")), { username: "john", password: "" });
  });

  it("decodes the standard alphabet's + and /", async () => {
    expectValue(await get(auth("Basic YTo/")), { username: "a", password: "?" });
    expectValue(await get(auth("Basic YTo+")), { username: "a", password: ">" });
  });

  it("takes the scheme name case-insensitively", async () => {
    const param = Buffer.from("john:secret").toString("base64");
    for (const scheme of ["basic", "BASIC", "bAsIc"]) {
      expectValue(await get(auth(`${scheme} ${param}`)), { username: "john", password: "secret" });
    }
  });

  it("trims white space around the parameter", async () => {
    expectValue(await get(auth(`Basic   ${Buffer.from("a:b").toString("base64")}  `)), { username: "a", password: "b" });
  });

  it("treats a missing Authorization header as absent", async () => {
    await expectAbsent({});
  });

  it("treats an empty Authorization header as absent", async () => {
    await expectAbsent(auth(""));
  });

  it("treats another scheme as absent", async () => {
    await expectAbsent(auth("Bearer abc"));
    await expectAbsent(auth("Other invalidauthorization"));
    await expectAbsent(auth(`Basicx ${Buffer.from("a:b").toString("base64")}`));
  });

  // From here on the client did send Basic credentials, just broken ones: FastAPI answers 401 even with
  // auto_error=False, so an optional route cannot silently treat garbage as "not logged in".
  describe("malformed Basic credentials are a 401 in both modes", () => {
    it.each([
      ["not base64 at all", "Basic notabase64token"],
      ["base64 with a stray character", `Basic ${Buffer.from("john:secret").toString("base64")}!`],
      ["base64 missing its padding", `Basic ${Buffer.from("john:secre").toString("base64").replace(/=+$/, "")}`],
      ["url-safe base64 alphabet (`YTo_` for `a:?`)", "Basic YTo_"],
      ["base64 with inner white space", "Basic am9o bjpz ZWNy ZXQ="],
      ["a bare scheme", "Basic"],
      ["a scheme and spaces only", "Basic    "],
    ])("%s", async (_, value) => {
      expectNotAuthenticated(await get(auth(value)), "Basic");
    });

    it("no colon in the decoded text", async () => {
      expectNotAuthenticated(await get(basicHeader("johnsecret")), "Basic");
    });

    it("non-ASCII decoded text (UTF-8 or Latin-1 bytes)", async () => {
      expectNotAuthenticated(await get(basicHeader(Buffer.from("jos\u00e9:secret", "utf8"))), "Basic");
      expectNotAuthenticated(await get(basicHeader(Buffer.from("jos\u00e9:secret", "latin1"))), "Basic");
      expectNotAuthenticated(await get(basicHeader(Buffer.from([0x6a, 0x3a, 0x80]))), "Basic");
    });

    it("non-ASCII characters in the header itself", async () => {
      expectNotAuthenticated(await get(auth("Basic \u00e9\u00e9\u00e9\u00e9")), "Basic");
    });
  });

  it("reads only the first of repeated Authorization headers, as Starlette", async () => {
    const res = await app.inject({
      url: "/",
      headers: repeated("authorization", `Basic ${Buffer.from("first:1").toString("base64")}`, `Basic ${Buffer.from("second:2").toString("base64")}`),
    });
    expectValue(res, { username: "first", password: "1" });
  });

  it("is documented as {type: http, scheme: basic}", async () => {
    expect(openapiOf(app)).toEqual({ schemes: { HTTPBasic: { type: "http", scheme: "basic" } }, security: [{ HTTPBasic: [] }] });
  });
});

describe("HTTPBasic realm", () => {
  const app = useSchemeApp(new HTTPBasic({ realm: "simple", description: "HTTPBasic scheme" }));

  it("puts the realm in every challenge: missing, wrong scheme, malformed", async () => {
    for (const headers of [{}, auth("Other x"), auth("Basic notabase64token"), basicHeader("nocolon")]) {
      expectNotAuthenticated(await app.inject({ url: "/", headers }), 'Basic realm="simple"');
    }
  });

  it("still accepts good credentials", async () => {
    expectValue(await app.inject({ url: "/", headers: basicHeader("a:b") }), { username: "a", password: "b" });
  });

  it("documents the description (not the realm), description after type", async () => {
    const { schemes } = openapiOf(app);
    expect(schemes).toEqual({ HTTPBasic: { type: "http", description: "HTTPBasic scheme", scheme: "basic" } });
    expect(Object.keys((schemes as Record<string, object>).HTTPBasic!)).toEqual(["type", "description", "scheme"]);
  });

  it("escapes quotes and backslashes as a quoted-string (RFC 9110 §5.6.4)", () => {
    expect(new HTTPBasic({ realm: 'say "hi"' }).challenge).toBe('Basic realm="say \\"hi\\""');
    expect(new HTTPBasic({ realm: "C:\\dir" }).challenge).toBe('Basic realm="C:\\\\dir"');
    expect(new HTTPBasic({ realm: "caf\u00e9 & co" }).challenge).toBe('Basic realm="caf\u00e9 & co"');
  });

  it("sends the bare challenge for an empty realm, as FastAPI's `if self.realm`", () => {
    expect(new HTTPBasic({ realm: "" }).challenge).toBe("Basic");
    expect(new HTTPBasic().challenge).toBe("Basic");
  });

  it("rejects a realm no header can carry, at construction", () => {
    expect(() => new HTTPBasic({ realm: "a\r\nSet-Cookie: x=1" })).toThrow(TypeError);
    expect(() => new HTTPBasic({ realm: "a\u0000" })).toThrow(/realm/);
    expect(() => new HTTPBasic({ realm: "\u2603" })).toThrow(/realm/);
  });
});

describe("HTTPBasic with an escaped realm, end to end", () => {
  const app = useSchemeApp(new HTTPBasic({ realm: 'the "inner" \\ circle', autoError: false }));

  it("sends the escaped challenge on malformed credentials", async () => {
    expectNotAuthenticated(await app.inject({ url: "/", headers: auth("Basic !!!") }), 'Basic realm="the \\"inner\\" \\\\ circle"');
  });

  it("answers null without credentials under autoError: false", async () => {
    expectValue(await app.inject({ url: "/" }), null);
  });
});
