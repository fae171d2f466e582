import { Router } from 'express';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
export const products = Router();

products.get('/', async (_req, res) => {
  res.json((await pool.query('SELECT id, name, price FROM products')).rows);
});
products.get('/:productId', async (req, res) => {
  const { rows } = await pool.query('SELECT id, name, price FROM products WHERE id = $1', [req.params.productId]);
  if (rows.length === 0) res.status(404).end(); else res.json(rows[0]);
});
// added after the contract was published: consumers do not know it exists
products.get('/:productId/stock', async (req, res) => {
  const { rows } = await pool.query('SELECT quantity FROM stock WHERE product_id = $1', [req.params.productId]);
  res.json({ quantity: rows[0]?.quantity ?? 0 });
});
