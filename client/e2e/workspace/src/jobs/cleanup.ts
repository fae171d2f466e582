import express from 'express';

const jobs = express();

jobs.listen(7070);
