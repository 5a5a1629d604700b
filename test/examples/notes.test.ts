/** The README's "Your first app" is examples/notes.ts, and it works: login, notes by scope, the token routes, the document. */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "gatehouse";
import { bearer, postForm } from "../helpers.ts";

process.env.SECRET_KEY ??= "notes-example-test-secret-0123456789abcdef01234567";
process.env.RS_SECRET ??= "notes-example-rs-secret";
const { app } = (await import("../../examples/notes.ts")) as { app: App };

beforeAll(() => app.ready());
afterAll(() => app.close());

async function login(scope: string): Promise<string> {
  const res = await postForm(app, "/token", { username: "ada", password: "lovelace", scope });
  expect(res.statusCode).toBe(200);
  return res.json().access_token;
}

describe('README "Your first app"', () => {
  it("is the code of examples/notes.ts", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const block = readme.split("## Your first app")[1]!.split("```ts\n")[1]!.split("```")[0]!;
    const example = readFileSync(new URL("../../examples/notes.ts", import.meta.url), "utf8");
    expect(example.split("\n").slice(1).join("\n")).toBe(block);
  });

  it("writes, lists and reads notes with the scopes each route requires", async () => {
    const token = await login("notes:read notes:write");
    const created = await app.inject({ method: "POST", url: "/v1/notes/", headers: bearer(token), payload: { text: "Analytical engine" } });
    expect([created.statusCode, created.json()]).toEqual([201, { id: 1, text: "Analytical engine" }]);
    expect((await app.inject({ url: "/v1/notes/", headers: bearer(token) })).json()).toEqual([{ id: 1, text: "Analytical engine" }]);
    expect((await app.inject({ url: "/v1/notes/1", headers: bearer(token) })).json()).toEqual({ id: 1, text: "Analytical engine" });
    const missing = await app.inject({ url: "/v1/notes/2", headers: bearer(token) });
    expect([missing.statusCode, missing.json()]).toEqual([404, { detail: "Note not found" }]);
    const empty = await app.inject({ method: "POST", url: "/v1/notes/", headers: bearer(token), payload: { text: "" } });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().detail[0]).toMatchObject({ type: "string_too_short", loc: ["body", "text"] });

    const reader = await login("notes:read");
    const refused = await app.inject({ method: "POST", url: "/v1/notes/", headers: bearer(reader), payload: { text: "x" } });
    expect([refused.statusCode, refused.headers["www-authenticate"]]).toEqual([403, 'Bearer error="insufficient_scope", scope="notes:write"']);
    expect((await app.inject("/v1/notes/")).statusCode).toBe(401);
  });

  it("serves the token routes it configures: the user's own tokens, introspection for the resource server", async () => {
    const token = await login("notes:read");
    const mine = await app.inject({ url: "/users/me/tokens", headers: bearer(token) });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().length).toBeGreaterThan(0);
    const basic = `Basic ${Buffer.from(`resource-server:${process.env.RS_SECRET}`).toString("base64")}`;
    const introspected = await postForm(app, "/introspect", { token }, { authorization: basic });
    expect(introspected.json()).toMatchObject({ active: true, sub: "ada", scope: "notes:read" });
    const wrong = await postForm(app, "/token", { username: "ada", password: "babbage" });
    expect([wrong.statusCode, wrong.json().detail]).toEqual([400, "Incorrect username or password"]);
  });

  it("documents the notes under the prefix, with components named by .meta({ id })", () => {
    const document = app.openapi();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/v1/notes/", "/v1/notes/{note_id}", "/token", "/revoke", "/introspect", "/users/me/tokens"]));
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(expect.arrayContaining(["Note", "NewNote"]));
    expect(document.paths["/v1/notes/"]!.post!.tags).toEqual(["notes"]);
    expect(document.paths["/token"]!.post!.tags).toEqual(["auth"]);
  });
});
