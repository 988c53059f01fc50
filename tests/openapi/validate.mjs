#!/usr/bin/env node
// Validates real techpayd answers against docs/openapi.json.
//
// Usage: node tests/openapi/validate.mjs [TECHPAYD] [OPENAPI_JSON]
//   TECHPAYD      the server binary (default: build-test/techpayd)
//   OPENAPI_JSON  the document (default: docs/openapi.json)
//
// Starts TECHPAYD on a free loopback port with a fresh database in a
// temporary directory, sends the requests listed below (every operation,
// typical parameters, CSV, gzip, 304 and many error cases) and checks each
// answer against the document:
//   - the status is the one the case expects, and the document lists it for
//     that path and method;
//   - the body's media type is documented for that status, and the body
//     validates against the documented JSON Schema (JSON Schema 2020-12);
//   - every required response header is present and every documented header
//     matches its schema;
//   - a problem's "status" equals the HTTP status and its "instance" the path;
//   - for successful cases, every query parameter sent is documented for the
//     operation and its value matches the parameter's schema, and every
//     required parameter is present.
// Finally every documented operation must have been answered 200 at least
// once. Exits 0 when everything matches, 1 otherwise.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import zlib from 'node:zlib';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const binary = path.resolve(process.argv[2] || path.join(root, 'build-test', 'techpayd'));
const docPath = path.resolve(process.argv[3] || path.join(root, 'docs', 'openapi.json'));
const DOC_ID = 'urn:techpay:openapi';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const doc = JSON.parse(fs.readFileSync(docPath, 'utf8'));

/* ---------------------------------------------------------------- schemas */

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
// The document itself is registered as one schema, so that a fragment of it
// compiles with every "#/components/schemas/..." reference resolved in place.
for (const keyword of ['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'components',
                       'jsonSchemaDialect', 'webhooks', 'externalDocs']) {
  ajv.addKeyword({ keyword });
}
ajv.addSchema(doc, DOC_ID);

const compiled = new Map();
function validatorAt(pointer) {
  if (!compiled.has(pointer)) {
    const v = ajv.getSchema(`${DOC_ID}#${pointer}`);
    if (!v) throw new Error(`no schema at ${pointer}`);
    compiled.set(pointer, v);
  }
  return compiled.get(pointer);
}

