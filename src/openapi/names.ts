/**
 * @module
 * The names FastAPI derives for an operation, so that a port of a FastAPI app documents the same ids:
 * `generate_unique_id` (`read_users_me_users_me__get`) and `generate_operation_summary` ("Read Users Me").
 * TypeScript handlers are camelCase, so names are turned into snake_case first.
 */

/** `readUsersMe` → `read_users_me`; `getHTTPStatus` → `get_http_status`; snake_case stays as it is. */
export function snakeCase(name: string): string {
  return name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1_$2")
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, "$1_$2")
    .toLowerCase();
}

/**
 * FastAPI's `generate_unique_id`: the name, the path and the method, every non-word character made `_`.
 *
 * @example
 * operationIdFor("readUsersMe", "/users/me/", "GET"); // "read_users_me_users_me__get"
 */
export function operationIdFor(name: string, path: string, method: string): string {
  const id = `${snakeCase(name)}${path}`.replace(/[^\p{L}\p{N}_]/gu, "_");
  return `${id}_${method.toLowerCase()}`;
}

/** FastAPI's summary: the snake_case name's words, title-cased, as Python's `str.title()` does. */
export function summaryFor(name: string): string {
  return titleCase(snakeCase(name));
}

/** Python's `name.replace("_", " ").title()`: `client_id` → `Client Id`, as pydantic titles fields. */
export function titleCase(name: string): string {
  return name.replace(/_/g, " ").replace(/\p{L}+/gu, (word) => word[0]!.toUpperCase() + word.slice(1).toLowerCase());
}
