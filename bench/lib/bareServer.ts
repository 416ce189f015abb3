// Baseline for the bench: bare Express JSON endpoints doing no work, same envelope.
// POST /bare echoes the body (as join is posted); GET /bare echoes the query (as status is read).
import express from 'express';
import type { AddressInfo } from 'node:net';

const app = express();
app.use(express.json({ limit: '16kb' }));
app.post('/bare', (req, res) => {
  res.json({ success: true, message: 'ok', data: req.body as unknown });
});
app.get('/bare', (req, res) => {
  res.json({ success: true, message: 'ok', data: req.query });
});
const server = app.listen(0, () => {
  process.stdout.write(`bare listening on ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
