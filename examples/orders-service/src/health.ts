// A clean module: the health endpoint an orchestrator probes (not wired into server.ts
// yet). Readiness depends on the database answering, not on the process being alive.
import type { Express } from 'express';
import type { Pool } from 'pg';

export function addHealthRoutes(app: Express, pool: Pool): void {
  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  app.get('/ready', async (_req, res) => {
    try {
      await pool.query('select 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });
}
