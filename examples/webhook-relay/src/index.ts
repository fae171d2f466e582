// The relay: accepts webhooks, forwards them to RELAY_TARGET_URL and keeps no local state.
import express from 'express';
import pino from 'pino';

const logger = pino();
const app = express();
app.use(express.json({ limit: '1mb' }));

const target = process.env.RELAY_TARGET_URL;
// declared nowhere the deploy defines config: the relay fails signature checks in production
const signingSecret = process.env.WEBHOOK_SIGNING_SECRET;

app.post('/webhooks/:provider', async (req, res) => {
  if (!signingSecret || req.get('x-signature') === undefined) return res.status(401).end();
  const response = await fetch(`${target}/${req.params.provider}`, { method: 'POST', body: JSON.stringify(req.body), headers: { 'content-type': 'application/json' } });
  logger.info({ provider: req.params.provider, status: response.status }, 'relayed');
  res.status(response.ok ? 202 : 502).end();
});

app.get('/deliveries/:id', (req, res) => res.json({ id: req.params.id, status: 'unknown' }));

const server = app.listen(Number(process.env.PORT ?? 3000), () => logger.info('webhook-relay listening'));

process.on('SIGTERM', () => server.close(() => process.exit(0)));
