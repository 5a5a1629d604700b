/**
 * Debian's Chromium driven by playwright-core, for the browser tests: a fresh profile, every request that
 * would leave the machine blocked (and recorded), the pages' uncaught errors and CSP refusals recorded.
 * Without Chromium a test skips with a reason, except in CI (`GATEHOUSE_CI=1`), where it fails.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium as playwright, type BrowserContext } from "playwright-core";
import { expect } from "vitest";
import { inCI } from "./helpers.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
/** Where screenshots go. */
export const RESULTS = join(process.cwd(), "test-results");

/** Whether to skip the browser tests: only outside CI, when Chromium is not installed. */
export const skipBrowser = !existsSync(CHROMIUM) && !inCI;
if (skipBrowser) console.warn(`skipping the browser test: ${CHROMIUM} is not installed (apt-get install chromium)`);

export interface Chromium {
  readonly context: BrowserContext;
  /** Requests that would have left the machine. */
  readonly blocked: string[];
  /** Uncaught errors in the pages. */
  readonly errors: string[];
  /** What the pages' Content-Security-Policy refused, as the console reports it. */
  readonly violations: string[];
  close(): Promise<void>;
}

/** Nothing left the machine, no page threw, the Content-Security-Policy refused nothing (but what `allowed` matches). */
export function expectQuiet(browser: Chromium, allowed?: (violation: string) => boolean): void {
  const violations = allowed ? browser.violations.filter((violation) => !allowed(violation)) : browser.violations;
  expect({ blocked: browser.blocked, errors: browser.errors, violations }).toEqual({ blocked: [], errors: [], violations: [] });
}

/** Launch Chromium; `answer` may answer a local URL itself (a client's redirect URI that nothing listens on). */
export async function openChromium(answer?: (url: URL) => string | undefined): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) throw new Error(`GATEHOUSE_CI=1 and ${CHROMIUM} is missing: install Chromium (see .ci/run)`);
  mkdirSync(RESULTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "gatehouse-chromium-"));
  const context = await playwright.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  const browser: Chromium = { context, blocked: [], errors: [], violations: [], close: async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  } };
  context.on("page", (page) => {
    page.on("pageerror", (error) => browser.errors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) browser.violations.push(`${page.url()}: ${message.text()}`);
    });
  });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.hostname === "localhost") {
      const body = answer?.(url);
      return body === undefined ? route.continue() : route.fulfill({ status: 200, contentType: "text/plain", body });
    }
    browser.blocked.push(url.href);
    return route.abort("blockedbyclient");
  });
  return browser;
}
