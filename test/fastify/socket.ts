/** Raw-socket clients for the attack tests: bodies streamed in pieces, answers read as they come. */
import { connect, type Socket } from "node:net";

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Body bytes written before the server answered or closed the connection. */
  readonly sent: number;
}

/**
 * Send a request whose body comes from `pieces` (written with back-pressure), stopping as soon as the
 * server answers. `length` sets `Content-Length`; without it the body is sent chunked.
 */
export function streamRequest(port: number, head: { method: string; path: string; headers: Record<string, string>; length?: number }, pieces: Iterable<Buffer>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunked = head.length === undefined;
    let sent = 0;
    let answered = false;
    let data = Buffer.alloc(0);
    const lines = Object.entries({ host: "127.0.0.1", connection: "close", ...head.headers, ...(chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(head.length) }) });
    socket.on("data", (chunk: Buffer) => {
      answered = true;
      data = Buffer.concat([data, chunk]);
    });
    socket.on("error", () => finish());
    socket.on("close", () => finish());
    let done = false;
    function finish() {
      if (done) return;
      done = true;
      const text = data.toString("latin1");
      const [top = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...headerLines] = top.split("\r\n");
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
      const status = Number(statusLine.split(" ")[1]);
      if (!Number.isFinite(status)) return reject(new Error(`no answer after ${sent} bytes`));
      resolve({ status, headers, body: rest.join("\r\n\r\n"), sent });
    }
    socket.once("connect", async () => {
      socket.write(`${head.method} ${head.path} HTTP/1.1\r\n${lines.map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n`);
      for (const piece of pieces) {
        if (answered || socket.destroyed) break;
        const framed = chunked ? [Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")] : [piece];
        let ok = true;
        for (const part of framed) ok = socket.write(part) && ok;
        sent += piece.length;
        if (!ok) await drained(socket);
      }
      if (!answered && !socket.destroyed) socket.write(chunked ? "0\r\n\r\n" : "");
    });
  });
}

/** Resolves when the socket can take more, or has closed. */
function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const next = () => {
      socket.off("drain", next).off("close", next);
      resolve();
    };
    socket.on("drain", next).on("close", next);
  });
}

function partHead(boundary: string, i: number, file: boolean): string {
  const disposition = file ? `form-data; name="f${i}"; filename="f${i}.bin"` : `form-data; name="f${i}"`;
  return `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${file ? "Content-Type: application/octet-stream\r\n" : ""}\r\n`;
}

/** The pieces of a multipart body: `count` parts of `size` bytes each (file parts when `file`), then the closing boundary. */
export function* multipartPieces(boundary: string, count: number, size: number, file: boolean): Generator<Buffer> {
  const content = Buffer.alloc(size, 0x61);
  for (let i = 0; i < count; i++) {
    yield Buffer.from(partHead(boundary, i, file));
    yield content;
    yield Buffer.from("\r\n");
  }
  yield Buffer.from(`--${boundary}--\r\n`);
}

/** The byte length of {@link multipartPieces}, for `Content-Length`. */
export function multipartLength(boundary: string, count: number, size: number, file: boolean): number {
  let total = Buffer.byteLength(`--${boundary}--\r\n`);
  for (let i = 0; i < count; i++) total += Buffer.byteLength(partHead(boundary, i, file)) + size + 2;
  return total;
}
