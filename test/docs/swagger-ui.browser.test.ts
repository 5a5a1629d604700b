/**
 * The docs pages in a real browser (Debian's Chromium driven by playwright-core), against examples/seed.ts
 * with gatehouse's own Content-Security-Policy: a person logs in through Swagger UI's Authorize dialog,
 * ticks scopes and calls a protected route; ReDoc renders. Every request a page makes must stay on this
 * machine, and the policy must refuse nothing. Screenshots go to test-results/. `helmet.browser.test.ts`
 * does the same under @fastify/helmet's policy. Without Chromium the test skips with a reason, except in CI.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { app } from "../../examples/seed.ts";
import { authorize, browserSession, execute, expectQuiet, OPERATION, RESULTS, skipBrowser } from "./browser.ts";

describe.skipIf(skipBrowser)("docs pages in Chromium", () => {
  const session = browserSession(app);

  it("logs in through Authorize, calls GET /users/me/items/ with the token, and is refused without the items scope", async () => {
    const { base, browser } = session;
    const page = await browser.context.newPage();
    try {
      const loaded = await page.goto(`${base}/docs`);
      expect(loaded?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
      await page.locator(".swagger-ui .information-container .title").waitFor();
      await page.screenshot({ path: join(RESULTS, "docs-loaded.png"), fullPage: true });

      await authorize(page, base, ["me", "items"]);
      await page.locator(`${OPERATION} .opblock-summary-control`).click();
      const allowed = await execute(page, base);
      await page.screenshot({ path: join(RESULTS, "docs-items-200.png"), fullPage: true });
      expect(allowed).toEqual({ status: "200", body: [{ item_id: "Foo", owner: "johndoe" }] });

      await authorize(page, base, ["me"]);
      const refused = await execute(page, base);
      await page.screenshot({ path: join(RESULTS, "docs-items-401.png"), fullPage: true });
      expect(refused).toEqual({ status: "401", body: { detail: "Not enough permissions" } });
      expectQuiet(browser);
    } finally {
      await page.close();
    }
  }, 90_000);

  it("renders ReDoc with the API's title, offline", async () => {
    const { base, browser } = session;
    const page = await browser.context.newPage();
    try {
      await page.goto(`${base}/redoc`);
      await expect.poll(() => page.locator("h1").first().textContent(), { timeout: 30_000 }).toContain("gatehouse");
      await expect.poll(() => page.getByText("Read Own Items").first().isVisible(), { timeout: 10_000 }).toBe(true);
      await page.screenshot({ path: join(RESULTS, "redoc.png"), fullPage: false });
      // ReDoc's Redocly logo (cdn.redoc.ly) is stopped by the page's Content-Security-Policy before any request.
      expectQuiet(browser, (violation) => violation.includes("cdn.redoc.ly"));
    } finally {
      await page.close();
    }
  }, 60_000);
});
