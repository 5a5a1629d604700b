/** The README's quick start is this example, and it works — only with a `SECRET_KEY` of its own. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "gatehouse";
import { bearer, postForm, SECRET_KEY } from "../helpers.ts";

let app: App;
beforeAll(async () => {
  process.env.SECRET_KEY = SECRET_KEY;
  ({ app } = (await import("../../examples/quickstart.ts")) as { app: App });
  await app.ready();
});
afterAll(() => app.close());

describe("README quick start", () => {
  it("is the code of examples/quickstart.ts", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const block = readme.split("## Quick start\n\n```ts\n")[1]!.split("```")[0]!;
    const example = readFileSync(new URL("../../examples/quickstart.ts", import.meta.url), "utf8");
    const code = (text: string) => text.split("\n").filter((l) => l && !/^(\/\*\*|export default|app\.fastify\.addHook|await app\.listen)/.test(l)).map((l) => l.replace(/^export /, ""));
    expect(code(example)).toEqual(code(block));
  });

  it("has no literal fallback secret: without SECRET_KEY it does not start, and says why", () => {
    const env: NodeJS.ProcessEnv = { ...process.env, GATEHOUSE_STORE: "memory", NODE_ENV: "production" };
    delete env.SECRET_KEY;
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/serve.ts", "quickstart"], { env: { ...env, PORT: "0" }, encoding: "utf8", timeout: 60_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("gatehouse/tokens: set SECRET_KEY to a random secret of at least 32 bytes (e.g. `openssl rand -hex 32`)");
    expect(readFileSync(new URL("../../examples/quickstart.ts", import.meta.url), "utf8")).not.toMatch(/SECRET_KEY \?\?/);
  });

  it("logs in, gets items with the scope, and is refused without it", async () => {
    const login = await postForm(app, "/token", { username: "alice", password: "wonderland", scope: "items" });
    expect(login.statusCode).toBe(200);
    const token = login.json().access_token;
    const res = await app.inject({ url: "/items/", headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([{ owner: "alice" }]);
    const narrow = (await postForm(app, "/token", { username: "alice", password: "wonderland" })).json().access_token;
    const refused = await app.inject({ url: "/items/", headers: bearer(narrow) });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers["www-authenticate"]).toBe('Bearer error="insufficient_scope", scope="items"');
    expect((await postForm(app, "/token", { username: "alice", password: "nope" })).statusCode).toBe(400);
  });
});
