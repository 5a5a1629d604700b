/** @module gatehouse/passwords — password hashing off the event loop. */
export { PasswordContext, identify } from "./context.ts";
export type { PasswordContextOptions, PasswordScheme } from "./context.ts";
