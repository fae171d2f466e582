import express from 'express';
import jwt from 'jsonwebtoken';

const app = express();
const tokenSecret = 'keyboard-cat-in-production';

app.get('/orders', (_req, res) => {
  res.json({ orders: [], token: jwt.sign({ scope: 'orders' }, tokenSecret) });
});

app.listen(3000);
