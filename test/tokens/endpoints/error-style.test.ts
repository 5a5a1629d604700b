/**
 * The token endpoints in the `oauth` error style (RFC 6749 §5.2), next to FastAPI's: every refusal, also
 * one raised before the route runs (a body that does not parse), is `{"error", "error_description"}` with
 * `Cache-Control: no-store`; a missing field is `invalid_request` (400, not FastAPI's 422); `grant_type`
 * is required and an unknown one is `unsupported_grant_type`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorResponse, gatehouseError, HTTPException, RequestValidationError } from "gatehouse";
import { createTokenService, MemoryStore, tokenRouter } from "gatehouse/tokens";
import { createApp } from "gatehouse";
import { SECRET, USERS } from "../support.ts";

const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new MemoryStore(), sweepIntervalMs: 0, onStateChange: () => {} });
const app = createApp();
app.include(tokenRouter({ tokens, errorStyle: "oauth", clients: { rs: { secret: "rs-secret", introspect: true } }, authenticate: ({ username, password }) => (USERS[username] === password ? { subject: username } : undefined) }));
let base: string;
beforeAll(async () => {
  base = await app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await app.close();
  await tokens.close();
});

async function post(path: string, body: string, contentType = "application/x-www-form-urlencoded", headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { method: "POST", headers: { "content-type": contentType, ...headers }, body });
  return { status: res.status, body: await res.json(), cache: res.headers.get("cache-control"), challenge: res.headers.get("www-authenticate") };
}

describe("errorStyle: oauth", () => {
  it.each([
    ["no grant_type", "username=alice&password=wonderland", 400, { error: "invalid_request", error_description: "grant_type: Field required" }],
    ["an unknown grant_type", "grant_type=magic", 400, { error: "unsupported_grant_type", error_description: "Unsupported grant type" }],
    ["a missing password", "grant_type=password&username=alice", 400, { error: "invalid_request", error_description: "password: Field required" }],
    ["a wrong password", "grant_type=password&username=alice&password=nope", 400, { error: "invalid_grant", error_description: "Incorrect username or password" }],
    ["an unknown refresh token", "grant_type=refresh_token&refresh_token=nope", 400, { error: "invalid_grant", error_description: "Invalid refresh token" }],
    ["client credentials without a client", "grant_type=client_credentials", 400, { error: "unsupported_grant_type", error_description: "Unsupported grant type" }],
  ])("/token with %s", async (_, body, status, error) => {
    expect(await post("/token", body)).toEqual({ status, body: error, cache: "no-store", challenge: null });
  });

  it("a body that does not parse is invalid_request too, not {detail}", async () => {
    const res = await post("/token", "--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\npass", "multipart/form-data; boundary=x");
    expect(res).toMatchObject({ status: 400, body: { error: "invalid_request" }, cache: "no-store" });
  });

  it("/introspect without credentials: invalid_client, 401 with the Basic challenge", async () => {
    expect(await post("/introspect", "token=x")).toEqual({ status: 401, body: { error: "invalid_client", error_description: "Not authenticated" }, cache: "no-store", challenge: "Basic" });
  });

  it("/revoke with a wrong secret: invalid_client", async () => {
    const basic = `Basic ${Buffer.from("rs:wrong").toString("base64")}`;
    expect(await post("/revoke", "token=x", undefined, { authorization: basic })).toMatchObject({ status: 401, body: { error: "invalid_client" }, challenge: "Basic" });
  });
});

describe("errorResponse", () => {
  it("keeps FastAPI's answer in the fastapi style", () => {
    expect(errorResponse(gatehouseError("GH_INVALID_CLIENT"), "fastapi")).toEqual({ status: 401, headers: { "WWW-Authenticate": "Basic" }, body: { detail: "Invalid client credentials" } });
  });

  it("says nothing of a 5xx but its status, and keeps error_description to RFC 6749's characters", () => {
    expect(errorResponse(new HTTPException(500, "secret stack detail"), "oauth").body).toEqual({ error: "server_error", error_description: "Internal Server Error" });
    expect(errorResponse(gatehouseError("GH_STORE_UNAVAILABLE"), "oauth")).toMatchObject({ status: 503, headers: { "Retry-After": "1" }, body: { error: "temporarily_unavailable" } });
    expect(errorResponse(new HTTPException(400, 'bad "quote" \\ é'), "oauth").body).toEqual({ error: "invalid_request", error_description: "bad ?quote? ? ?" });
    const issues = new RequestValidationError([{ type: "missing", loc: ["body", "code"], msg: "Field required", input: null }]);
    expect(errorResponse(issues, "oauth")).toMatchObject({ status: 400, body: { error: "invalid_request", error_description: "code: Field required" } });
  });
});
