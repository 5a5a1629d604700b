/**
 * The docs pages under @fastify/helmet's default Content-Security-Policy (`script-src 'self'`, no inline
 * script), in Chromium, against examples/seed.ts with helmet registered: the page keeps helmet's policy,
 * and the Authorize dialog still logs in and calls a protected route. Without Chromium the test skips with
 * a reason, except in CI.
 */
import helmet from "@fastify/helmet";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { app } from "../../examples/seed.ts";
import { authorize, browserSession, execute, expectQuiet, OPERATION, RESULTS, skipBrowser } from "./browser.ts";

describe.skipIf(skipBrowser)("docs pages in Chromium under @fastify/helmet", () => {
  const session = browserSession(app, () => app.fastify.register(helmet));

  it("keeps helmet's policy on /docs, and Authorize logs in and calls GET /users/me/items/", async () => {
    const { base, browser } = session;
    const page = await browser.context.newPage();
    try {
      const loaded = await page.goto(`${base}/docs`);
      const policy = loaded?.headers()["content-security-policy"] ?? "";
      expect(policy).toContain("script-src 'self';");
      expect(policy).toContain("frame-ancestors 'self'"); // helmet's, not gatehouse's 'none'
      await page.locator(".swagger-ui .information-container .title").waitFor();
      await page.screenshot({ path: join(RESULTS, "docs-helmet.png"), fullPage: true });

      await authorize(page, base, ["me", "items"]);
      await page.locator(`${OPERATION} .opblock-summary-control`).click();
      expect(await execute(page, base)).toEqual({ status: "200", body: [{ item_id: "Foo", owner: "johndoe" }] });
      expectQuiet(browser);
    } finally {
      await page.close();
    }
  }, 90_000);
});