const esc = (s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');

function at(pointer) {
  let node = doc;
  for (const part of pointer.split('/').slice(1)) {
    node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

// Follows an OpenAPI $ref (responses, parameters, headers) to its target.
function deref(node, pointer) {
  let seen = 0;
  while (node && typeof node.$ref === 'string' && seen++ < 10) {
    if (!node.$ref.startsWith('#/')) throw new Error(`external $ref ${node.$ref}`);
    pointer = node.$ref.slice(1);
    node = at(pointer);
  }
  return { node, pointer };
}

function errorsText(v) {
  return (v.errors || []).slice(0, 6)
    .map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`)
    .join('; ');
}

/* ----------------------------------------------------------------- routes */

const operations = [];
for (const [template, item] of Object.entries(doc.paths)) {
  const re = new RegExp('^' + template.split('/').map((seg) => (/^\{.+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/') + '$');
  for (const method of METHODS) {
    if (!item[method]) continue;
    operations.push({ template, method, re, op: item[method], pathParams: item.parameters || [],
                      pointer: `/paths/${esc(template)}/${method}`, ok: 0 });
  }
}

function findOperation(method, pathname) {
  // Literal paths win over templated ones, as in the server's route table.
  const matches = operations.filter((o) => o.method === method && o.re.test(pathname));
  matches.sort((a, b) => (a.template.includes('{') ? 1 : 0) - (b.template.includes('{') ? 1 : 0));
  return matches[0];
}

function parametersOf(o) {
  const out = new Map();
  for (const [list, base] of [[o.pathParams, `/paths/${esc(o.template)}/parameters`],
                              [o.op.parameters || [], `${o.pointer}/parameters`]]) {
    list.forEach((p, i) => {
      const { node, pointer } = deref(p, `${base}/${i}`);
      out.set(`${node.in}:${node.name}`, { param: node, pointer });
    });
  }
  return out;
}

function coerce(value, schema) {
  const types = [].concat(schema.type || []);
  if (types.includes('integer') && /^[0-9]+$/.test(value)) return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

// The query of a successful request must use documented parameters only,
// with values their schemas accept.
function checkRequestParameters(o, url, problems) {
  const params = parametersOf(o);
  const query = new URLSearchParams(url.search);
  const names = new Set(query.keys());
  for (const name of names) {
    const entry = params.get(`query:${name}`);
    if (!entry) {
      problems.push(`query parameter '${name}' is not documented for ${o.method.toUpperCase()} ${o.template}`);
      continue;
    }
    const schema = entry.param.schema;
    const values = query.getAll(name);
    let value;
    if (schema.type === 'array') {
      value = values.map((v) => coerce(v, schema.items || {}));
    } else {
      if (values.length > 1) problems.push(`query parameter '${name}' given ${values.length} times but is not an array`);
      value = coerce(values[0], schema);
    }
    const v = validatorAt(`${entry.pointer}/schema`);
    if (!v(value)) problems.push(`query parameter ${name}=${JSON.stringify(value)} does not match its schema: ${errorsText(v)}`);
  }
  for (const [key, { param }] of params) {
    if (key.startsWith('query:') && param.required && !names.has(param.name)) {
      problems.push(`required query parameter '${param.name}' missing from the request`);
    }
  }
  const segments = url.pathname.split('/');
  o.template.split('/').forEach((seg, i) => {
    const m = /^\{(.+)\}$/.exec(seg);
    if (!m) return;
    const entry = params.get(`path:${m[1]}`);
    if (!entry) {
      problems.push(`path parameter '${m[1]}' is not documented`);
      return;
    }
    const raw = decodeURIComponent(segments[i]);
    const v = validatorAt(`${entry.pointer}/schema`);
    if (!v(coerce(raw, entry.param.schema))) problems.push(`path parameter ${m[1]}=${raw} does not match its schema: ${errorsText(v)}`);
  });
}

/* ------------------------------------------------------------------- HTTP */

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function request(port, method, target, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, agent: false,
                               headers: { Connection: 'close', ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, raw: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(10000, () => req.destroy(new Error(`timeout: ${method} ${target}`)));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startServer() {
  if (!fs.existsSync(binary)) throw new Error(`${binary}: not found (build it first, or pass its path)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'techpay-openapi-'));
  const port = await freePort();
  const child = spawn(binary, ['--bind', '127.0.0.1', '--port', String(port), '--db', path.join(dir, 'techpay.db'),
                               '--threads', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
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

async function stopServer(s) {
  if (!s.exited()) {
    s.child.kill('SIGTERM');
    for (let i = 0; i < 100 && !s.exited(); i++) await sleep(100);
    if (!s.exited()) s.child.kill('SIGKILL');
  }
  fs.rmSync(s.dir, { recursive: true, force: true });
  const e = s.exited();
  return e && e.code === 0 ? null : `techpayd did not stop cleanly on SIGTERM (${JSON.stringify(e)}): ${s.stderr()}`;
}

/* ------------------------------------------------------------- validation */

function mediaType(contentType) {
  return (contentType || '').split(';')[0].trim().toLowerCase();
}

function validateAnswer(c, res) {
  const problems = [];
  const url = new URL(c.target, 'http://localhost');
  // HEAD is answered as GET is, without the body.
  const o = findOperation(c.method === 'HEAD' ? 'get' : c.method.toLowerCase(), url.pathname);
  if (!o) return [`no documented operation for ${c.method} ${url.pathname}`];
  if (c.status !== undefined && res.status !== c.status) {
    problems.push(`status ${res.status}, expected ${c.status}: ${res.raw.toString('utf8').slice(0, 300)}`);
  }
  if (res.status >= 200 && res.status < 300) checkRequestParameters(o, url, problems);

  const documented = o.op.responses[String(res.status)];
  if (!documented) {
    problems.push(`status ${res.status} is not documented for ${c.method} ${o.template}`);
    return problems;
  }
  const { node: response, pointer: responsePointer } = deref(documented, `${o.pointer}/responses/${res.status}`);

  for (const [name, h] of Object.entries(response.headers || {})) {
    const { node: header, pointer } = deref(h, `${responsePointer}/headers/${esc(name)}`);
    const value = res.headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) problems.push(`required header ${name} missing`);
      continue;
    }
    if (header.schema) {
      const v = validatorAt(`${pointer}/schema`);
      const text = Array.isArray(value) ? value.join(', ') : value;
      if (!v(text)) problems.push(`header ${name}: '${text}' does not match its schema: ${errorsText(v)}`);
    }
  }

  let body = res.raw;
  if (res.headers['content-encoding'] === 'gzip') {
    try {
      body = zlib.gunzipSync(body);
    } catch (e) {
      problems.push(`Content-Encoding: gzip, but the body does not gunzip: ${e.message}`);
      return problems;
    }
  }
  if (c.method === 'HEAD' || res.status === 304 || res.status === 204) {
    if (body.length) problems.push(`a ${res.status} answer to ${c.method} has a body`);
    return problems;
  }
  const type = mediaType(res.headers['content-type']);
  const content = response.content || {};
  if (!content[type]) {
    problems.push(`media type '${type}' is not documented for ${res.status} (documented: ${Object.keys(content).join(', ') || 'none'})`);
    return problems;
  }
  if (c.type && c.type !== type) problems.push(`media type '${type}', expected '${c.type}'`);
  if (!/charset=utf-8/i.test(res.headers['content-type'] || '')) problems.push(`Content-Type lacks charset=utf-8: ${res.headers['content-type']}`);
  const text = body.toString('utf8');
  let value;
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      value = JSON.parse(text);
    } catch (e) {
      problems.push(`body is not JSON: ${e.message}`);
      return problems;
    }
  } else {
    value = text;
    if (type === 'text/csv' && !/^[^\r\n]*\r\n([^\n]*\r\n)*$/.test(text) && !text.includes('"')) {
      problems.push('CSV body does not consist of CRLF-terminated lines');
    }
  }
  const v = validatorAt(`${responsePointer}/content/${esc(type)}/schema`);
  if (!v(value)) problems.push(`body does not match the ${res.status} ${type} schema: ${errorsText(v)}`);
  if (type === 'application/problem+json' && value && typeof value === 'object') {
    if (value.status !== res.status) problems.push(`problem status ${value.status} differs from HTTP status ${res.status}`);
    if (value.instance !== undefined && value.instance !== url.pathname) problems.push(`problem instance '${value.instance}' is not the path '${url.pathname}'`);
  }
  if (c.check) {
    const msg = c.check(value, res);
    if (msg) problems.push(msg);
  }
  if (!problems.length && res.status === 200) o.ok++;
  return problems;
}

