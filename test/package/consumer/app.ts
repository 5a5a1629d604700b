/**
 * The consumer test's TypeScript app, compiled in a project of its own against the packed tarball
 * (`moduleResolution: nodenext`, `strict`, `skipLibCheck: false`): it imports every public entry point and
 * prints the address it listens on. `test/package/consumer.test.ts` drives it over HTTP.
 */
import { createApp, dependency, path, security, type App } from "gatehouse";
import { gatehouse } from "gatehouse/fastify";
import type { OpenAPIDocument } from "gatehouse/openapi";
import { PasswordContext } from "gatehouse/passwords";
import { OAuth2PasswordBearer } from "gatehouse/security";
import { bearerPrincipal, createTokenService, MemoryStore, tokenRouter, type Principal } from "gatehouse/tokens";
import { z } from "zod";

const secret = process.env.SECRET_KEY;
if (!secret) throw new Error("SECRET_KEY is not set");

const passwords = new PasswordContext();
const users: Record<string, string> = { ada: await passwords.hash("lovelace") };
const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret } }, store: new MemoryStore() });
const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { "notes:read": "Read notes." } });
const principal = bearerPrincipal({ tokens, scheme: oauth2 });
const owner = dependency({ principal }, ({ principal }): string => principal.subject);

const Note = z.object({ id: z.number(), text: z.string(), owner: z.string() }).meta({ id: "Note" });

export const app: App = createApp({ title: "Notes" });
app.fastify.addHook("onClose", () => tokens.close());
app.include(
  tokenRouter({
    tokens,
    async authenticate({ username, password }) {
      const hash = Object.hasOwn(users, username) ? users[username]! : undefined;
      return hash && (await passwords.verify(password, hash)) ? { subject: username } : undefined;
    },
  }),
);
app.get("/notes/{id}", { needs: { owner: security(owner, ["notes:read"]), id: path(z.coerce.number()) }, response: Note }, ({ owner, id }) => ({ id, text: `note ${id}`, owner }));

// Types reach the user: the principal's scopes are the scheme's, a misspelt scope does not compile.
const scopes: (p: Principal<"notes:read">) => readonly "notes:read"[] = (p) => p.scopes;
// @ts-expect-error "notes:raed" is not a scope the scheme declares
security(principal, ["notes:raed"]);
void scopes;

const url = await app.listen({ host: "127.0.0.1", port: 0 });
const document: OpenAPIDocument = app.openapi();
console.log(`listening ${url} (${document.info.title}; plugin: ${typeof gatehouse})`);
process.once("SIGTERM", () => void app.close().then(() => process.exit(0)));
