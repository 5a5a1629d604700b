/** The public API is the `exports` map: every entry has a source index, and every public index an entry. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { exports: Record<string, unknown> };
const paths = (JSON.parse(readFileSync(new URL("../tsconfig.json", import.meta.url), "utf8")) as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths;
const src = new URL("../src/", import.meta.url);
/** Folders whose index is internal: the root re-exports what users need of them. */
const internal = ["core", "docs", "cli"];

describe("package exports", () => {
  it("each subpath points types and code at the same built file, whose source exists and tsconfig maps to", () => {
    for (const [key, target] of Object.entries(pkg.exports)) {
      if (key === "./package.json") continue;
      const { types, default: code } = target as { types: string; default: string };
      const base = types.replace(/^\.\/dist\/(.*)\.d\.ts$/, "$1");
      // A folder's index by default; a module of its own where a subpath is an optional peer's (tokens/redis).
      if (key === ".") expect(base).toBe("index");
      else expect([`${key.slice(2)}/index`, `${key.slice(2, key.lastIndexOf("/"))}/stores/${key.slice(key.lastIndexOf("/") + 1)}`]).toContain(base);
      expect(code).toBe(`./dist/${base}.js`);
      expect(existsSync(new URL(`${base}.ts`, src)), `src/${base}.ts`).toBe(true);
      const name = key === "." ? "gatehouse" : `gatehouse/${key.slice(2)}`;
      const mapped = paths[name]?.[0] ?? paths["gatehouse/*"]![0]!.replace("*", key.slice(2));
      expect(mapped, `tsconfig paths for ${name}`).toBe(`./src/${base}.ts`);
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