/* ------------------------------------------------------------------ cases */

const JSON_T = 'application/json';
const CSV_T = 'text/csv';
const PROBLEM_T = 'application/problem+json';
const ok = (target, extra = {}) => ({ method: 'GET', target, status: 200, type: JSON_T, ...extra });
const csv = (target, extra = {}) => ({ method: 'GET', target, status: 200, type: CSV_T, ...extra });
const fail = (status, target, problemType, extra = {}) => ({
  method: 'GET', target, status, type: PROBLEM_T,
  check: (b) => (b && b.type === `/problems/${problemType}` ? null : `problem type ${b && b.type}, expected /problems/${problemType}`),
  ...extra,
});
const gz = { headers: { 'Accept-Encoding': 'gzip' } };
const tooMany = '/roles?' + Array.from({ length: 33 }, (_, i) => `p${i}=1`).join('&');
const longSlug = 'a'.repeat(600);

const cases = [
  ok('/'),
  ok('/?format=json'),
  ok('/healthz'),
  ok('/healthz', { headers: { 'X-Request-Id': 'client-42.a' },
                   check: (b, res) => (res.headers['x-request-id'] === 'client-42.a' ? null : 'X-Request-Id not echoed') }),
  ok('/healthz', { headers: { 'X-Request-Id': 'not valid!' },
                   check: (b, res) => (res.headers['x-request-id'] !== 'not valid!' ? null : 'an invalid X-Request-Id was echoed') }),
  ok('/readyz'),
  ok('/readyz?format=json'),
  { method: 'GET', target: '/metrics', status: 200, type: 'text/plain' },
  { method: 'GET', target: '/metrics', status: 200, type: 'text/plain', headers: { 'Accept-Encoding': 'gzip' } },
  fail(400, '/metrics?format=csv', 'invalid-parameter'),
  fail(400, '/readyz?verbose=1', 'unknown-parameter'),
  ok('/openapi.json'),
  ok('/openapi.json', gz),
  ok('/openapi.json?format=json', {
    check: (b) => (isDeepStrictEqual(b, doc) ? null : `the server serves another document than ${docPath} (rebuild techpayd?)`),
  }),

  ok('/roles'),
  ok('/roles?sort=pay&limit=3'),
  ok('/roles?sort=pay,title&order=asc'),
  ok('/roles?sort=total_pay'),
  ok('/roles?skill=python&min_pay=140000&fields=slug,pay,rank'),
  ok('/roles?skill=python,tensorflow'),
  ok('/roles?skill=python&skill=tensorflow&has_pay=true'),
  ok('/roles?q=security&fields=slug,title'),
  ok('/roles?q=machine%20learning&sort=relevance,pay'),
  ok('/roles?industry=finance&category=data'),
  ok('/roles?has_pay=false&limit=500&offset=1'),
  ok('/roles?min_pay=1&max_pay=100000000&fields=total_pay'),
  ok('/roles?category=nothing-matches'),
  ok('/roles', gz),
  csv('/roles?format=csv'),
  csv('/roles?limit=2', { headers: { Accept: 'text/csv' } }),
  csv('/roles?format=csv&limit=2', gz),
  ok('/roles?format=json', { headers: { Accept: 'text/csv' } }),
  fail(400, '/roles?bogus=1', 'unknown-parameter'),
  fail(400, '/roles?limit=0', 'invalid-parameter'),
  fail(400, '/roles?limit=501', 'invalid-parameter'),
  fail(400, '/roles?limit=1&limit=2', 'duplicate-parameter'),
  fail(400, '/roles?sort=-pay', 'invalid-parameter'),
  fail(400, '/roles?sort=pay:desc', 'invalid-parameter'),
  fail(400, '/roles?sort=relevance', 'invalid-parameter'),
  fail(400, '/roles?fields=salary', 'invalid-parameter'),
  fail(400, '/roles?skill=no-such-skill', 'invalid-parameter'),
  fail(400, '/roles?industry=no-such-industry', 'invalid-parameter'),
  fail(400, '/roles?min_pay=200000&max_pay=100000', 'invalid-parameter'),
  fail(400, '/roles?has_pay=yes', 'invalid-parameter'),
  fail(400, '/roles?cursor=zzz', 'invalid-parameter'),
  fail(400, '/roles?cursor=abc&offset=1', 'invalid-parameter'),
  fail(400, '/roles?format=xml', 'invalid-parameter'),
  fail(400, '/roles?format=csv&format=json', 'duplicate-parameter'),
  fail(400, tooMany, 'too-many-parameters'),
  fail(406, '/roles', 'not-acceptable', { headers: { Accept: 'image/png' } }),

  ok('/roles/machine-learning-engineer'),
  ok('/roles/cloud-architect'),
  ok('/roles/machine-learning-engineer', gz),
  fail(404, '/roles/no-such-role', 'role-not-found'),
  fail(404, '/roles/NOPE', 'role-not-found'),
  fail(414, `/roles/${longSlug}`, 'uri-too-long'),
  fail(400, '/roles/cloud-architect?x=1', 'unknown-parameter'),
  fail(400, '/roles/cloud-architect?format=csv', 'invalid-parameter'),
  fail(406, '/roles/cloud-architect', 'not-acceptable', { headers: { Accept: 'text/csv' } }),

  ok('/skills'),
  ok('/skills?sort=pay'),
  ok('/skills?sort=name&limit=5&offset=5'),
  ok('/skills?offset=1000'),
  csv('/skills?format=csv'),
  fail(400, '/skills?sort=popularity', 'invalid-parameter'),
  fail(400, '/skills?page=2', 'unknown-parameter'),

  ok('/skills/python'),
  ok('/skills/linux'),
  ok('/skills/aws-cloud'),
  fail(404, '/skills/no-such-skill', 'skill-not-found'),
  fail(414, `/skills/${longSlug}`, 'uri-too-long'),

  ok('/industries'),
  csv('/industries?format=csv'),
  fail(400, '/industries?limit=1', 'unknown-parameter'),

  ok('/factors'),
  ok('/factors', gz),
  csv('/factors', { headers: { Accept: 'text/csv;q=0.9, application/json;q=0.1' } }),

  ok('/salaries'),
  ok('/salaries?role=machine-learning-engineer'),
  ok('/salaries?kind=total'),
  ok('/salaries?statistic=average&min=130000&max=150000&order=asc'),
  ok('/salaries?sort=amount&limit=2&offset=2'),
  csv('/salaries?format=csv'),
  fail(404, '/salaries?role=no-such-role', 'role-not-found'),
  fail(400, '/salaries?role=', 'invalid-parameter'),
  fail(400, '/salaries?min=200000&max=100000', 'invalid-parameter'),
  fail(400, '/salaries?kind=bonus', 'invalid-parameter'),

  ok('/sources'),
  csv('/sources?format=csv'),
  ok('/sources/1'),
  ok('/sources/2'),
  ok('/sources/2', gz),
  fail(404, '/sources/0', 'not-found'),
  fail(404, '/sources/01', 'not-found'),
  fail(404, '/sources/abc', 'not-found'),
  fail(404, '/sources/99', 'source-not-found'),
  fail(414, `/sources/${'9'.repeat(600)}`, 'uri-too-long'),

  ok('/data-notes'),
  ok('/data-notes?source=2'),
  ok('/data-notes?defect=ambiguous_figure'),
  ok('/data-notes?source=999'),
  csv('/data-notes?format=csv'),
  fail(400, '/data-notes?source=0', 'invalid-parameter'),
  fail(400, '/data-notes?defect=typo', 'invalid-parameter'),

  ok('/compare?roles=machine-learning-engineer,cloud-architect'),
  ok('/compare?roles=machine-learning-engineer,machine-learning-architect,ai-research-scientist,devops-engineer'),
  fail(400, '/compare', 'invalid-parameter'),
  fail(400, '/compare?roles=cloud-architect', 'invalid-parameter'),
  fail(400, '/compare?roles=cloud-architect,cloud-architect', 'invalid-parameter'),
  fail(400, '/compare?roles=a,b,c,d,e,f,g,h,i,j,k', 'invalid-parameter'),
  fail(400, '/compare?roles=a,,b', 'invalid-parameter'),
  fail(404, '/compare?roles=cloud-architect,no-such-role', 'role-not-found'),
  fail(400, '/compare?roles=a,b&format=csv', 'invalid-parameter'),

  ok('/transitions?from=devops-engineer&to=platform-engineer'),
  ok('/transitions?from=data-science-manager&to=machine-learning-engineer'),
  fail(400, '/transitions?from=devops-engineer', 'invalid-parameter'),
  fail(400, '/transitions?from=devops-engineer&to=devops-engineer', 'invalid-parameter'),
  fail(404, '/transitions?from=no-such-role&to=devops-engineer', 'role-not-found'),
  fail(400, '/transitions?from=a&to=b&via=c', 'unknown-parameter'),

  fail(400, '/healthz?format=csv', 'invalid-parameter'),
  fail(400, '/openapi.json?download=1', 'unknown-parameter'),
  fail(406, '/openapi.json', 'not-acceptable', { headers: { Accept: 'text/html' } }),
  fail(406, '/', 'not-acceptable', { headers: { Accept: 'application/xml' } }),
];

