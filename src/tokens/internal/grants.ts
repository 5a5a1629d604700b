/**
 * @module
 * The user's tokens seen as grants: one entry per login or authorized app (a refresh family, however many
 * access and refresh tokens its rotations issued), one per personal token, one per access token issued on
 * its own. What a person recognises and revokes — "my phone", "demo-app" — rather than every JWT.
 */
import type { Grant, TokenRecord } from "../types.ts";

/** Group live records (newest first) into grants, newest use first. Each entry's `id` revokes all of it. */
export function grantsOf(records: readonly TokenRecord[]): Grant[] {
  const families = new Map<string, TokenRecord[]>();
  const grants: Grant[] = [];
  for (const record of records) {
    if (record.family === undefined) {
      grants.push(grantOf(record.kind === "api" ? "personal" : "access", record.id, [record]));
      continue;
    }
    const members = families.get(record.family);
    if (members) members.push(record);
    else families.set(record.family, [record]);
  }
  for (const [family, members] of families) {
    // A family's id is its refresh record's id: revoking it by that id ends the whole session.
    if (members.some((record) => record.kind === "refresh")) grants.push(grantOf("session", family, members));
    else grants.push(...members.map((record) => grantOf("access", record.id, [record])));
  }
  return grants.sort((a, b) => b.lastUsed - a.lastUsed);
}

function grantOf(kind: Grant["kind"], id: string, members: readonly TokenRecord[]): Grant {
  const first = members.reduce((a, b) => (b.issuedAt < a.issuedAt ? b : a));
  const refresh = members.find((record) => record.kind === "refresh");
  const expiries = members.map((record) => record.familyExpiresAt ?? record.expiresAt);
  return {
    id,
    kind,
    client: first.client ?? null,
    scopes: [...(refresh ?? first).scopes],
    // Rotations re-issue with the same scopes; the earliest record still kept is the best "since" there is.
    grantedAt: first.issuedAt,
    lastUsed: Math.max(...members.map((record) => record.issuedAt)),
    expiresAt: expiries.includes(null) ? null : Math.max(...(expiries as number[])),
    ...(first.name !== undefined ? { name: first.name } : {}),
  };
}
