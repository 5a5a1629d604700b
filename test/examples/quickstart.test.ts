/** The README's quick start is this example, and it works. */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app } from "../../examples/quickstart.ts";
import { bearer, postForm } from "../helpers.ts";

beforeAll(() => app.ready());
afterAll(() => app.close());

describe("README quick start", () => {
  it("is the code of examples/quickstart.ts", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const block = readme.split("## Quick start\n\n```ts\n")[1]!.split("```")[0]!;
    const example = readFileSync(new URL("../../examples/quickstart.ts", import.meta.url), "utf8");
    const code = (text: string) => text.split("\n").filter((l) => l && !/^(\/\*\*|export default|app\.fastify\.addHook|await app\.listen)/.test(l)).map((l) => l.replace(/^export /, ""));
    expect(code(example)).toEqual(code(block));
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
