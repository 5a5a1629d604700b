/**
 * The docs pages in a real browser (Debian's Chromium driven by playwright-core), against examples/seed.ts:
 * a person logs in through Swagger UI's Authorize dialog, ticks scopes and calls a protected route; ReDoc
 * renders. Every request a page makes must stay on this machine: any other is blocked and fails the test.
 * Screenshots go to test-results/. Without Chromium the test skips with a reason, except in CI.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app } from "../../examples/seed.ts";
import { openChromium, RESULTS, skipBrowser, type Chromium } from "../chromium.ts";

const OPERATION = "#operations-default-read_own_items_users_me_items__get";

describe.skipIf(skipBrowser)("docs pages in Chromium", () => {
  let base: string;
  let browser: Chromium;

  beforeAll(async () => {
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await openChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app.close();
  });

  async function authorize(page: Page, scopes: string[]): Promise<void> {
    await page.locator(".auth-wrapper .btn.authorize").click();
    const dialog = page.locator(".modal-ux");
    await dialog.waitFor();
    // Swagger UI labels its Logout button "Remove authorization".
    const logout = dialog.getByRole("button", { name: "Remove authorization" });
    if (await logout.isVisible()) await logout.click();
    await dialog.locator("#oauth_username").fill("johndoe");
    await dialog.locator("#oauth_password").fill("secret");
    // Ticks survive a logout: set each of the scheme's scopes to what this login wants.
    for (const scope of ["me", "items"]) {
      const id = `${scope}-password-checkbox-OAuth2PasswordBearer`;
      if ((await dialog.locator(`[id="${id}"]`).isChecked()) !== scopes.includes(scope)) await dialog.locator(`label[for="${id}"]`).click();
    }
    const tokenRequest = page.waitForRequest((request) => request.url() === `${base}/token` && request.method() === "POST");
    await dialog.getByRole("button", { name: "Apply given OAuth2 credentials" }).click();
    const form = new URLSearchParams((await tokenRequest).postData() ?? "");
    expect([form.get("grant_type"), form.get("username"), form.get("scope")]).toEqual(["password", "johndoe", scopes.join(" ")]);
    await expect.poll(() => logout.isVisible(), { timeout: 10_000 }).toBe(true);
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });
  }

  async function execute(page: Page): Promise<{ status: string; body: unknown }> {
    const operation = page.locator(OPERATION);
    const execute = operation.locator("button.execute");
    if (!(await execute.isVisible())) await operation.locator(".try-out__btn").click();
    const responded = page.waitForResponse((res) => res.url() === `${base}/users/me/items/`);
    await operation.locator("button.execute").click();
    const authorization = (await responded).request().headers().authorization ?? "";
    expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const live = operation.locator(".live-responses-table .response").first();
    await live.waitFor();
    const status = (await live.locator(".response-col_status").innerText()).trim().split(/\s+/)[0]!;
    const body = JSON.parse(await live.locator(".response-col_description pre").first().innerText());
    return { status, body };
  }

  it("logs in through Authorize, calls GET /users/me/items/ with the token, and is refused without the items scope", async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${base}/docs`);
      await page.locator(".swagger-ui .information-container .title").waitFor();
      await page.screenshot({ path: join(RESULTS, "docs-loaded.png"), fullPage: true });

      await authorize(page, ["me", "items"]);
      await page.locator(`${OPERATION} .opblock-summary-control`).click();
      const allowed = await execute(page);
      await page.screenshot({ path: join(RESULTS, "docs-items-200.png"), fullPage: true });
      expect(allowed).toEqual({ status: "200", body: [{ item_id: "Foo", owner: "johndoe" }] });

      await authorize(page, ["me"]);
      const refused = await execute(page);
      await page.screenshot({ path: join(RESULTS, "docs-items-401.png"), fullPage: true });
      expect(refused).toEqual({ status: "401", body: { detail: "Not enough permissions" } });
      expect(browser.blocked).toEqual([]);
      expect(browser.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

  it("renders ReDoc with the API's title, offline", async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${base}/redoc`);
      await expect.poll(() => page.locator("h1").first().textContent(), { timeout: 30_000 }).toContain("gatehouse");
      await expect.poll(() => page.getByText("Read Own Items").first().isVisible(), { timeout: 10_000 }).toBe(true);
      await page.screenshot({ path: join(RESULTS, "redoc.png"), fullPage: false });
      // ReDoc's Redocly logo (cdn.redoc.ly) is stopped by the page's Content-Security-Policy before any request.
      expect(browser.blocked).toEqual([]);
      expect(browser.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
