/**
 * The fault suite on Redis: a redis-server of the suite's own on a free port (no persistence, as Redis
 * ships), instance B behind a TCP proxy that can silence its subscription.
 */
import { RedisServer } from "../support/redis-server.ts";
import { redisServerSkip } from "../support/services.ts";
import { TcpProxy } from "../support/tcp-proxy.ts";
import { runFaultSuite } from "./fault.suite.ts";

// This server keeps nothing on disk: accepted in code, as the store demands (see redis-config.test.ts).
const options = { redis: { prefix: "gh:", acceptUnsafe: ["appendonly"] as const, settleMs: 1000 } };

runFaultSuite({
  name: "redis",
  skip: redisServerSkip(),
  bound: { propagationMs: 100, silenceMs: 6 * 100 },
  why: { lock: "Redis runs one command at a time and has no lock to hold; a hung server is the outage case" },
  async backend() {
    const server = await RedisServer.start();
    const proxy = await TcpProxy.start(server.port);
    return {
      store: { url: server.url, options },
      proxied: { url: `redis://127.0.0.1:${proxy.port}/0`, options },
      silenceWatch: () => proxy.blackhole(/subscribe/i),
      restartEmpty: () => server.restart(),
      outage: { stop: () => server.kill(), start: () => server.start() },
      async close() {
        await proxy.close();
        await server.stop();
      },
    };
  },
});
