/**
 * Rewrites the README's error table from the catalog (`src/core/catalog.ts`), the one place the codes live:
 * `node --import tsx scripts/error-table.ts`. `test/core/catalog.test.ts` fails while the two disagree.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { ERROR_CATALOG } from "../src/core/catalog.ts";

const RAISED = { startup: "start-up", usage: "call", store: "store" } as const;
const readme = new URL("../README.md", import.meta.url);
const text = readFileSync(readme, "utf8");
const header = "| code | status | OAuth `error` | meaning |\n|---|---|---|---|\n";
const start = text.indexOf(header, text.indexOf("## Errors"));
if (start < 0) throw new Error("README.md: no error table under ## Errors");
const body = start + header.length;
let end = body;
while (text.startsWith("| `GH_", end)) end = text.indexOf("\n", end) + 1;
const rows = Object.entries(ERROR_CATALOG).map(([code, spec]) => {
  const status = "status" in spec ? String(spec.status) : RAISED[spec.raised];
  const oauth = "status" in spec && spec.oauth ? `\`${spec.oauth}\`` : "";
  return `| \`${code}\` | ${status} | ${oauth} | ${spec.summary} |\n`;
});
writeFileSync(readme, text.slice(0, body) + rows.join("") + text.slice(end));
console.log(`README.md: ${rows.length} error codes`);
