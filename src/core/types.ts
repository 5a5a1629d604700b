/**
 * @module
 * The types that carry a dependency's result, and the OAuth2 scopes its tree declares, to whatever uses it.
 * Every injectable (dependency, scheme, parameter, marker) carries a phantom `"~types"` field that exists
 * only for the compiler.
 */

/** Anything a dependency or route may list in `needs`. `T` is what it injects; `S` the scope names its tree declares. */
export interface Injectable<T = unknown, S extends string = string> {
  readonly "~types": { readonly value: T; readonly scopes: S };
}

/** A `needs` map: argument name → what to inject there. */
export type Needs = { readonly [name: string]: Injectable<unknown, string> };

/** `needs` itself, or a function returning it, for forward references between dependencies. */
export type NeedsInput<N extends Needs> = N | (() => N);

/** The value an injectable injects. */
export type ValueOf<I> = I extends { readonly "~types": { readonly value: infer T } } ? T : never;

/** The scope names an injectable's tree declares (`never` when none declares a scope map). */
export type ScopesOf<I> = I extends { readonly "~types": { readonly scopes: infer S extends string } } ? S : never;

/** What a dependency or handler receives for its `needs`. */
export type Resolved<N extends Needs> = { -readonly [K in keyof N]: ValueOf<N[K]> };

/** The union of scope names declared anywhere below a `needs` map. */
export type NeedsScopes<N extends Needs> = { [K in keyof N]: ScopesOf<N[K]> }[keyof N];

/** Scopes a `security()` use may require of an injectable: its declared names, or any string if none. */
export type ScopeName<I> = [ScopesOf<I>] extends [never] ? string : ScopesOf<I>;

export type Awaitable<T> = T | PromiseLike<T>;
