/**
 * Issue 13 item 5, over real sockets from several client addresses (127.0.0.x): 60 wrong passwords then
 * the right one used to get a 200; now a client is stopped after `perAccountAndIp` failures with a 429 and
 * `Retry-After`, without locking the account out for other networks; the counters are shared through
 * Redis by every instance; and a flood of logins gets 503s at once instead of queueing for minutes.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "gatehouse";
import { PasswordContext } from "gatehouse/passwords";
import { createTokenService, MemoryStore, tokenRouter, type LoginThrottleOptions, type TokenStore } from "gatehouse/tokens";
import { PostgresStore } from "gatehouse/tokens/postgres";
import { RedisStore } from "gatehouse/tokens/redis";
import { MACHINE_REDIS, POSTGRES_URL, postgresSchema, postgresSkipReason, REDIS_URL, redisPrefix, redisSkipReason, SECRET } from "../support.ts";

const USERS: Record<string, string> = { alice: "wonderland", bob: "builder", carol: "carol-password" };

function throttledApp(store: TokenStore, loginThrottle?: LoginThrottleOptions | false, verify?: (password: string, username: string) => Promise<boolean>) {
  const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store, sweepIntervalMs: 0, onStateChange: () => {} });
  const app = createApp();
  const check = verify ?? (async (password: string, username: string) => USERS[username] === password);
  app.include(tokenRouter({ tokens, loginThrottle, authenticate: async ({ username, password }) => (Object.hasOwn(USERS, username) && (await check(password, username)) ? { subject: username } : undefined) }));
  app.fastify.addHook("onClose", () => tokens.close());
  return app;
}

async function listen(app: App): Promise<number> {
  await app.listen({ port: 0 });
  return (app.fastify.server.address() as { port: number }).port;
}

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: { detail?: string; access_token?: string };
}

/** POST /token from the local address `from` (a 127.0.0.x of the loopback network). */
function login(port: number, from: string, username: string, password: string): Promise<Answer> {
  const payload = new URLSearchParams({ username, password }).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/token", method: "POST", localAddress: from, headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(payload) } },
      (res) => {
        let data = "";
        res.on("data", (chunk) => (data += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] as string | undefined, body: JSON.parse(data) }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

async function times(n: number, attempt: () => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < n; i++) answers.push(await attempt());
  return answers;
}

const TOO_MANY = { detail: "Too many failed logins; try again later" };

describe("the password grant is throttled (default limits)", () => {
  const app = throttledApp(new MemoryStore());
  let port = 0;
  beforeAll(async () => (port = await listen(app)));
  afterAll(() => app.close());

  it("60 wrong passwords from one address, then the right one: 400 ×10, then 429 with Retry-After, the right one included", async () => {
    const wrong = await times(60, () => login(port, "127.0.0.2", "alice", "guess"));
    expect(wrong.slice(0, 10).map((a) => a.status)).toEqual(Array(10).fill(400));
    for (const answer of wrong.slice(10)) {
      expect([answer.status, answer.body]).toEqual([429, TOO_MANY]);
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      expect(Number(answer.retryAfter)).toBeLessThanOrEqual(15 * 60);
    }
    const right = await login(port, "127.0.0.2", "alice", "wonderland");
    expect([right.status, right.body]).toEqual([429, TOO_MANY]);
  });

  it("does not lock the account out elsewhere: alice logs in from another address, bob from the same one", async () => {
    expect((await login(port, "127.0.0.3", "alice", "wonderland")).status).toBe(200);
    expect((await login(port, "127.0.0.2", "bob", "builder")).status).toBe(200);
  });

  it("a right password ends a run of failures: 9 wrong, 1 right, 9 wrong are never refused", async () => {
    const answers = [...(await times(9, () => login(port, "127.0.0.4", "carol", "nope"))), await login(port, "127.0.0.4", "carol", "carol-password"), ...(await times(9, () => login(port, "127.0.0.4", "carol", "nope")))];
    expect(answers.map((a) => a.status)).toEqual([...Array(9).fill(400), 200, ...Array(9).fill(400)]);
  });

  it("usernames are counted case- and form-insensitively: ALICE is alice", async () => {
    const answers = await times(11, () => login(port, "127.0.0.5", "ALICE", "guess"));
    expect(answers.at(-1)!.status).toBe(429);
    expect((await login(port, "127.0.0.5", "alice", "wonderland")).status).toBe(429);
  });
});

describe("the network and account limits", () => {
  const app = throttledApp(new MemoryStore(), { perAccountAndIp: { points: 5, duration: 60 }, perIp: { points: 8, duration: 60 }, perAccount: { points: 12, duration: 60 } });
  let port = 0;
  beforeAll(async () => (port = await listen(app)));
  afterAll(() => app.close());

  it("one address trying many accounts is stopped by perIp", async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login(port, "127.0.0.10", `user${i}`, "x")));
    expect(answers.filter((a) => a.status === 400)).toHaveLength(8);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(4);
  });

  it("a guess spread over networks is stopped by perAccount, and only after perAccount / perAccountAndIp networks", async () => {
    const from = ["127.0.0.11", "127.0.0.12", "127.0.0.13"];
    const answers: Answer[] = [];
    for (const address of from) answers.push(...(await times(6, () => login(port, address, "bob", "x"))));
    // Each network: 5 failures, then its own 429 (which no longer counts against bob).
    expect(answers.map((a) => a.status)).toEqual([...[400, 400, 400, 400, 400, 429], ...[400, 400, 400, 400, 400, 429], 400, 400, 429, 429, 429, 429]);
    expect((await login(port, "127.0.0.14", "bob", "builder")).status).toBe(429);
  });

  it("a concurrent burst cannot slip past a limit: 30 guesses at once, 5 checked", async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => login(port, "127.0.0.15", "carol", "x")));
    expect(answers.filter((a) => a.status === 400)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(25);
  });
});