/* -------------------------------------------------------------------- run */

let passed = 0;
let failed = 0;

function report(c, problems) {
  const label = `${c.method} ${c.target.length > 100 ? c.target.slice(0, 100) + '...' : c.target}` +
                (c.headers ? ` [${Object.entries(c.headers).map(([k, v]) => `${k}: ${v}`).join(', ')}]` : '');
  if (problems.length) {
    failed++;
    console.log(`FAIL ${label}`);
    for (const p of problems) console.log(`     ${p}`);
  } else {
    passed++;
    console.log(`ok   ${label}`);
  }
}

async function runCase(port, c) {
  let res;
  try {
    res = await request(port, c.method, c.target, c.headers);
  } catch (e) {
    report(c, [`request failed: ${e.message}`]);
    return null;
  }
  let problems;
  try {
    problems = validateAnswer(c, res);
  } catch (e) {
    problems = [`the document cannot be used to check this answer: ${e.message}`];
  }
  report(c, problems);
  return res;
}

// Every operation that documents a 304 answers it to its own entity tag.
async function conditionalCases(port) {
  for (const o of operations) {
    if (!o.op.responses['304']) continue;
    const target = exampleTarget(o);
    const first = await request(port, 'GET', target);
    const etag = first.headers.etag;
    if (!etag) {
      report({ method: 'GET', target }, ['no ETag to revalidate with']);
      continue;
    }
    await runCase(port, { method: 'GET', target, status: 304, headers: { 'If-None-Match': etag } });
  }
}

