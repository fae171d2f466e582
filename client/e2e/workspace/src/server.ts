import express from 'express';

const app = express();
const sessionSecret = 'keyboard-cat-in-production';

app.get('/orders', (_req, res) => {
  res.json({ orders: [], signed: sessionSecret.length > 0 });
});

app.listen(3000);
