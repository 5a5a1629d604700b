/**
 * examples/oauth-server.ts in a real browser (Debian's Chromium driven by playwright-core): a person logs in
 * on the login page, reads the scopes on the consent page and allows (or denies) the app; and Swagger UI's
 * Authorize dialog runs the authorization code flow with PKCE as the public client `docs`. The pages must
 * work under their own strict CSP (no inline script or style): any violation fails the test, as does any
 * request leaving the machine. Screenshots go to test-results/. Without Chromium it skips, except in CI.
 */
import { join } from "node:path";
import * as client from "openid-client";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectQuiet, openChromium, RESULTS, skipBrowser, type Chromium } from "../chromium.ts";

process.env.GATEHOUSE_STORE = "memory";
const { app } = await import("../../examples/oauth-server.ts");

const CALLBACK = "http://127.0.0.1:45678/callback";

describe.skipIf(skipBrowser)("oauth-server pages in Chromium", () => {
  let base: string;
  let browser: Chromium;
  let demo: client.Configuration;

  beforeAll(async () => {
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    demo = await client.discovery(new URL(base), "demo-app", undefined, client.None(), { execute: [client.allowInsecureRequests], algorithm: "oauth2" });
    // The demo app's callback: answered here, nothing listens there.
    browser = await openChromium((url) => (url.href.startsWith(CALLBACK) ? "demo app received the answer" : undefined));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app.close();
  });

  /** Nothing left the machine, no page failed, the CSP refused nothing. */
  function expectClean(): void {
    expectQuiet(browser);
  }

  async function authorizationUrl(scope: string) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(demo, { redirect_uri: CALLBACK, scope, state, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256" });
    return { url: url.href, verifier, state };
  }

  /** The URL the browser is sent back to the demo app with. */
  function nextCallback(page: Page): Promise<URL> {
    return page.waitForRequest((request) => request.url().startsWith(CALLBACK)).then((request) => new URL(request.url()));
  }

  async function logIn(page: Page): Promise<void> {
    await page.locator('input[name="username"]').fill("johndoe");
    await page.locator('input[name="password"]').fill("secret");
    await page.locator('button[type="submit"]').click();
  }

  it("login, consent with the scopes' descriptions, allow: the app gets a code that openid-client exchanges", async () => {
    const page = await browser.context.newPage();
    try {
      const { url, verifier, state } = await authorizationUrl("me items");
      await page.goto(url);
      await page.screenshot({ path: join(RESULTS, "oauth-login.png"), fullPage: true });
      // The stylesheet applies: served by the server, allowed by `default-src 'self'`.
      expect(await page.locator("button[type=submit]").evaluate((button) => getComputedStyle(button).backgroundColor)).toBe("rgb(47, 91, 211)");
      await logIn(page);
      await page.locator('button[name="decision"][value="allow"]').waitFor();
      await expect.poll(() => page.locator("ul.scopes").innerText()).toContain("Read information about the current user.");
      expect(await page.locator("ul.scopes").innerText()).toContain("Read items.");
      await page.screenshot({ path: join(RESULTS, "oauth-consent.png"), fullPage: true });
      const sentBack = nextCallback(page);
      await page.locator('button[name="decision"][value="allow"]').click();
      const callback = await sentBack;
      const tokens = await client.authorizationCodeGrant(demo, callback, { pkceCodeVerifier: verifier, expectedState: state });
      const res = await fetch(`${base}/users/me/items/`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect([res.status, await res.json()]).toEqual([200, [{ item_id: "Foo", owner: "johndoe" }]]);
      expectClean();
    } finally {
      await page.close();
    }
  }, 60_000);

  it("deny: the app hears access_denied with its state, and gets no code", async () => {
    const page = await browser.context.newPage();
    try {
      const { url, state } = await authorizationUrl("me");
      await page.goto(url);
      // Still logged in from the first test (the session cookie): straight to the consent page.
      const sentBack = nextCallback(page);
      await page.locator('button[name="decision"][value="deny"]').click();
      const callback = await sentBack;
      expect([callback.searchParams.get("error"), callback.searchParams.get("state"), callback.searchParams.get("code")]).toEqual(["access_denied", state, null]);
      expectClean();
    } finally {
      await page.close();
    }
  }, 60_000);

  it("Swagger UI's Authorize runs the authorization code flow with PKCE as client docs, then calls a route", async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${base}/docs`);
      await page.locator(".swagger-ui .information-container .title").waitFor();
      await page.locator(".auth-wrapper .btn.authorize").click();
      const dialog = page.locator(".modal-ux");
      await dialog.waitFor();
      expect(await dialog.locator("#client_id_authorizationCode").inputValue()).toBe("docs");
      for (const scope of ["me", "items"]) await dialog.locator(`label[for="${scope}-authorizationCode-checkbox-OAuth2AuthorizationCodeBearer"]`).click();
      const popup = page.waitForEvent("popup");
      const tokenRequest = page.waitForRequest((request) => request.url() === `${base}/token` && request.method() === "POST");
      await dialog.getByRole("button", { name: "Apply given OAuth2 credentials" }).click();
      const login = await popup;
      await login.waitForLoadState();
      const authorizeUrl = new URL(login.url());
      expect([authorizeUrl.pathname, authorizeUrl.searchParams.get("client_id"), authorizeUrl.searchParams.get("code_challenge_method")]).toEqual(["/authorize", "docs", "S256"]);
      // The login page, unless this browser is logged in already (the first test): then the consent page.
      if ((await login.locator('input[name="username"]').count()) > 0) await logIn(login);
      await login.locator('button[name="decision"][value="allow"]').click();
      const request = await tokenRequest;
      const form = new URLSearchParams(request.postData() ?? "");
      const answer = await request.response();
      expect([answer?.status(), request.headers().authorization]).toEqual([200, undefined]);
      expect([form.get("grant_type"), form.get("client_id"), form.get("code_verifier")?.length]).toEqual(["authorization_code", "docs", expect.any(Number)]);
      // Swagger UI labels its Logout button "Remove authorization".
      await expect.poll(() => dialog.getByRole("button", { name: "Remove authorization" }).isVisible(), { timeout: 10_000 }).toBe(true);
      await dialog.locator(".close-modal").click();
      await dialog.waitFor({ state: "detached" });
      const operation = page.locator("#operations-default-read_own_items_users_me_items__get");
      await operation.locator(".opblock-summary-control").click();
      await operation.locator(".try-out__btn").click();
      const responded = page.waitForResponse((res) => res.url() === `${base}/users/me/items/`);
      await operation.locator("button.execute").click();
      const response = await responded;
      expect([response.status(), await response.json()]).toEqual([200, [{ item_id: "Foo", owner: "johndoe" }]]);
      await page.screenshot({ path: join(RESULTS, "oauth-docs-items-200.png"), fullPage: true });
      expectClean();
    } finally {
      await page.close();
    }
  }, 90_000);
});
