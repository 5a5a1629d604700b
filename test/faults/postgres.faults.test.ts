/**
 * The fault suite on PostgreSQL: a server of the suite's own (initdb + pg_ctl on a free port in a temp
 * dir), instance B behind a TCP proxy that can silence its LISTEN connection.
 */
import postgres from "postgres";
import { PostgresServer } from "../support/postgres-server.ts";
import { postgresServerSkip } from "../support/services.ts";
import { TcpProxy } from "../support/tcp-proxy.ts";
import { runFaultSuite } from "./fault.suite.ts";

const options = { postgres: { schema: "gh", timeoutMs: 1000 } };

runFaultSuite({
  name: "postgres",
  skip: postgresServerSkip(),
  bound: { propagationMs: 100, silenceMs: 6 * 100 },
  why: { restartEmpty: "PostgreSQL commits to disk before revoke returns: a restart keeps every revocation (the outage case restarts it)" },
  async backend() {
    const server = await PostgresServer.start();
    const proxy = await TcpProxy.start(server.port);
    return {
      store: { url: server.url, options },
      proxied: { url: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`, options },
      silenceWatch: () => proxy.blackhole(/listen/i),
      outage: { stop: async () => server.kill(), start: async () => server.start() },
      // Another session takes the revocation table whole, as a migration or a long VACUUM FULL would.
      async lock() {
        const sql = postgres(server.url, { max: 1, onnotice: () => {} });
        const session = await sql.reserve();
        await session`BEGIN`;
        await session`LOCK TABLE gh.revocations IN ACCESS EXCLUSIVE MODE`;
        return async () => {
          await session`ROLLBACK`;
          session.release();
          await sql.end({ timeout: 1 });
        };
      },
      async close() {
        await proxy.close();
        server.stop();
      },
    };
  },
});
