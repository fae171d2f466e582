// The catalogue service: its routes are described by ../openapi.yaml, almost.
import express from 'express';
import { products } from './products';

const app = express();
app.use(express.json());
app.use('/v1/products', products);
// a probe that cannot fail: it answers OK while the database is down
app.get('/healthz', (_req, res) => res.status(200).send('OK'));

const server = app.listen(Number(process.env.PORT ?? 8080));
process.on('SIGTERM', () => server.close());
