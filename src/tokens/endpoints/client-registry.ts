/**
 * @module
 * The registered OAuth clients (RFC 6749 §2), checked once at start-up: confidential ones with a secret,
 * public ones without (a browser or native app cannot keep one, RFC 6749 §2.1), the grants each may use,
 * its redirect URIs, its scopes, and whether it may introspect. Anything malformed is a `TypeError` then.
 */
import { gatehouseError } from "../../core/errors.ts";

/** The grants a token endpoint can answer. */
export type GrantType = "authorization_code" | "refresh_token" | "client_credentials" | "password";

const GRANT_TYPES: readonly GrantType[] = ["authorization_code", "refresh_token", "client_credentials", "password"];
// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** A client as configured. */
export interface ClientConfig {
  /** A confidential client's secret; without one the client is public and never authenticates. */
  readonly secret?: string;
  /**
   * The grants it may use. Default: `password` and `refresh_token`, plus `client_credentials` for a
   * confidential client with `scopes`, plus `authorization_code` for a client with `redirectUris`.
   */
  readonly grants?: readonly GrantType[];
  /** Where `/authorize` may send the user back, matched exactly; a loopback one (RFC 8252 §7.3) with any port. */
  readonly redirectUris?: readonly string[];
  /**
   * The scopes it may be granted: with `client_credentials` what it gets for itself, with
   * `authorization_code` the most a user can consent to. Absent: `client_credentials` is refused, and the
   * authorization-code grant may ask for any scope the server declares.
   */
  readonly scopes?: readonly string[];
  /** May call `/introspect` (RFC 7662 §2.1); confidential clients only. Default `false`. */
  readonly introspect?: boolean;
  /** Shown on the consent page. Default: the client id. */
  readonly name?: string;
  /**
   * The server's own app (its docs, its web front end): a token it obtains through `/authorize` manages
   * all the user's tokens at `/users/me/tokens` and creates personal tokens, as a password login's does.
   * Default `false`: a third-party app gets the scopes the user consented to, sees and revokes only its own
   * grants there, and never creates a personal token (one would outlive the revocation of its own grant).
   */
  readonly firstParty?: boolean;
}

export type Clients = Readonly<Record<string, ClientConfig>>;

/** A registered client, as checked at start-up. */
export interface RegisteredClient {
  readonly id: string;
  readonly name: string;
  readonly secret: string | undefined;
  readonly grants: ReadonlySet<GrantType>;
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[] | undefined;
  readonly introspect: boolean;
  readonly firstParty: boolean;
}

/** The clients by id, checked. */
export class ClientRegistry {
  readonly #clients = new Map<string, RegisteredClient>();
  /** Every grant at least one registered client may use. */
  readonly grants: ReadonlySet<GrantType>;

  constructor(clients: Clients = {}) {
    const grants = new Set<GrantType>();
    for (const [id, config] of Object.entries(clients)) {
      const client = register(id, config);
      client.grants.forEach((grant) => grants.add(grant));
      this.#clients.set(id, client);
    }
    this.grants = grants;
  }

  /** The registered client `id`, or `undefined`. */
  get(id: string): RegisteredClient | undefined {
    return this.#clients.get(id);
  }

  /**
   * Whether a token of this client acts for the user on the user's delegation (the authorization code
   * grant) rather than with the user's own credentials: a registered client of that grant that is not
   * `firstParty`. A password grant's client (registered for it, or unregistered) had the password itself;
   * where no password grant is answered, a client id no longer registered (removed since it got its
   * tokens) can only be an app's, and counts as delegated.
   */
  delegated(clientId: string | undefined, passwordGrant: boolean): boolean {
    if (clientId === undefined) return false;
    const client = this.#clients.get(clientId);
    if (client === undefined) return !passwordGrant;
    return client.grants.has("authorization_code") && !client.firstParty;
  }
}

function register(id: string, config: ClientConfig): RegisteredClient {
  const fail = (what: string) => gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: tokenRouter: clients["${id}"].${what}`);
  if (config === null || typeof config !== "object") throw fail(" must be an object");
  const { secret, scopes, redirectUris = [], introspect = false, firstParty = false } = config;
  if (secret !== undefined && (typeof secret !== "string" || secret.length === 0)) throw fail("secret must be a non-empty string (or absent, for a public client)");
  if (scopes !== undefined && (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === "string" && SCOPE_TOKEN.test(scope)))) {
    throw fail("scopes must be an array of scope names (no spaces, quotes or backslashes)");
  }
  if (!Array.isArray(redirectUris) || !redirectUris.every(isRedirectUri)) throw fail("redirectUris must be absolute URIs without a fragment (RFC 6749 §3.1.2)");
  const grants = new Set(config.grants ?? defaultGrants(config));
  for (const grant of grants) if (!GRANT_TYPES.includes(grant)) throw fail(`grants: unknown grant "${grant}" (use ${GRANT_TYPES.join(", ")})`);
  if (grants.has("client_credentials") && (secret === undefined || scopes === undefined)) throw fail("grants: client_credentials needs a secret and scopes");
  if (grants.has("authorization_code") && redirectUris.length === 0) throw fail("grants: authorization_code needs redirectUris");
  if (introspect && secret === undefined) throw fail("introspect: only a confidential client (with a secret) may introspect");
  if (typeof firstParty !== "boolean") throw fail("firstParty must be a boolean");
  return Object.freeze({ id, name: config.name ?? id, secret, grants, redirectUris: Object.freeze([...redirectUris]), scopes: scopes && Object.freeze([...scopes]), introspect, firstParty });
}

function defaultGrants(config: ClientConfig): GrantType[] {
  const grants: GrantType[] = ["password", "refresh_token"];
  if (config.secret !== undefined && config.scopes !== undefined) grants.push("client_credentials");
  if (config.redirectUris !== undefined && config.redirectUris.length > 0) grants.push("authorization_code");
  return grants;
}

function isRedirectUri(uri: unknown): boolean {
  if (typeof uri !== "string" || uri.includes("#")) return false;
  return URL.canParse(uri);
}
