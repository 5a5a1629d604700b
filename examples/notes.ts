/** The README's "Your first app", served by `SECRET_KEY=… RS_SECRET=… npm run example -- notes` (test/examples/notes.test.ts keeps the two equal). */
import { body, createApp, dependency, depends, HTTPException, path, Router, security } from "gatehouse";
import { PasswordContext } from "gatehouse/passwords";
import { OAuth2PasswordBearer } from "gatehouse/security";
import { bearerPrincipal, createTokenService, storeFromEnv, tokenRouter } from "gatehouse/tokens";
import { z } from "zod";

const { SECRET_KEY, RS_SECRET } = process.env; // each: openssl rand -hex 32
if (!SECRET_KEY || !RS_SECRET) throw new Error("set SECRET_KEY and RS_SECRET");
export const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET_KEY } }, store: storeFromEnv() });
const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { "notes:read": "Read your notes.", "notes:write": "Write notes." } });

const passwords = new PasswordContext();
const users = new Map([["ada", { hash: await passwords.hash("lovelace"), disabled: false }]]);
const principal = bearerPrincipal({ tokens, scheme: oauth2 }); // 401/403 with RFC 6750 challenges
const currentUser = dependency({ principal }, function currentUser({ principal }) {
  if (users.get(principal.subject)?.disabled !== false) throw new HTTPException(400, "Inactive user");
  return principal.subject;
});

// `.meta({ id })` names the schema in /openapi.json: components.schemas.Note, NewNote.
const Note = z.object({ id: z.number().int(), text: z.string() }).meta({ id: "Note" });
const NewNote = z.object({ text: z.string().min(1).max(10_000) }).meta({ id: "NewNote" });
const notes = new Map<string, z.infer<typeof Note>[]>();
const notesOf = (owner: string) => notes.get(owner) ?? notes.set(owner, []).get(owner)!;

export const router = new Router({ prefix: "/notes", tags: ["notes"] });
router.get("/", { needs: { owner: security(currentUser, ["notes:read"]) }, response: z.array(Note) }, function listNotes({ owner }) {
  return notesOf(owner);
});
router.post("/", { needs: { owner: security(currentUser, ["notes:write"]), note: body(NewNote) }, response: Note, status: 201 }, function createNote({ owner, note }) {
  const created = { id: notesOf(owner).length + 1, text: note.text };
  notesOf(owner).push(created);
  return created;
});
router.get("/{note_id}", { needs: { owner: security(currentUser, ["notes:read"]), note_id: path(z.coerce.number().int()) }, response: Note, responses: { 404: { description: "No such note" } } }, function readNote({ owner, note_id }) {
  const note = notesOf(owner).find((n) => n.id === note_id);
  if (!note) throw new HTTPException(404, "Note not found");
  return note;
});

export const app = createApp({ title: "Notes", startupTimeoutMs: 5000 /* the default */ });
app.fastify.addHook("onClose", () => tokens.close());
app.include(router, { prefix: "/v1" }); // GET/POST /v1/notes/, GET /v1/notes/{note_id}
app.include(
  tokenRouter({
    tokens,
    async authenticate({ username, password, scopes }) {
      const user = users.get(username);
      return user && (await passwords.verify(password, user.hash)) ? { subject: username, scopes } : undefined;
    },
    // Confidential clients: this one may call POST /introspect; one with `scopes: [...]` may use client_credentials.
    clients: { "resource-server": { secret: RS_SECRET, introspect: true } },
    me: { token: oauth2, dependencies: [depends(currentUser)], prefix: "/users/me" }, // GET/DELETE /users/me/tokens…
    paths: { token: "/token", revoke: "/revoke", introspect: "/introspect" },
    includeInSchema: true, // or a list of paths
    invalidCredentialsDetail: "Incorrect username or password",
    tags: ["auth"],
  }),
);
