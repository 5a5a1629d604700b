/**
 * A TCP proxy in front of a server, to fault one connection the way a NAT or a load balancer does: a
 * blackholed connection stays open on both sides and silently carries nothing more, in either direction
 * (no FIN, no RST). Other connections, and new ones, go through as usual.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

interface Link {
  readonly client: Socket;
  readonly server: Socket;
  /** What the client sent first (up to 4 KiB), to pick a connection by its commands (SUBSCRIBE, LISTEN). */
  sent: string;
  silent: boolean;
}

export class TcpProxy {
  readonly #links = new Set<Link>();

  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {}

  /** Listen on a free port of 127.0.0.1, forwarding to `targetPort` there. */
  static start(targetPort: number): Promise<TcpProxy> {
    return new Promise((resolve) => {
      let proxy: TcpProxy;
      const server = createServer((client) => proxy.#accept(client, targetPort));
      server.listen(0, "127.0.0.1", () => resolve((proxy = new TcpProxy(server, (server.address() as { port: number }).port))));
    });
  }

  /** Silence every open connection whose client has sent something matching `pattern`; returns how many. */
  blackhole(pattern: RegExp): number {
    let count = 0;
    for (const link of this.#links) {
      if (!link.silent && pattern.test(link.sent)) {
        link.silent = true;
        count++;
      }
    }
    return count;
  }

  async close(): Promise<void> {
    for (const link of this.#links) {
      link.client.destroy();
      link.server.destroy();
    }
    await new Promise((resolve) => this.server.close(resolve));
  }

  #accept(client: Socket, targetPort: number): void {
    const server = connect(targetPort, "127.0.0.1");
    const link: Link = { client, server, sent: "", silent: false };
    this.#links.add(link);
    client.on("data", (chunk) => {
      if (link.sent.length < 4096) link.sent += chunk.toString("latin1");
      if (!link.silent) server.write(chunk);
    });
    server.on("data", (chunk) => {
      if (!link.silent) client.write(chunk);
    });
    const end = () => {
      this.#links.delete(link);
      client.destroy();
      server.destroy();
    };
    for (const socket of [client, server]) {
      socket.on("error", end);
      socket.on("close", () => {
        // A silenced link tells neither side: the point is a connection that looks alive.
        if (!link.silent) end();
      });
    }
  }
}
