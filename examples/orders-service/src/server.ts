// The orders HTTP service. It works on a laptop, but it is not ready for a platform that
// scales, restarts and configures processes: factorlint shows why, factor by factor.
import express from 'express';
import session from 'express-session';
import cors from 'cors';
import * as fs from 'node:fs';
import winston from 'winston';
import { Pool } from 'pg';
import { priceOrder, type OrderLine } from './pricing';
import { loadSettings } from './settings';

const settings = loadSettings();

// III Config: credentials and backing-service URLs written into the code.
const stripeApiKey = 'sk_live_51HdQx2Lk7vTQpZr9mWc3YbN8aF4eJ6uK';
const sessionSecret = 'orders-session-secret-2024';
const pool = new Pool({
  connectionString: 'postgres://orders:s3cr3t-Passw0rd@db.internal:5432/orders',
  // XV Security: certificate checks switched off "temporarily".
  ssl: { rejectUnauthorized: false },
});

// X Dev/prod parity: a different backing service per environment.
const inventoryUrl = process.env.NODE_ENV === 'production' ? 'http://inventory.internal:8081' : 'http://localhost:8081';

// XI Logs: a log file inside the container instead of an event stream on stdout.
const logger = winston.createLogger({
  transports: [new winston.transports.File({ filename: 'logs/orders.log' })],
});

const app = express();
app.use(express.json());
// XV Security: any origin may call the API.
app.use(cors());

// VI Processes: sessions kept in the memory of one process (the default MemoryStore).
app.use(session({ secret: sessionSecret, resave: false, saveUninitialized: false }));

app.post('/orders', async (req, res) => {
  const lines = req.body.lines as OrderLine[];
  const reserved = await fetch(`${inventoryUrl}/reservations`, { method: 'POST', body: JSON.stringify(lines) });
  if (!reserved.ok) return res.status(409).json({ error: 'out of stock' });
  const total = priceOrder(lines, settings.taxRate);
  const { rows } = await pool.query('insert into orders(total) values ($1) returning id', [total]);
  // VI Processes: request data written to the container's local disk.
  fs.appendFileSync('data/receipts.csv', `${rows[0].id},${total}\n`);
  logger.info('order created', { id: rows[0].id, total });
  return res.status(201).json({ id: rows[0].id, total, charged: Boolean(stripeApiKey) });
});

app.get('/orders/:id', async (req, res) => {
  const { rows } = await pool.query('select * from orders where id = $1', [req.params.id]);
  if (rows.length === 0) return res.sendStatus(404);
  return res.json(rows[0]);
});

// VII Port binding: a fixed port; IX Disposability: no SIGTERM handler anywhere.
app.listen(8080, () => {
  console.log('orders-service listening on 8080');
});
