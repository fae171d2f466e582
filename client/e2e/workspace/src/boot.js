// A CommonJS entry the e2e suite inserts JavaScript snippets into.
const http = require('node:http');

const server = http.createServer((_req, res) => res.end('ok'));
server.listen(process.env.PORT);
