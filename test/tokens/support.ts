/** Shared fixtures of the token tests: a fake clock, a small app on the token endpoints, Redis helpers. */
import { Redis } from "ioredis";
import postgres from "postgres";
import { createApp, dependency, HTTPException, security, SecurityScopes, type AppOptions } from "gatehouse";
import { OAuth2PasswordBearer } from "gatehouse/security";
import { createTokenService, tokenRouter, type TokenServiceOptions, type TokenStore } from "gatehouse/tokens";
import { inCI } from "../helpers.ts";

export const SECRET = "test-secret-of-the-token-tests-0123456789abcdef";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/**
 * RedisStore options for the machine's Redis, which keeps nothing on disk (`appendonly no`): a test may
 * accept that. Each test's key prefix is a data set of its own, so there is no epoch to settle.
 */
export const MACHINE_REDIS = { acceptUnsafe: ["appendonly", "maxmemory-policy"], settleMs: 0 } as const;
export const POSTGRES_URL = process.env.POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A clock that only moves when told to. */
export function fakeClock(start = Date.UTC(2030, 0, 1, 12)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

export const USERS: Record<string, string> = { alice: "wonderland", bob: "builder" };
export const CLIENTS = { rs: { secret: "rs-secret", introspect: true }, app: { secret: "app-secret" } };

/** An app with the token router and one protected route, `GET /items/` (scope `items`). */
export function tokenApp({ logger, startDegraded, ...options }: { store: TokenStore; logger?: AppOptions["logger"]; startDegraded?: boolean } & Partial<TokenServiceOptions>) {
  const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, sweepIntervalMs: 0, onStateChange: () => {}, ...options });
  const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Me.", items: "Items." } });
  const currentUser = dependency({ token: oauth2, securityScopes: SecurityScopes }, async function currentUser({ token, securityScopes }) {
    const result = await tokens.verify(token);
    if (!result.ok) throw result.error;
    for (const scope of securityScopes.scopes) {
      if (!result.claims.scopes.includes(scope)) throw new HTTPException(401, "Not enough permissions", { "WWW-Authenticate": `Bearer scope="${securityScopes.scopeStr}"` });
    }
    return result.claims;
  });
  const app = createApp({ ...(logger ? { logger } : {}), ...(startDegraded ? { startDegraded } : {}) });
  app.include(
    tokenRouter({
      tokens,
      authenticate: ({ username, password, scopes }) => (Object.hasOwn(USERS, username) && USERS[username] === password ? { subject: username, scopes } : undefined),
      clients: CLIENTS,
      me: { token: oauth2 },
    }),
  );
  app.get("/items/", { needs: { user: security(currentUser, ["items"]) } }, async function readItems({ user }) {
    return [{ item_id: "Foo", owner: user.sub }];
  });
  app.fastify.addHook("onClose", () => tokens.close());
  return { app, tokens };
}

/** Whether Redis answers at `url` within a second. */
export async function redisReachable(url = REDIS_URL): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * `false` when Redis is there; otherwise the reason to skip, printed. In CI (`GATEHOUSE_CI=1`) never skip:
 * the tests then fail, as a missing service must fail CI.
 */
export async function redisSkipReason(url = REDIS_URL): Promise<string | false> {
  if (await redisReachable(url)) return false;
  if (inCI) return false;
  const reason = `Redis is not reachable at ${url} (set REDIS_URL, or run redis-server)`;
  console.warn(`skipping Redis tests: ${reason}`);
  return reason;
}

/** A key prefix of its own for one test file, and the function that deletes its keys afterwards. */
export function redisPrefix(name: string) {
  const prefix = `gatehouse-test:${name}:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;
  async function cleanup(url = REDIS_URL): Promise<void> {
    const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => {});
    try {
      let cursor = "0";
      do {
        const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
        cursor = next;
        if (keys.length > 0) await client.del(...keys);
      } while (cursor !== "0");
    } catch {
      // Redis gone: nothing left to clean.
    } finally {
      client.disconnect();
    }
  }
  return { prefix, cleanup };
}

/** `false` when PostgreSQL answers at `url`; otherwise the reason to skip, printed (never in CI, where the tests then fail). */
export async function postgresSkipReason(url = POSTGRES_URL): Promise<string | false> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return false;
  } catch (error) {
    if (inCI) return false;
    const reason = `PostgreSQL is not reachable at ${url} (set POSTGRES_URL): ${(error as Error).message}`;
    console.warn(`skipping PostgreSQL tests: ${reason}`);
    return reason;
  } finally {
    await sql.end({ timeout: 0 });
  }
}

/** A schema name prefix of this test file's own, and the function that drops every schema starting with it. */
export function postgresSchema(name: string) {
  const schema = `gh_test_${name}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  async function cleanup(url = POSTGRES_URL): Promise<void> {
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      const rows = await sql<{ nspname: string }[]>`SELECT nspname FROM pg_namespace WHERE starts_with(nspname, ${schema})`;
      for (const { nspname } of rows) await sql`DROP SCHEMA ${sql(nspname)} CASCADE`;
    } catch {
      // PostgreSQL gone: nothing left to clean.
    } finally {
      await sql.end({ timeout: 0 });
    }
  }
  return { schema, cleanup };
}

/** Poll until `check` is true, or fail after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
