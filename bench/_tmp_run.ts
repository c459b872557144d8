import { benchStartup } from './startup.bench.ts';
const r = await benchStartup({ runs: Number(process.env.RUNS ?? 9) });
console.log(`floor ${r.floorMs.toFixed(1)} ms`);
for (const c of r.cases) console.log(`${c.name}: ${c.medianMs.toFixed(1)} ms  ${c.ratio.toFixed(2)}x`);