// What every operation shares: HEAD, 406 for an unacceptable Accept, 400
// for an undocumented parameter and for an unknown format.
async function everyOperationCases(port) {
  for (const o of operations) {
    const target = exampleTarget(o);
    const sep = target.includes('?') ? '&' : '?';
    await runCase(port, { method: 'HEAD', target, status: 200 });
    await runCase(port, fail(406, target, 'not-acceptable', { headers: { Accept: 'image/png' } }));
    await runCase(port, fail(400, `${target}${sep}undocumented=1`, 'unknown-parameter'));
    await runCase(port, fail(400, `${target}${sep}format=xml`, 'invalid-parameter'));
  }
}

// A GET URL for an operation made of its parameters' examples: the path
// parameters and the required query parameters.
function exampleTarget(o) {
  let target = o.template;
  const query = [];
  for (const { param } of parametersOf(o).values()) {
    if (param.in === 'path') target = target.replace(`{${param.name}}`, encodeURIComponent(param.example));
    else if (param.in === 'query' && param.required) query.push(`${param.name}=${encodeURIComponent(param.example)}`);
  }
  return query.length ? `${target}?${query.join('&')}` : target;
}

// Walks /roles page by page along the Link header and along next_cursor;
// each page is validated, and the walks must visit every role once.
async function pagingCases(port) {
  for (const mode of ['link', 'cursor']) {
    let target = '/roles?sort=pay&limit=4';
    const seen = [];
    let total = null;
    for (let pages = 0; target && pages < 100; pages++) {
      const res = await runCase(port, ok(target));
      if (!res || res.status !== 200) return;
      const body = JSON.parse(res.raw.toString('utf8'));
      total = body.meta.total;
      seen.push(...body.data.map((r) => r.slug));
      if (mode === 'link') {
        const m = /<([^>]+)>; rel="next"/.exec(res.headers.link || '');
        target = m ? m[1] : null;
      } else {
        target = body.meta.next_cursor ? `/roles?sort=pay&limit=4&cursor=${body.meta.next_cursor}` : null;
      }
    }
    const unique = new Set(seen);
    report({ method: 'GET', target: `/roles?sort=pay&limit=4 (every page, by ${mode})` },
           unique.size === seen.length && seen.length === total
             ? [] : [`walked ${seen.length} roles (${unique.size} distinct), total is ${total}`]);
  }
}

async function main() {
  let server;
  try {
    server = await startServer();
  } catch (e) {
    console.error(`validate.mjs: ${e.message}`);
    process.exit(1);
  }
  try {
    for (const c of cases) await runCase(server.port, c);
    await everyOperationCases(server.port);
    await pagingCases(server.port);
    await conditionalCases(server.port);
    const unanswered = operations.filter((o) => o.ok === 0);
    report({ method: 'ALL', target: 'documented operations answered 200 and valid' },
           unanswered.map((o) => `${o.method.toUpperCase()} ${o.template}: never answered 200 with a valid body`));
  } finally {
    const err = await stopServer(server);
    if (err) report({ method: 'STOP', target: 'techpayd' }, [err]);
  }
  console.log(`openapi: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(`validate.mjs: ${e.stack || e}`);
  process.exit(1);
});
