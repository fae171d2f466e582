import express from 'express';

const admin = express();

admin.listen(9090);
