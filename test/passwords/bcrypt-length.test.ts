/**
 * Issue 13 item 8 (bcrypt), over a real socket: bcrypt reads only 72 bytes, so a user whose password is
 * 72 bytes or longer could log in with that prefix and any suffix. gatehouse refuses such a password with
 * bcrypt (400 `GH_PASSWORD_TOO_LONG`), whether hashing or verifying; argon2id has no such limit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "gatehouse";
import { PasswordContext } from "gatehouse/passwords";
import { createTokenService, MemoryStore, tokenRouter } from "gatehouse/tokens";
import { SECRET_KEY } from "../helpers.ts";

const bcrypt = new PasswordContext({ schemes: ["bcrypt"], bcryptRounds: 4 });
const argon = new PasswordContext({ argon2: { memoryCost: 1024, timeCost: 1 } });
const long = "correct horse battery staple ".repeat(3).slice(0, 72); // exactly 72 bytes
const hashes: Record<string, string> = {};
const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET_KEY } }, store: new MemoryStore(), sweepIntervalMs: 0 });
const app = createApp();
app.include(tokenRouter({ tokens, authenticate: async ({ username, password }) => (Object.hasOwn(hashes, username) && (await bcrypt.verify(password, hashes[username]!)) ? { subject: username } : undefined) }));
app.fastify.addHook("onClose", () => tokens.close());

let port = 0;
beforeAll(async () => {
  hashes.legacy = await bcrypt.hash(long);
  await app.listen({ port: 0 });
  port = (app.fastify.server.address() as { port: number }).port;
});
afterAll(() => app.close());

const login = (password: string) =>
  fetch(`http://127.0.0.1:${port}/token`, { method: "POST", body: new URLSearchParams({ username: "legacy", password }) });

describe("bcrypt's 72-byte truncation", () => {
  it("the 72-byte password logs in; the same with any suffix is refused with 400 GH_PASSWORD_TOO_LONG", async () => {
    expect((await login(long)).status).toBe(200);
    for (const suffix of ["x", " and more", "é"]) {
      const res = await login(long + suffix);
      expect([res.status, await res.json()]).toEqual([400, { detail: "Password is longer than 72 bytes, the most bcrypt can check" }]);
    }
  });

  it("counts bytes, not characters: 36 two-byte characters pass, 37 do not", async () => {
    const twoByte = "é".repeat(36);
    const hash = await bcrypt.hash(twoByte);
    expect(await bcrypt.verify(twoByte, hash)).toBe(true);
    await expect(bcrypt.verify(twoByte + "é", hash)).rejects.toMatchObject({ status: 400, code: "GH_PASSWORD_TOO_LONG" });
  });

  it("hashing a longer password with bcrypt is refused too", async () => {
    await expect(bcrypt.hash(long + "!")).rejects.toMatchObject({ status: 400, code: "GH_PASSWORD_TOO_LONG", detail: "Password is longer than 72 bytes, the most bcrypt can check" });
  });

  it("argon2id reads every byte: a long password works, and its prefix does not", async () => {
    const longer = long.repeat(4);
    const hash = await argon.hash(longer);
    expect(await argon.verify(longer, hash)).toBe(true);
    expect(await argon.verify(long, hash)).toBe(false);
  });
});
