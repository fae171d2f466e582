'use strict';
/**
 * Preloaded in a server by bench/alloc-profile.js: the first SIGUSR2 starts the inspector's
 * sampling heap profiler (objects collected since included) and counts GCs; the second writes the
 * profile to $HEAP_OUT and the GC counts to $HEAP_OUT.gc.
 */
const inspector = require('node:inspector');
const fs = require('node:fs');
const s = new inspector.Session(); s.connect();
let on = false;
const { PerformanceObserver, constants } = require('node:perf_hooks');
const gc = {}; let watching = false;
new PerformanceObserver((list) => { if (!watching) return; for (const e of list.getEntries()) { const k = ({ [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb' })[e.detail?.kind ?? e.kind] || String(e.detail?.kind); const g = (gc[k] ??= { n: 0, ms: 0 }); g.n++; g.ms += e.duration; } }).observe({ entryTypes: ['gc'] });
process.on('SIGUSR2', () => {
  if (!on) {
    on = true; watching = true;
    if (process.env.NOSAMPLE) { fs.writeFileSync(process.env.HEAP_OUT + '.started', ''); return; } s.post('HeapProfiler.enable', () => s.post('HeapProfiler.startSampling', { samplingInterval: Number(process.env.HEAP_INTERVAL || 4096), includeObjectsCollectedByMajorGC: !process.env.LIVE, includeObjectsCollectedByMinorGC: !process.env.LIVE && !process.env.PROMOTED }, (e) => { if (e) console.error(e); fs.writeFileSync(process.env.HEAP_OUT + '.started', ''); }));
  } else {
    if (process.env.NOSAMPLE) { watching = false; fs.writeFileSync(process.env.HEAP_OUT + '.gc', JSON.stringify(gc)); fs.writeFileSync(process.env.HEAP_OUT, JSON.stringify({ head: { callFrame: {}, selfSize: 0, children: [] } })); return; } s.post('HeapProfiler.stopSampling', (e, r) => { watching = false; fs.writeFileSync(process.env.HEAP_OUT + '.gc', JSON.stringify(gc)); fs.writeFileSync(process.env.HEAP_OUT, JSON.stringify(r.profile)); });
  }
});
