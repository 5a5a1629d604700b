/**
 * The synchronous HMAC path (`internal/signatures.ts`) against jose's `jwtVerify`, on generated and mutated
 * tokens: both must accept, expire or refuse exactly the same tokens, with the same claims — except that
 * ours also refuses every token whose text is not the canonical base64url of its bytes (issue 13 item 3).
 */
import { createHmac, generateKeyPairSync, sign as ecSign } from "node:crypto";
import fc from "fast-check";
import { errors, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { KeySet } from "gatehouse/tokens";
import { joseOptions, type ClaimRules } from "../../src/tokens/internal/jwt-rules.ts";
import { Signatures, type Checked } from "../../src/tokens/internal/signatures.ts";

const S1 = "the first secret of the equivalence test, 32+ bytes";
// HS512 needs 64 bytes (RFC 7518 §3.2): S2 keys HS384 and HS512.
const S2 = "the second secret of the equivalence test, long enough for HS512: 64+ bytes";
const WRONG = "not one of our secrets, but just as long as the longest of them is, 64+ bytes";
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const keys = new KeySet({
  signing: { kid: "a", alg: "HS256", secret: S1 },
  verification: [
    { alg: "HS512", secret: S2 },
    { kid: "k384", alg: "HS384", secret: S2 },
    { kid: "es", alg: "ES256", publicKey: ec.publicKey },
  ],
});
const NOW = Date.UTC(2030, 0, 1, 12) / 1000;

type Outcome = { kind: "refused" } | { kind: "valid" | "expired" | "claims"; payload: unknown };

async function jose(token: string, rules: ClaimRules, nowMs: number): Promise<Outcome> {
  try {
    const { payload } = await jwtVerify(token, keys.verificationKey, { ...joseOptions(rules, keys.algorithms), currentDate: new Date(nowMs) });
    return { kind: "valid", payload };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { kind: "expired", payload: error.payload };
    if (error instanceof errors.JWTClaimValidationFailed) return { kind: "claims", payload: error.payload };
    return { kind: "refused" };
  }
}

function outcome(checked: Checked): Outcome {
  if (!checked.signed) return { kind: "refused" };
  return { kind: checked.failure === undefined ? "valid" : checked.failure === "expired" ? "expired" : "claims", payload: checked.payload };
}

/** The test's own definition of canonical: three segments that decode and re-encode to themselves. */
function canonical(token: string): boolean {
  const parts = token.split(".");
  return parts.length === 3 && parts.every((p) => p.length > 0 && /^[A-Za-z0-9_-]+$/.test(p) && Buffer.from(p, "base64url").toString("base64url") === p);
}

const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString("base64url");

// --- generators -----------------------------------------------------------------------------------------
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const time = fc.oneof(fc.integer({ min: -120, max: 120 }).map((d) => NOW + d), fc.constantFrom("soon", null, 1e400, NOW + 0.5, -1));

/** Headers gatehouse would accept (a key of ours, by `alg` and `kid`), and anything else. */
const goodHeader = fc
  .tuple(
    fc.constantFrom({ alg: "HS256" }, { alg: "HS256", kid: "a" }, { alg: "HS512" }, { alg: "HS384", kid: "k384" }, { alg: "ES256", kid: "es" }),
    maybe(fc.constantFrom("JWT", "at+jwt", "application/AT+JWT")),
    fc.constantFrom({}, {}, {}, { crit: ["b64"], b64: true }, { b64: false }),
  )
  .map(([key, typ, extra]) => ({ ...key, ...(typ === undefined ? {} : { typ }), ...extra }));
const wildHeader = fc.record(
  {
    alg: fc.constantFrom("HS256", "HS512", "HS384", "hs256", "none", "None", "ES256", "RS256", "", 5),
    kid: maybe(fc.constantFrom("a", "k384", "es", "nope", 7, null)),
    typ: maybe(fc.constantFrom("JWT", "at+jwt", "jwt", 5)),
    crit: maybe(fc.constantFrom([], ["b64"], ["b64", "b64"], ["exp"], "b64", [""], [5], null)),
    b64: maybe(fc.constantFrom(true, false, "true")),
    jwk: maybe(fc.constant({ kty: "oct", k: b64(WRONG) })),
  },
  { requiredKeys: [] },
);
const header = fc.oneof({ weight: 3, arbitrary: goodHeader }, { weight: 1, arbitrary: wildHeader });

/** Claims near what gatehouse accepts (times around now, the rules' issuer and audience), and anything else. */
// Mostly whole seconds, sometimes a fraction (RFC 7519 §2 NumericDate allows one): jose floors the clock, not the claim.
const near = (spread: number) => fc.tuple(fc.integer({ min: -spread, max: spread }), fc.constantFrom(0, 0, 0, 0.5)).map(([d, f]) => NOW + d + f);
const goodClaims = fc.record(
  {
    sub: fc.constant("alice"),
    exp: fc.oneof(near(90), fc.integer({ min: 31, max: 600 }).map((d) => NOW + d)),
    nbf: fc.integer({ min: -60, max: 8 }).map((d) => NOW + d),
    iat: near(20),
    iss: fc.constantFrom("iss-a", "iss-a", "iss-b"),
    aud: fc.constantFrom("aud-a", ["aud-b", "aud-a"], "aud-c"),
    jti: fc.string({ maxLength: 4 }),
    scopes: fc.constant(["me"]),
  },
  { requiredKeys: ["sub", "iss", "aud"] },
);
const wildClaims = fc.record(
  {
    sub: fc.constantFrom("alice", 42, null),
    exp: fc.oneof(near(120), fc.constantFrom("soon", null, 1e400, NOW + 0.5, -1)),
    nbf: fc.oneof(near(120), fc.constantFrom("now", null, NOW + 0.5)),
    iat: fc.oneof(near(120), fc.constantFrom("then", true)),
    iss: fc.constantFrom("iss-a", "x", 5, ["iss-a"]),
    aud: fc.constantFrom("aud-a", ["aud-b", "x"], [], 5, ["x"]),
    jti: fc.string({ maxLength: 4 }),
    scopes: fc.constantFrom(["me"], "me", []),
  },
  { requiredKeys: [] },
);
const claims = fc.oneof({ weight: 3, arbitrary: goodClaims }, { weight: 1, arbitrary: wildClaims });

/** JSON text of a value, sometimes with what jose's decoder tolerates or refuses around it. */
const json = (value: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 8, arbitrary: value.map((v) => Buffer.from(JSON.stringify(v) ?? "null")) },
    { weight: 1, arbitrary: value.map((v) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(v) ?? "null")])) },
    { weight: 1, arbitrary: value.map((v) => Buffer.from(` \n${JSON.stringify(v)}\t`)) },
    { weight: 1, arbitrary: fc.constantFrom(Buffer.from("[1]"), Buffer.from("null"), Buffer.from('"x"'), Buffer.from("{"), Buffer.from([0x7b, 0xff, 0x7d]), Buffer.from('{"sub":"\ud800"}'), Buffer.alloc(0)) },
  );

