/**
 * @module
 * `SecurityScopes` and the one function that merges scopes along a dependency path. The runtime (what a
 * dependency receives) and the OpenAPI builder (what an operation requires) both use {@link mergeScopes}.
 */
import type { Injectable } from "./types.ts";

/**
 * The scopes required on the path from the route down to the dependency that asks for it:
 * outer uses first, no duplicates. List the class itself in `needs` to receive one.
 *
 * @example
 * dependency({ securityScopes: SecurityScopes, token: oauth2Scheme }, ({ securityScopes }) => securityScopes.scopeStr);
 */
export class SecurityScopes {
  declare static readonly "~types": { readonly value: SecurityScopes; readonly scopes: never };
  static readonly kind = "securityScopes" as const;

  readonly scopes: readonly string[];
  /** The scopes joined by single spaces, as `WWW-Authenticate: Bearer scope="…"` wants them. */
  readonly scopeStr: string;

  constructor(scopes: readonly string[] = []) {
    this.scopes = Object.freeze([...scopes]);
    this.scopeStr = this.scopes.join(" ");
    Object.freeze(this);
  }
}

// The class is itself the injectable; this line makes the compiler check that it fits.
SecurityScopes satisfies Injectable<SecurityScopes, never>;

/** Ordered union: `outer` as given, then each of `inner` not already present. */
export function mergeScopes(outer: readonly string[], inner: readonly string[]): readonly string[] {
  if (inner.length === 0) return outer;
  const merged = [...outer];
  for (const scope of inner) if (!merged.includes(scope)) merged.push(scope);
  return Object.freeze(merged);
}

/** The scopes as the per-request cache keys them: order and repeats do not matter. */
export function scopeKey(scopes: readonly string[]): string {
  return [...new Set(scopes)].sort().join(" ");
}
