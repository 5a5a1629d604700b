/** The hashing context: the seed's bcrypt hashes, argon2id for new ones, upgrade hints, off the event loop. */
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { identify, PasswordContext } from "gatehouse/passwords";

const seedHash = "$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW";
const fast = { argon2: { memoryCost: 19456, timeCost: 2 } };

describe("PasswordContext", () => {
  it("verifies the seed's $2b$12$ bcrypt hash", async () => {
    const ctx = new PasswordContext({ schemes: ["bcrypt"] });
    expect(await ctx.verify("secret", seedHash)).toBe(true);
    expect(await ctx.verify("wrong", seedHash)).toBe(false);
  });

  it("hashes new passwords with argon2id and verifies them", async () => {
    const ctx = new PasswordContext(fast);
    const hash = await ctx.hash("hunter2");
    expect(identify(hash)).toBe("argon2id");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await ctx.verify("hunter2", hash)).toBe(true);
    expect(await ctx.verify("hunter3", hash)).toBe(false);
  });

  it("tells when a hash should be upgraded (deprecated=auto)", async () => {
    const ctx = new PasswordContext(fast);
    expect(ctx.needsUpdate(seedHash)).toBe(true);
    expect(ctx.needsUpdate(await ctx.hash("x"))).toBe(false);
    const weaker = await new PasswordContext({ argon2: { memoryCost: 8192, timeCost: 1 } }).hash("x");
    expect(ctx.needsUpdate(weaker)).toBe(true);
    const upgraded = await ctx.verifyAndUpdate("secret", seedHash);
    expect(upgraded.valid).toBe(true);
    expect(identify(upgraded.newHash!)).toBe("argon2id");
    expect(await ctx.verifyAndUpdate("wrong", seedHash)).toEqual({ valid: false, newHash: undefined });
  });

  it("refuses hashes of schemes it does not list, and garbage, without throwing", async () => {
    const bcryptOnly = new PasswordContext({ schemes: ["bcrypt"] });
    const argonHash = await new PasswordContext(fast).hash("x");
    expect(await bcryptOnly.verify("x", argonHash)).toBe(false);
    expect(await bcryptOnly.verify("x", "not a hash")).toBe(false);
    expect(await bcryptOnly.verify("x", "$2b$12$short")).toBe(false);
  });

  it("hashes off the event loop: a timer keeps firing while bcrypt cost 12 runs", async () => {
    const ctx = new PasswordContext({ schemes: ["bcrypt"] });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await Promise.all([ctx.verify("secret", seedHash), ctx.verify("secret", seedHash)]);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
  });

  it("runs at most `concurrency` hashes at once and queues the rest", async () => {
    const ctx = new PasswordContext({ schemes: ["bcrypt"], concurrency: 1 });
    const verifications = [ctx.verify("secret", seedHash), ctx.verify("wrong", seedHash), ctx.verify("secret", seedHash)];
    await new Promise((resolve) => setImmediate(resolve));
    expect([ctx.running, ctx.waiting]).toEqual([1, 2]);
    expect(await Promise.all(verifications)).toEqual([true, false, true]);
    expect([ctx.running, ctx.waiting]).toEqual([0, 0]);
  });

  it("leaves a core to the event loop by default, and refuses a concurrency below 1", async () => {
    const ctx = new PasswordContext({ schemes: ["bcrypt"] });
    const verifications = Array.from({ length: availableParallelism() + 1 }, () => ctx.verify("secret", seedHash));
    await new Promise((resolve) => setImmediate(resolve));
    expect(ctx.running).toBe(Math.max(1, availableParallelism() - 1));
    await Promise.all(verifications);
    expect(() => new PasswordContext({ concurrency: 0 })).toThrow(TypeError);
  });

  it("rejects an empty scheme list at construction", () => {
    expect(() => new PasswordContext({ schemes: [] })).toThrow(TypeError);
  });
});
