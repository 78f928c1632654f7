// A minimal Report Hub webhook receiver in Node.js, with no dependencies.
// Usage: WEBHOOK_SECRET=whsec_... node receiver.mjs  (listens on PORT or 9000)
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const secret = Buffer.from(
  process.env.WEBHOOK_SECRET.replace(/^whsec_/, ''),
  'base64',
);
const toleranceSeconds = 5 * 60;
const seen = new Set(); // use a database in production

function verify(headers, body) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = (headers['webhook-signature'] ?? '').split(' ');
  const age = Math.abs(Date.now() / 1000 - Number(timestamp));
  if (!id || !(age <= toleranceSeconds)) return false;

  const expected = createHmac('sha256', secret)
    .update(`${id}.${timestamp}.`)
    .update(body)
    .digest();
  return signatures.some((entry) => {
    const [version, value = ''] = entry.split(',');
    const given = Buffer.from(value, 'base64');
    return (
      version === 'v1' &&
      given.length === expected.length &&
      timingSafeEqual(given, expected)
    );
  });
}

createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks); // verify the raw bytes, not re-encoded JSON
    if (!verify(req.headers, body)) {
      res.writeHead(401).end();
      return;
    }
    const id = req.headers['webhook-id'];
    if (!seen.has(id)) {
      seen.add(id);
      const event = JSON.parse(body);
      for (const r of event.reports) {
        console.log(
          req.headers['x-reporthub-event'],
          r.projectName,
          r.projectVersion,
          `${r.reportType} ${r.reportVersion}`,
          r.securityRating,
        );
      }
    }
    res.writeHead(204).end();
  });
}).listen(Number(process.env.PORT ?? 9000), '127.0.0.1');
