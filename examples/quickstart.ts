/** The README's quick start, as served by `npm run example -- quickstart` (test/examples/quickstart.test.ts keeps the two equal). */
import { createApp, security } from "gatehouse";
import { PasswordContext } from "gatehouse/passwords";
import { OAuth2PasswordBearer } from "gatehouse/security";
import { bearerPrincipal, createTokenService, secretFromEnv, storeFromEnv, tokenRouter } from "gatehouse/tokens";

// SECRET_KEY signs every token (`openssl rand -hex 32`); unset, start-up fails (NODE_ENV=development: a random one).
const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: secretFromEnv("SECRET_KEY") } }, store: storeFromEnv() });
const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { items: "Read items." } });
const passwords = new PasswordContext(); // argon2id for new hashes, verifies bcrypt too, off the event loop
const users: Record<string, string> = { alice: await passwords.hash("wonderland") };

export const app = createApp({ title: "Items" });
app.fastify.addHook("onClose", () => tokens.close());
app.include(tokenRouter({ tokens, async authenticate({ username, password }) {
  const hash = Object.hasOwn(users, username) ? users[username]! : undefined;
  return hash && (await passwords.verify(password, hash)) ? { subject: username } : undefined;
} }));                                               // POST /token, /revoke

const currentUser = bearerPrincipal({ tokens, scheme: oauth2 }); // verifies, honours revocation, enforces scopes
app.get("/items/", { needs: { user: security(currentUser, ["items"]) } }, ({ user }) => [{ owner: user.subject }]);

export default app;
