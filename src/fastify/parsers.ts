/**
 * @module
 * The body parsers of gatehouse's routes, each bounded: a form, a JSON document or a multipart body is read
 * whole into at most Fastify's `bodyLimit` (default 1 MiB, 413 past it, whatever the framing), then parsed.
 * JSON may nest at most {@link MAX_JSON_DEPTH} levels, so that nothing downstream (Zod, the 422's detail,
 * the reply's serialiser) recurses past the stack. Multipart bodies carry fields only: no route declares a
 * file, so a file part is refused instead of being buffered for nobody.
 */
import { Busboy, type BusboyConfig } from "@fastify/busboy";
import formbody from "@fastify/formbody";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { gatehouseError } from "../core/errors.ts";
import { jsonInvalid } from "./errors.ts";

/** Deeper JSON is refused (422 `json_invalid`): no API needs it, and 5 000 levels overflow the stack. */
export const MAX_JSON_DEPTH = 256;
/** Per multipart body: as many fields as a form may sensibly have. */
const MAX_PARTS = 1000;

/** Register the parsers on a Fastify scope. */
export async function installParsers(fastify: FastifyInstance): Promise<void> {
  await fastify.register(formbody);
  const json = fastify.getDefaultJsonParser("error", "error");
  fastify.removeContentTypeParser("application/json");
  fastify.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body as string;
    // An empty JSON body is an absent body (FastAPI's "Field required"), not a parse error.
    if (text === "") done(null, undefined);
    else if (nestsDeeperThan(text, MAX_JSON_DEPTH)) done(jsonInvalid(`Nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    else json(request, text, done);
  });
  fastify.addContentTypeParser("multipart/form-data", { parseAs: "buffer" }, (request, body, done) => {
    parseMultipart(request, body as Buffer).then((fields) => done(null, fields), (error: Error) => done(error, undefined));
  });
  // Other media types reach the route as bytes; a form or JSON parameter then reports what is missing.
  fastify.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
}

/**
 * Whether JSON text opens more than `max` arrays or objects at once. One pass over the characters,
 * skipping strings, before `JSON.parse` builds anything.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

type Fields = Record<string, string | string[]>;

/** A multipart body (already bounded by `bodyLimit`) as its fields; repeated fields become lists. */
function parseMultipart(request: FastifyRequest, body: Buffer): Promise<Fields> {
  return new Promise((resolve, reject) => {
    const limits: BusboyConfig["limits"] = { parts: MAX_PARTS, fields: MAX_PARTS, fieldSize: body.length, files: 0 };
    let parser: InstanceType<typeof Busboy>;
    try {
      parser = new Busboy({ headers: { ...request.headers, "content-type": String(request.headers["content-type"]) }, limits });
    } catch (error) {
      reject(error); // no boundary: the error handler answers 400
      return;
    }
    const fields: Fields = Object.create(null);
    let failure: Error | undefined;
    const fail = (error: Error) => (failure ??= error);
    parser.on("field", (name, value) => {
      const known = fields[name];
      if (known === undefined) fields[name] = value;
      else if (Array.isArray(known)) known.push(value);
      else fields[name] = [known, value];
    });
    // No gatehouse route declares a file: refuse the part rather than read it for nobody.
    parser.on("file", (_name, stream) => {
      fail(gatehouseError("GH_FILE_NOT_ACCEPTED"));
      stream.resume();
    });
    parser.on("filesLimit", () => fail(gatehouseError("GH_FILE_NOT_ACCEPTED")));
    parser.on("partsLimit", () => fail(tooLarge()));
    parser.on("fieldsLimit", () => fail(tooLarge()));
    parser.on("error", (error: Error) => reject(failure ?? error));
    parser.on("finish", () => (failure ? reject(failure) : resolve({ ...fields })));
    parser.end(body);
  });
}

function tooLarge() {
  return gatehouseError("GH_CLIENT_ERROR", { status: 413, detail: "Payload Too Large" });
}
