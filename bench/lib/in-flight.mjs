/**
 * @module
 * In-process measurement for `bench/verify.mjs` and `bench/route.mjs`: rounds of calls with 50 in flight (as
 * 50 connections would keep), in CPU µs per call, interleaved across cases so that the machine's noise
 * hits all alike, and printed as the best and the median round.
 */

/** CPU µs per call of `run` over `count` items of `inputs` from position `from`, 50 calls in flight. */
async function round(run, inputs, from, count) {
  const cpu = process.cpuUsage();
  let next = from;
  await Promise.all(Array.from({ length: 50 }, async () => {
    while (next < from + count) await run(inputs[next++ % inputs.length]);
  }));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / count;
}

/** Run `cases` (`[name, run, inputs]`) for `rounds` interleaved rounds of `count` calls; print best and median per case. */
export async function measureCases(cases, { rounds = 8, count, unit }) {
  const results = new Map(cases.map(([name]) => [name, []]));
  let from = 0;
  for (let r = 0; r < rounds; r++) {
    for (const [name, run, inputs] of cases) {
      results.get(name).push(await round(run, inputs, from, count));
      from += count;
    }
  }
  const width = Math.max(...cases.map(([name]) => name.length)) + 2;
  for (const [name, values] of results) {
    values.sort((a, b) => a - b);
    console.log(`${name.padEnd(width)} best ${values[0].toFixed(2)}  median ${values[Math.floor(values.length / 2)].toFixed(2)} CPU µs/${unit}`);
  }
}
