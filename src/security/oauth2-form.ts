/**
 * @module
 * The password flow's token request body, FastAPI's `OAuth2PasswordRequestForm` and its `Strict` variant:
 * a form with `username`, `password`, space-separated `scope`, and the optional client credentials.
 */
import { z } from "zod";
import { dependency } from "../core/dependency.ts";
import { form } from "../core/params.ts";

/** What the form dependencies inject. Absent optional fields are `null`, as FastAPI's `None`. */
export interface OAuth2PasswordRequest {
  readonly grantType: string | null;
  readonly username: string;
  readonly password: string;
  /** The `scope` field split at white space. */
  readonly scopes: string[];
  readonly clientId: string | null;
  readonly clientSecret: string | null;
}

const fields = {
  username: z.string(),
  password: z.string().meta({ format: "password" }),
  scope: z.string().default(""),
  client_id: z.string().optional(),
  client_secret: z.string().meta({ format: "password" }).optional(),
};

function toRequest(body: { grant_type?: string | undefined; username: string; password: string; scope: string; client_id?: string | undefined; client_secret?: string | undefined }): OAuth2PasswordRequest {
  return {
    grantType: body.grant_type ?? null,
    username: body.username,
    password: body.password,
    scopes: body.scope.split(/\s+/).filter(Boolean),
    clientId: body.client_id ?? null,
    clientSecret: body.client_secret ?? null,
  };
}

/**
 * The token request form; `grant_type`, when sent, must be `password`.
 *
 * @example
 * app.post("/token", { needs: { form: OAuth2PasswordRequestForm } }, async ({ form }) => login(form.username, form.password));
 */
export const OAuth2PasswordRequestForm = dependency(
  { body: form(z.object({ grant_type: z.string().regex(/^password$/).optional(), ...fields }), { description: "OAuth2 password request form" }) },
  ({ body }) => toRequest(body),
  { name: "OAuth2PasswordRequestForm" },
);

/** As {@link OAuth2PasswordRequestForm}, but `grant_type=password` is required, as RFC 6749 says. */
export const OAuth2PasswordRequestFormStrict = dependency(
  { body: form(z.object({ grant_type: z.string().regex(/^password$/), ...fields })) },
  ({ body }) => toRequest(body),
  { name: "OAuth2PasswordRequestFormStrict" },
);
