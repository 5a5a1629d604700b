/**
 * @module
 * Issuing access and personal (API) tokens: a JWT with the seed's claims (`sub`, `scopes`, `exp`) plus
 * `jti`, `iat` and, for tokens of a login session, the refresh family `fam`, so that the whole session can
 * be revoked at once. Every token is recorded in the store before it is handed out, so that its owner can
 * list and revoke it. In the `at+jwt` format the token is RFC 9068's instead: header `typ: at+jwt`, the scopes
 * as one `scope` string, and `iss`, `aud` and `client_id` always, so that any resource server can verify it.
 */
import { SignJWT } from "jose";
import { timeOrderedId } from "./ids.ts";
import type { KeySet } from "../keys.ts";
import { ttlUntil } from "../stores/store.ts";
import type { AccessTokenFormat, Clock, IssuedToken, IssueRequest, TokenRecord } from "../types.ts";
import { millis } from "./clock.ts";
import type { Ledger } from "./ledger.ts";

export interface IssuerOptions {
  readonly now: Clock;
  /** Default lifetime of an access token, in seconds. */
  readonly accessTokenTtl: number;
  /** `iss` claim, when set (read when each token is signed: it may be known only once the server listens). */
  readonly issuer?: () => string | undefined;
  /** `aud` claim, when set; in the `at+jwt` format it defaults to the issuer. */
  readonly audience?: string | string[];
  /** `jwt`: the seed's claims (`scopes` list, `typ: JWT`); `at+jwt`: RFC 9068's access token. */
  readonly format: AccessTokenFormat;
}

/** Signs and records access tokens. */
export class TokenIssuer {
  constructor(
    readonly keys: KeySet,
    readonly ledger: Ledger,
    readonly options: IssuerOptions,
  ) {}

  /** Sign a token and record it; rejects with a 503 when the store cannot record it. */
  async issue(request: IssueRequest): Promise<IssuedToken> {
    const now = millis(this.options.now);
    const iat = Math.floor(now / 1000);
    const ttl = request.ttl === undefined ? this.options.accessTokenTtl : request.ttl;
    let exp = ttl === null ? null : iat + ttl;
    if (request.family) exp = Math.min(exp ?? Infinity, Math.floor(request.family.expiresAt / 1000));
    // The id carries the issue time to the millisecond, which `iat` cannot (see ids.ts).
    const jti = timeOrderedId(now);
    const { signing } = this.keys;
    const rfc9068 = this.options.format === "at+jwt";
    const issuer = this.options.issuer?.();
    const audience = this.options.audience ?? (rfc9068 ? issuer : undefined);
    const jwt = new SignJWT({
      ...request.claims,
      sub: request.subject,
      // RFC 9068 §2.2.3: one space-separated `scope`; the seed (and FastAPI's tutorial) reads a `scopes` list.
      ...(rfc9068 ? { scope: request.scopes.join(" ") } : { scopes: [...request.scopes] }),
      ...(request.family ? { fam: request.family.id } : {}),
      // RFC 9068 §2.2's name, read back by introspection.
      ...(typeof request.client === "string" ? { client_id: request.client } : {}),
      // RFC 9470 §4: when the user authenticated, so that a resource can ask for a recent login.
      ...(request.authTime !== undefined ? { auth_time: request.authTime } : {}),
    })
      // RFC 9068 §2.1: `typ: at+jwt`, so that no other JWT of this issuer passes for an access token.
      .setProtectedHeader({ alg: signing.alg, typ: rfc9068 ? "at+jwt" : "JWT", ...(signing.kid === undefined ? {} : { kid: signing.kid }) })
      .setIssuedAt(iat)
      .setJti(jti);
    if (exp !== null) jwt.setExpirationTime(exp);
    if (issuer !== undefined) jwt.setIssuer(issuer);
    if (audience !== undefined) jwt.setAudience(audience);
    const token = await jwt.sign(signing.signKey!);
    const record: TokenRecord = {
      id: jti,
      subject: request.subject,
      kind: request.kind ?? "access",
      scopes: [...request.scopes],
      issuedAt: iat * 1000,
      expiresAt: exp === null ? null : exp * 1000,
      ...(request.family ? { family: request.family.id } : {}),
      ...(request.client !== undefined ? { client: request.client } : {}),
      ...(request.name !== undefined ? { name: request.name } : {}),
      ...(request.authTime !== undefined ? { authTime: request.authTime } : {}),
    };
    await this.ledger.use((store) => store.save(jti, record, ttlUntil(record.expiresAt, now)));
    return { token, record };
  }
}
