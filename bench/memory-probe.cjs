// Loaded into the server with `node --expose-gc --require bench/memory-probe.cjs` by `npm run soak -- --probe`.
// Every HOOKLINE_MEMORY_PROBE_INTERVAL seconds it runs a full GC and appends process.memoryUsage()
// as one JSON line to HOOKLINE_MEMORY_PROBE_FILE, with the heaps of the live isolated-vm isolates,
// so the soak can tell the JS heap (a leak in our objects) from memory outside it (the sandbox's
// isolates, PGlite's WebAssembly heap, the allocator).
const { appendFileSync } = require('node:fs');

const file = process.env.HOOKLINE_MEMORY_PROBE_FILE;
const seconds = Number(process.env.HOOKLINE_MEMORY_PROBE_INTERVAL || 10);
const isolates = new Set();

// Counts the isolates the server creates. isolated-vm's module object is frozen, so the probe puts
// an object inheriting from it, with a counting Isolate, in the require cache before the server loads it.
const ivmPath = require.resolve('isolated-vm');
const ivm = require(ivmPath);
const tracked = Object.create(ivm);
// defineProperty, not assignment: Isolate is inherited from a frozen object, so `=` would be ignored.
Object.defineProperty(tracked, 'Isolate', {
  value: class TrackedIsolate extends ivm.Isolate {
    constructor(...args) {
      super(...args);
      isolates.add(this);
    }
  },
});
require.cache[ivmPath].exports = tracked;

function isolateHeaps() {
  let total = 0;
  let used = 0;
  let live = 0;
  for (const isolate of isolates) {
    if (isolate.isDisposed) {
      isolates.delete(isolate);
      continue;
    }
    try {
      const stats = isolate.getHeapStatisticsSync();
      total += stats.total_heap_size + stats.externally_allocated_size;
      used += stats.used_heap_size;
      live++;
    } catch {
      // disposed between the check and the call
    }
  }
  return { isolates: live, isolateHeapTotal: total, isolateHeapUsed: used };
}

if (file && typeof global.gc === 'function') {
  setInterval(() => {
    global.gc();
    appendFileSync(file, `${JSON.stringify({ at: Date.now(), ...process.memoryUsage(), ...isolateHeaps() })}\n`);
  }, seconds * 1000).unref();
}
