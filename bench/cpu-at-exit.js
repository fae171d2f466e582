'use strict';
/**
 * Preloaded (`node --require`) into a CLI the bench times as a whole process: at exit, writes the
 * process's CPU (user + system, every thread) and peak RSS to the file named by CPU_AT_EXIT.
 */
const fs = require('node:fs');

const out = process.env.CPU_AT_EXIT;
if (out) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(out, JSON.stringify({ cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssMb: Math.round(usage.maxRSS / 1024) }));
  });
}
