// Loaded into the gateway under test with `node --import` (bench only). Plain JavaScript, so that
// it does not load Node's type stripper into a gateway that loads its own modules from the
// compile cache. On SIGUSR2 it writes one JSON line of process.memoryUsage() to stderr, so the
// memory run can tell the V8 heap (ours: caches, key objects) from RSS that V8 or malloc keep
// around. It forces no GC: a full GC compacts into fresh pages and itself raises RSS, which would
// distort what it measures.
process.on('SIGUSR2', () => {
  process.stderr.write(`memory-probe ${JSON.stringify(process.memoryUsage())}\n`);
});
