/**
 * @module
 * Issuing access and personal (API) tokens: a JWT with the seed's claims (`sub`, `scopes`, `exp`) plus
 * `jti`, `iat` and, for tokens of a login session, the refresh family `fam`, so that the whole session can
 * be revoked at once. Every token is recorded in the store before it is handed out, so that its owner can
 * list and revoke it.
 */
import { SignJWT } from "jose";
import { timeOrderedId } from "./ids.ts";
import type { KeySet } from "../keys.ts";
import { ttlUntil } from "../stores/store.ts";
import type { Clock, IssuedToken, IssueRequest, TokenRecord } from "../types.ts";
import { millis } from "./clock.ts";
import type { Ledger } from "./ledger.ts";

export interface IssuerOptions {
  readonly now: Clock;
  /** Default lifetime of an access token, in seconds. */
  readonly accessTokenTtl: number;
  /** `iss` claim, when set. */
  readonly issuer?: string;
  /** `aud` claim, when set. */
  readonly audience?: string | string[];
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
    const jwt = new SignJWT({
      ...request.claims,
      sub: request.subject,
      scopes: [...request.scopes],
      ...(request.family ? { fam: request.family.id } : {}),
      // RFC 9068 §2.2's name, read back by introspection.
      ...(typeof request.client === "string" ? { client_id: request.client } : {}),
    })
      .setProtectedHeader(signing.kid === undefined ? { alg: signing.alg, typ: "JWT" } : { alg: signing.alg, typ: "JWT", kid: signing.kid })
      .setIssuedAt(iat)
      .setJti(jti);
    if (exp !== null) jwt.setExpirationTime(exp);
    if (this.options.issuer !== undefined) jwt.setIssuer(this.options.issuer);
    if (this.options.audience !== undefined) jwt.setAudience(this.options.audience);
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
    };
    await this.ledger.use((store) => store.save(jti, record, ttlUntil(record.expiresAt, now)));
    return { token, record };
  }
}
