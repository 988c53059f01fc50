// Starting and stopping a real techpayd for the Node.js test programs
// (tests/openapi, tests/web): a free loopback port, a fresh database in a
// temporary directory, and a stop by the child's own PID. Node built-ins
// only, so any of them can import it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Sends METHOD TARGET with HEADERS and, when given, BODY (a Buffer or a
// string, sent with its Content-Length).
export function request(port, method, target, headers = {}, body = undefined) {
  const payload = body === undefined || body === null ? null : Buffer.from(body);
  return new Promise((resolve, reject) => {
    const all = { Connection: 'close', ...headers };
    if (payload) all['Content-Length'] = String(payload.length);
    const req = http.request({ host: '127.0.0.1', port, method, path: target, agent: false,
                               headers: all }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, raw: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(10000, () => req.destroy(new Error(`timeout: ${method} ${target}`)));
    req.on('error', reject);
    req.end(payload || undefined);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts BINARY on a free loopback port with a fresh database; ENV is
// added to this process's environment. Resolves once /healthz answers.
export async function startServer(binary, { env = {}, prefix = 'techpay-test-' } = {}) {
  if (!fs.existsSync(binary)) throw new Error(`${binary}: not found (build it first, or pass its path)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const port = await freePort();
  const childEnv = { ...process.env, ...env };
  if (!env.TECHPAY_ADMIN_TOKEN_FILE) delete childEnv.TECHPAY_ADMIN_TOKEN_FILE;
  const child = spawn(binary, ['--bind', '127.0.0.1', '--port', String(port), '--db', path.join(dir, 'techpay.db'),
                               '--threads', '2'], { stdio: ['ignore', 'ignore', 'pipe'], env: childEnv });
  let stderr = '';
  let exited = null;
  child.stderr.on('data', (d) => { stderr += d; });
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  for (let i = 0; i < 150; i++) {
    if (exited) throw new Error(`techpayd exited at start (${JSON.stringify(exited)}): ${stderr}`);
    try {
      const r = await request(port, 'GET', '/healthz');
      if (r.status === 200) return { child, port, dir, stderr: () => stderr, exited: () => exited };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`techpayd did not answer on port ${port} within 15 s: ${stderr}`);
}

// Stops the server started by startServer (SIGTERM to its PID, SIGKILL
// after 10 s) and removes its directory; returns an error text or null.
export async function stopServer(s) {
  if (!s.exited()) {
    s.child.kill('SIGTERM');
    for (let i = 0; i < 100 && !s.exited(); i++) await sleep(100);
    if (!s.exited()) s.child.kill('SIGKILL');
  }
  fs.rmSync(s.dir, { recursive: true, force: true });
  const e = s.exited();
  return e && e.code === 0 ? null : `techpayd did not stop cleanly on SIGTERM (${JSON.stringify(e)}): ${s.stderr()}`;
}
