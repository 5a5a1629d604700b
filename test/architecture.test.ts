/**
 * The architecture as checks: no import cycle in `src` (type-only imports included), published types that
 * never reach into `internal/` (left out of the package), and errors raised only through the catalog.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Relative imports and re-exports of a module, type-only ones and `import("…")` types included. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const statements = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"(\.[^"]+)"/gms)];
  const inline = [...text.matchAll(/\bimport\("(\.[^"]+)"\)/g)];
  return [...statements, ...inline].map(([, spec]) => resolve(dirname(file), spec!));
}

describe("architecture", () => {
  it("src has no import cycle, type-only imports included", () => {
    const graph = new Map(files(src, ".ts").map((file) => [file, importsOf(file)]));
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(src, f)).join(" → "));
        return;
      }
      state.set(file, "open");
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, "done");
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it("raises errors only through the catalog's factory", () => {
    const raw = files(src, ".ts").flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .map((line, i) => ({ where: `${relative(src, file)}:${i + 1}`, line }))
        .filter(({ line }) => /\bnew (Type|Range)?Error\(/.test(line) && !line.trimStart().startsWith("*")),
    );
    // keys.ts builds inner TypeErrors that its own catch wraps into GH_INVALID_KEY.
    expect(raw.filter(({ where }) => !where.startsWith("tokens/keys.ts")).map(({ where, line }) => `${where}: ${line.trim()}`)).toEqual([]);
  });

  describe("published types", () => {
    const out = mkdtempSync(join(tmpdir(), "gatehouse-dts-"));
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it("never import from internal/ (the package leaves it out)", () => {
      execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json"), "--outDir", out, "--emitDeclarationOnly"], { stdio: "pipe" });
      const leaks = files(out, ".d.ts")
        .filter((file) => !relative(out, file).split("/").includes("internal"))
        .flatMap((file) => importsOf(file).filter((target) => relative(out, target).split("/").includes("internal")).map((target) => `${relative(out, file)} → ${relative(out, target)}`));
      expect(leaks).toEqual([]);
    }, 60_000);
  });
});
