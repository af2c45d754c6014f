// Loaded into the server with `node --expose-gc --require bench/memory-probe.cjs` by `npm run soak -- --probe`.
// Every HOOKLINE_MEMORY_PROBE_INTERVAL seconds it runs a full GC and appends process.memoryUsage()
// as one JSON line to HOOKLINE_MEMORY_PROBE_FILE, so the soak can tell the JS heap (a leak in our
// objects) from memory outside it (isolates, PGlite's WebAssembly heap, the allocator).
const { appendFileSync } = require('node:fs');

const file = process.env.HOOKLINE_MEMORY_PROBE_FILE;
const seconds = Number(process.env.HOOKLINE_MEMORY_PROBE_INTERVAL || 10);
if (file && typeof global.gc === 'function') {
  setInterval(() => {
    global.gc();
    appendFileSync(file, `${JSON.stringify({ at: Date.now(), ...process.memoryUsage() })}\n`);
  }, seconds * 1000).unref();
}
