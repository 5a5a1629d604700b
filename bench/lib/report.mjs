/**
 * @module
 * From runs to the table and the targets. Ratios are the median over rounds of the per-round ratio, so a
 * noisy moment that slowed one round slows both sides of that round's ratio.
 */

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rows of one scenario: medians per server and the ratio to `baseId`'s run of the same round. */
export function summarize(runs, servers, baseId) {
  const base = runs[baseId];
  return servers.map((server) => {
    const mine = runs[server.id] ?? [];
    const ratios = base ? mine.map((run, i) => run.rps / base[i]?.rps) : [];
    return {
      id: server.id,
      label: server.label,
      rps: median(mine.map((r) => r.rps)),
      p50: median(mine.map((r) => r.p50)),
      p99: median(mine.map((r) => r.p99)),
      worstP99: Math.max(...mine.map((r) => r.p99)),
      cpuUs: median(mine.map((r) => r.cpuUs)),
      ratio: median(ratios),
      bad: mine.reduce((n, r) => n + r.bad, 0),
      cache: cacheShare(mine),
      runs: mine,
    };
  });
}

/** The verified-token cache over all runs: the share of hits, `off`, or undefined for a server that does not say. */
function cacheShare(runs) {
  const counted = runs.map((r) => r.cache).filter(Boolean);
  if (counted.length === 0) return undefined;
  if (!counted.some((c) => c.on)) return "off";
  const hits = counted.reduce((n, c) => n + c.hits, 0);
  const all = hits + counted.reduce((n, c) => n + c.misses, 0);
  return all === 0 ? undefined : `${((100 * hits) / all).toFixed(1)} %`;
}

/** The ratio of two servers' throughput, round by round, then the median. */
export function pairRatio(runs, id, otherId) {
  const a = runs[id] ?? [];
  const b = runs[otherId] ?? [];
  return median(a.map((run, i) => run.rps / b[i]?.rps));
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "—");

export function printScenario(title, rows, { probe = false, baseLabel = "raw" } = {}) {
  console.log(`\n${title}`);
  // gatehouse's verified-token cache: the share of requests it answered, where a server reports it.
  const cache = !probe && rows.some((r) => r.cache !== undefined);
  const head = probe
    ? ["server", "/token req/s", "probe p50 ms", "probe p99 ms", "worst p99", `× ${baseLabel}`]
    : ["server", "req/s", "p50 ms", "p99 ms", "worst p99", "CPU µs/req", ...(cache ? ["cache hits"] : []), `× ${baseLabel}`];
  const lines = rows.map((r) =>
    r.note
      ? [r.label, r.note]
      : [
          r.label,
          fmt(r.rps, probe ? 1 : 0),
          fmt(r.p50),
          fmt(r.p99),
          fmt(r.worstP99),
          ...(probe ? [] : [fmt(r.cpuUs, 1)]),
          ...(cache ? [r.cache ?? "—"] : []),
          fmt(r.ratio, 2) + (r.bad ? `  (${r.bad} unexpected answers)` : ""),
        ],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...lines.filter((l) => l.length > 2).map((l) => l[i].length)));
  const row = (cells) => (cells.length === 2 ? `  ${cells[0].padEnd(widths[0])}  ${cells[1]}` : `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")}`);
  console.log(row(head));
  for (const line of lines) console.log(row(line));
}

/** One target line: PASS/FAIL, or SKIP with the reason when it could not be measured. */
export function target(name, value, test, shown) {
  const status = Number.isFinite(value) ? (test(value) ? "PASS" : "FAIL") : "SKIP";
  return { name, value, status, shown: Number.isFinite(value) ? shown(value) : "not measured" };
}

export function printTargets(targets) {
  console.log("\ntargets");
  for (const t of targets) console.log(`  ${t.status}  ${t.name}: ${t.shown}`);
}