describe("a flood of logins meets a bounded hashing queue", () => {
  // Real bcrypt (cost 10), one hash at a time, 8 waiting at most.
  const passwords = new PasswordContext({ schemes: ["bcrypt"], bcryptRounds: 10, concurrency: 1, maxWaiting: 8 });
  const hashes = new Map<string, Promise<string>>();
  const app = throttledApp(new MemoryStore(), false, async (password, username) => {
    if (!hashes.has(username)) hashes.set(username, new PasswordContext({ schemes: ["bcrypt"], bcryptRounds: 10 }).hash(USERS[username]!));
    return passwords.verify(password, await hashes.get(username)!);
  });
  let port = 0;
  beforeAll(async () => {
    port = await listen(app);
    await Promise.all(Object.keys(USERS).map((u) => (hashes.set(u, new PasswordContext({ schemes: ["bcrypt"], bcryptRounds: 10 }).hash(USERS[u]!)), hashes.get(u))));
  });
  afterAll(() => app.close());

  it("300 concurrent right logins: at most 1 + 8 are hashed, the rest get 503 + Retry-After at once, none is lost", async () => {
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => login(port, `127.0.1.${1 + (i % 200)}`, "alice", "wonderland")));
    const ok = answers.filter((a) => a.status === 200);
    const busy = answers.filter((a) => a.status === 503);
    expect(ok.length + busy.length).toBe(300);
    expect(ok.length).toBeGreaterThanOrEqual(9);
    expect(ok.length).toBeLessThan(60); // only requests that found the queue with room were hashed
    for (const answer of busy) {
      expect(answer.body).toEqual({ detail: "Too many logins in progress; try again shortly" });
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    expect(passwords.waiting).toBe(0);
    // Once the flood has passed, a login goes through at once.
    expect((await login(port, "127.0.0.2", "bob", "builder")).status).toBe(200);
  }, 60_000);
});

const SHARED: readonly { name: string; skip: () => Promise<string | false>; open: () => { stores: [TokenStore, TokenStore]; cleanup: () => Promise<void> } }[] = [
  {
    name: "Redis",
    skip: () => redisSkipReason(),
    open: () => {
      const { prefix, cleanup } = redisPrefix("throttle");
      return { stores: [new RedisStore(REDIS_URL, { prefix, ...MACHINE_REDIS }), new RedisStore(REDIS_URL, { prefix, ...MACHINE_REDIS })], cleanup };
    },
  },
  {
    name: "PostgreSQL",
    skip: () => postgresSkipReason(),
    open: () => {
      const { schema, cleanup } = postgresSchema("throttle");
      return { stores: [new PostgresStore(POSTGRES_URL, { schema }), new PostgresStore(POSTGRES_URL, { schema })], cleanup: () => cleanup() };
    },
  },
];

for (const shared of SHARED) {
  describe(`instances on one ${shared.name} store share the counters`, async () => {
    const skip = await shared.skip();
    const { stores, cleanup } = shared.open();
    const apps = stores.map((store) => throttledApp(store));
    const ports: number[] = [];
    beforeAll(async () => {
      if (skip) return;
      for (const app of apps) ports.push(await listen(app));
    });
    afterAll(async () => {
      await Promise.all(apps.map((app) => app.close()));
      if (!skip) await cleanup();
    });

    it.skipIf(skip)("failures on one instance count on the other: 5 + 5 wrong, then 429 on both", async () => {
      const [a, b] = ports as [number, number];
      const answers = [...(await times(5, () => login(a, "127.0.0.20", "alice", "x"))), ...(await times(5, () => login(b, "127.0.0.20", "alice", "x")))];
      expect(answers.map((x) => x.status)).toEqual(Array(10).fill(400));
      for (const port of [a, b]) {
        const refused = await login(port, "127.0.0.20", "alice", "wonderland");
        expect([refused.status, refused.body]).toEqual([429, TOO_MANY]);
        expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      }
      expect((await login(b, "127.0.0.21", "alice", "wonderland")).status).toBe(200);
    });
  });
}
