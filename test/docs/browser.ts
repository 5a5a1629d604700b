/**
 * Driving the docs pages in a real browser (`../chromium.ts`: Debian's Chromium, every request kept on this
 * machine, page errors and Content-Security-Policy violations recorded): an app and a browser per describe
 * block, and the steps a person takes in Swagger UI.
 */
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import type { App } from "gatehouse";
import { openChromium, RESULTS, type Chromium } from "../chromium.ts";

export { expectQuiet, RESULTS, skipBrowser } from "../chromium.ts";
export const OPERATION = "#operations-default-read_own_items_users_me_items__get";

/**
 * For one describe block: `app` listening on a free port (after `prepare`, e.g. registering a plugin) and
 * a browser, both closed afterwards. The getters are valid inside the block's tests.
 */
export function browserSession(app: App, prepare: () => PromiseLike<unknown> = async () => {}): { readonly base: string; readonly browser: Chromium } {
  let base = "";
  let browser: Chromium | undefined;
  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    await prepare();
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await openChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app.close();
  });
  return {
    get base() {
      return base;
    },
    get browser() {
      return browser!;
    },
  };
}

/** Log in through Swagger UI's Authorize dialog (the seed's johndoe), with exactly `scopes` ticked. */
export async function authorize(page: Page, base: string, scopes: string[]): Promise<void> {
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

/** Try out `GET /users/me/items/` with the token Swagger UI holds; the status and body it shows. */
export async function execute(page: Page, base: string): Promise<{ status: string; body: unknown }> {
  const operation = page.locator(OPERATION);
  const button = operation.locator("button.execute");
  if (!(await button.isVisible())) await operation.locator(".try-out__btn").click();
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