/** How the token is signed: by the key its header names (often), or a wrong secret, hash or algorithm. */
const signer = fc.constantFrom("right", "right", "right", "S1-256", "S2-512", "S2-384", "wrong-256", "ec", "none");

function sign(how: string, head: Record<string, unknown>, input: string): string {
  const hmac = (hash: string, secret: string) => b64(createHmac(hash, secret).update(input).digest());
  if (how === "none") return "";
  if (how === "ec") return b64(ecSign("sha256", Buffer.from(input), { key: ec.privateKey, dsaEncoding: "ieee-p1363" }));
  if (how === "right") {
    const key = typeof head.alg === "string" ? keys.keyFor(head) : undefined;
    if (key?.alg === "ES256") return sign("ec", head, input);
    const hash = { HS256: "sha256", HS384: "sha384", HS512: "sha512" }[key?.alg ?? ""];
    return hash ? b64(createHmac(hash, key!.key).update(input).digest()) : hmac("sha256", S1);
  }
  const [secret, bits] = how.split("-") as [string, string];
  return hmac(`sha${bits}`, secret === "S1" ? S1 : secret === "S2" ? S2 : WRONG);
}

/** Changes to the text: the re-encodings jose accepts, and plain corruption. */
const mutation = fc.oneof(
  { weight: 24, arbitrary: fc.constant((t: string) => t) },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      (t: string) => t + "=",
      (t: string) => t + "==",
      (t: string) => t.slice(0, -2) + " " + t.slice(-2),
      (t: string) => t.slice(0, -2) + "\t" + t.slice(-2),
      (t: string) => t.slice(0, 5) + "\n" + t.slice(5),
      (t: string) => t + ".",
      (t: string) => t + ".x.y",
      (t: string) => t.replace(/-/, "+").replace(/_/, "/"),
      (t: string) => t.slice(0, -1),
      (t: string) => {
        // The last character with its unused low bits changed: the same bytes, another text.
        const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return t.slice(0, -1) + alphabet[alphabet.indexOf(t.at(-1)!) ^ 1];
      },
    ),
  },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.constantFrom("A", "-", "_", ".", "=", " ")).map(([i, c]) => (t: string) => (t.length === 0 ? c : t.slice(0, i % t.length) + c + t.slice((i % t.length) + 1))) },
);

const rules: fc.Arbitrary<ClaimRules> = fc
  .tuple(
    fc.constantFrom(0, 5, 60),
    fc.constantFrom(["sub"], ["sub"], [], ["sub", "jti"], ["exp"]),
    fc.constantFrom(undefined, undefined, "iss-a", ["iss-a", "iss-b"]),
    fc.constantFrom(undefined, undefined, "aud-a", ["aud-a", "aud-b"]),
    fc.constantFrom(undefined, undefined, "JWT", "at+jwt"),
  )
  .map(([clockTolerance, requiredClaims, issuer, audience, typ]) => ({
    clockTolerance,
    requiredClaims,
    ...(issuer === undefined ? {} : { issuer }),
    ...(audience === undefined ? {} : { audience }),
    ...(typ === undefined ? {} : { typ }),
  }));

const token = fc.tuple(header, json(claims), json(wildHeader), signer, mutation, fc.nat(9)).map(([head, body, otherHeader, how, mutate, which]) => {
  // Mostly signed for the header it carries; sometimes for a header text other than the one it carries.
  const headText = which > 0 ? Buffer.from(JSON.stringify(head)) : otherHeader;
  const input = `${b64(headText)}.${b64(body)}`;
  return mutate(`${input}.${sign(how, head, input)}`);
});

describe("the HMAC path and jose's jwtVerify", () => {
  it("accept, expire and refuse the same tokens, with the same claims; non-canonical ones are always refused", async () => {
    const seen = { valid: 0, expired: 0, claims: 0, refused: 0, nonCanonical: 0 };
    await fc.assert(
      fc.asyncProperty(token, rules, fc.integer({ min: -2500, max: 2500 }), async (text, rule, skew) => {
        const nowMs = NOW * 1000 + skew;
        const ours = outcome(await new Signatures(keys, rule).check(text, nowMs));
        if (!canonical(text)) {
          seen.nonCanonical++;
          expect(ours).toEqual({ kind: "refused" });
          return;
        }
        const theirs = await jose(text, rule, nowMs);
        seen[theirs.kind]++;
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 5000 },
    );
    // The property is not vacuous: every outcome was reached often.
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(25);
  }, 60_000);
});
