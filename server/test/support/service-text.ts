/** A generated server module for tests of the edit path: many statements, findings of many rules (like bench/latency.js's bigTs). */
export function serviceText(handlers: number): string {
  const out = ["import express from 'express';", "import fs from 'node:fs';", 'const app = express();', "const BASE = 'http://localhost:4000';"];
  for (let i = 0; i < handlers; i++) {
    out.push(
      `export async function handler${i}(req: { params: Record<string, string> }, res: { json(v: unknown): void }) {`,
      `  const url = process.env.SERVICE_${i % 7}_URL ?? 'http://localhost:${3000 + (i % 7)}';`,
      `  const result = await fetch(\`\${url}/items/\${req.params.id}\`).then((r) => r.json());`,
      `  if (process.env.NODE_ENV === 'production') { console.log('missing', ${i}); }`,
      i % 5 === 0 ? `  fs.writeFileSync('/tmp/state-${i}.json', JSON.stringify(result));` : `  await fetch(BASE + '/audit');`,
      '  res.json({ result });',
      '}',
      `app.get('/items${i}/:id', handler${i} as never);`,
    );
  }
  out.push("const password = 'hunter2hunter2';", 'app.listen(3000);', '');
  return out.join('\n');
}
