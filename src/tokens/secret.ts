/**
 * @module
 * `secretFromEnv`: the HS256 secret read from the environment, with no literal fallback. A secret written
 * in code ends up in every copy of it, and anyone who reads it can sign tokens; so an unset variable
 * stops the app at start-up, except under `NODE_ENV=development`, where a random secret per process
 * lets the app run (its tokens die with the process).
 */
import { randomBytes } from "node:crypto";
import { gatehouseError } from "../core/errors.ts";

/**
 * The value of `process.env[name]`; throws a `ConfigurationError` (`GH_INVALID_KEY`) naming the variable
 * when it is unset or empty, unless `NODE_ENV` is `development`.
 *
 * @example
 * createTokenService({ keys: { signing: { alg: "HS256", secret: secretFromEnv("SECRET_KEY") } }, store: storeFromEnv() });
 */
export function secretFromEnv(name = "SECRET_KEY", env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value) return value;
  if (env.NODE_ENV === "development") {
    console.warn(`gatehouse/tokens: ${name} is not set; NODE_ENV=development, so tokens are signed with a random secret that dies with this process`);
    return randomBytes(32).toString("hex");
  }
  throw gatehouseError("GH_INVALID_KEY", `gatehouse/tokens: set ${name} to a random secret of at least 32 bytes (e.g. \`openssl rand -hex 32\`); it signs every token. Only NODE_ENV=development runs without one.`);
}
