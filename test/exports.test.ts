/** The public API is the `exports` map: every entry has a source index, and every public index an entry. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { exports: Record<string, unknown> };
const src = new URL("../src/", import.meta.url);
/** Folders whose index is internal: the root re-exports what users need of them. */
const internal = ["core", "docs", "cli"];

describe("package exports", () => {
  it("each subpath has a src index and points types and code at the same built file", () => {
    for (const [key, target] of Object.entries(pkg.exports)) {
      if (key === "./package.json") continue;
      const { types, default: code } = target as { types: string; default: string };
      const base = key === "." ? "index" : `${key.slice(2)}/index`;
      expect(types).toBe(`./dist/${base}.d.ts`);
      expect(code).toBe(`./dist/${base}.js`);
      expect(existsSync(new URL(`${base}.ts`, src)), `src/${base}.ts`).toBe(true);
    }
  });

  it("every public folder of src has an entry", () => {
    const folders = readdirSync(src, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(new URL(`${d.name}/index.ts`, src)));
    for (const folder of folders) {
      if (internal.includes(folder.name)) continue;
      expect(pkg.exports, `exports["./${folder.name}"]`).toHaveProperty([`./${folder.name}`]);
    }
  });
});
