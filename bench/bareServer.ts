// Baseline for the bench: a bare Express JSON endpoint doing no work, same envelope.
import express from 'express';
import type { AddressInfo } from 'node:net';

const app = express();
app.use(express.json({ limit: '16kb' }));
app.post('/bare', (req, res) => {
  res.json({ success: true, message: 'ok', data: req.body as unknown });
});
const server = app.listen(0, () => {
  process.stdout.write(`bare listening on ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
