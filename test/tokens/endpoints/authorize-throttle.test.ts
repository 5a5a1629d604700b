/**
 * The `/authorize` login page checks passwords through the same throttle as the password grant (issue 13
 * item 5): otherwise it would be an unthrottled password-guessing path. Over a real socket: ten wrong
 * passwords on the page, then the right one gets the page back with 429 and `Retry-After`, and so does
 * `/token`, which shares the counters.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "gatehouse";
import { createTokenService, MemoryStore, tokenRouter } from "gatehouse/tokens";
import { SECRET } from "../support.ts";

const VERIFIER = "v".repeat(43);
const CHALLENGE = createHash("sha256").update(VERIFIER).digest("base64url");
const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new MemoryStore(), issuer: "https://as.example", sweepIntervalMs: 0, onStateChange: () => {} });
const app = createApp();
app.include(
  tokenRouter({
    tokens,
    authenticate: ({ username, password }) => (username === "alice" && password === "wonderland" ? { subject: "alice" } : undefined),
    clients: { one: { redirectUris: ["https://app.example/cb"], scopes: ["read"] } },
    authorization: { scopes: { read: "Read things." } },
  }),
);
let base = "";
beforeAll(async () => {
  base = await app.listen({ port: 0 });
});
afterAll(async () => {
  await app.close();
  await tokens.close();
});

const path = `/authorize?${new URLSearchParams({ response_type: "code", client_id: "one", code_challenge: CHALLENGE, code_challenge_method: "S256" })}`;

/** One login on the page, with the cookie and CSRF token of a fresh page load. */
async function logIn(password: string): Promise<Response> {
  const page = await fetch(base + path);
  const cookie = page.headers.get("set-cookie")!.split(";")[0]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  return fetch(base + path, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrf, username: "alice", password }).toString(),
  });
}

describe("/authorize login page throttling", () => {
  it("refuses the right password after ten wrong ones, with 429 and Retry-After, on the page and on /token", async () => {
    const ok = await logIn("wonderland");
    expect(ok.status).toBe(303); // the right password works at first
    for (let i = 0; i < 10; i++) expect((await logIn(`guess-${i}`)).status).toBe(400);
    const refused = await logIn("wonderland");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await refused.text()).toContain("Too many failed logins; try again later");
    const viaToken = await fetch(`${base}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=password&username=alice&password=wonderland" });
    expect(viaToken.status).toBe(429);
    expect(await viaToken.json()).toEqual({ error: "temporarily_unavailable", error_description: "Too many failed logins; try again later" });
  });
});
