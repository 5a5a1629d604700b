/** `npx gatehouse routes <module>`, run as a user runs it, from the repository, on a TypeScript module. */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url).pathname;
// As a user runs it: without the test environment's log level (the command silences the app itself).
const { GATEHOUSE_LOG_LEVEL: _level, ...env } = process.env;

async function gatehouse(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("npx", ["--no-install", "gatehouse", ...args], { cwd: root, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/** The block of one route in the printed trees. */
function block(stdout: string, route: string): string {
  const found = stdout.split("\n\n").find((b) => b.startsWith(`${route} `));
  expect(found, route).toBeDefined();
  return found!;
}

describe("npx gatehouse routes", () => {
  it("prints the seed's tree: the SecurityScopes reaching getCurrentUser under each route", async () => {
    const { code, stdout, stderr } = await gatehouse("routes", "examples/seed.ts");
    expect(stderr.replace(/^npm warn .*\n/gm, "")).toBe("");
    expect(code).toBe(0);
    expect(block(stdout, "GET /users/me/items/")).toContain('currentUser: getCurrentUser   adds ["me"]   SecurityScopes ["items", "me"]');
    expect(block(stdout, "GET /users/me/")).toContain('currentUser: getCurrentUser   adds ["me"]   SecurityScopes ["me"]');
    expect(block(stdout, "GET /status/")).toContain("currentUser: getCurrentUser   SecurityScopes []");
    expect(block(stdout, "GET /users/me/items/").split("\n")[0]).toBe('GET /users/me/items/ → readOwnItems   security: OAuth2PasswordBearer ["items", "me"]');
    expect(block(stdout, "POST /token").split("\n")[0]).toBe("POST /token → loginForAccessToken   security: none");
  }, 60_000);

  it("prints a module that exports a Router, not an App", async () => {
    const { code, stdout, stderr } = await gatehouse("routes", "test/cli/router-only.ts");
    expect(stderr.replace(/^npm warn .*\n/gm, "")).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'GET /notes/ → listNotes   security: OAuth2PasswordBearer ["notes:read"]',
        '└─ user: currentUser   adds ["notes:read"]',
        '   └─ token: OAuth2PasswordBearer   scheme oauth2 password   requires ["notes:read"]',
        "",
      ].join("\n"),
    );
  }, 60_000);

  it("explains its usage and refuses what it cannot load, with exit code 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-"));
    try {
      writeFileSync(join(dir, "no-app.ts"), "export const answer: number = 42;\n");
      const usage = await gatehouse();
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain("usage: gatehouse routes <module>");
      const missing = await gatehouse("routes", "examples/nope.ts");
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("gatehouse: no such module: examples/nope.ts");
      const noApp = await gatehouse("routes", join(dir, "no-app.ts"));
      expect(noApp.code).toBe(2);
      expect(noApp.stderr).toContain("exports no gatehouse app or router: export it as `app`, `router` or as the default export");
      expect(noApp.stdout).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
