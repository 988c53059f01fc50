#!/usr/bin/env node
// Validates real techpayd answers against docs/openapi.json.
//
// Usage: node tests/openapi/validate.mjs [TECHPAYD] [OPENAPI_JSON]
//   TECHPAYD      the server binary (default: build-test/techpayd)
//   OPENAPI_JSON  the document (default: docs/openapi.json)
//
// Starts TECHPAYD on a free loopback port with a fresh database in a
// temporary directory and an admin token in its environment, sends the
// requests listed below (every operation, typical parameters, CSV, gzip, 304,
// writes with JSON bodies and bearer credentials, and many error cases) and
// checks each answer against the document:
//   - the status is the one the case expects, and the document lists it for
//     that path and method;
//   - the body's media type is documented for that status, and the body
//     validates against the documented JSON Schema (JSON Schema 2020-12);
//   - every required response header is present and every documented header
//     matches its schema;
//   - a problem's "status" equals the HTTP status and its "instance" the path;
//   - a 204 has neither a body nor a Content-Type;
//   - for successful cases, every query parameter sent is documented for the
//     operation and its value matches the parameter's schema, and every
//     required parameter is present; the request body's media type is
//     documented for the operation and the body matches its schema; and an
//     operation that documents a security requirement was sent credentials.
// Finally every documented operation must have been answered 2xx with a
// valid answer at least once. Exits 0 when everything matches, 1 otherwise.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import zlib from 'node:zlib';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import { request, startServer, stopServer } from '../support/techpayd.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const binary = path.resolve(process.argv[2] || path.join(root, 'build-test', 'techpayd'));
const docPath = path.resolve(process.argv[3] || path.join(root, 'docs', 'openapi.json'));
const DOC_ID = 'urn:techpay:openapi';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// The admin token the server is started with (TECHPAY_ADMIN_TOKEN).
const TOKEN = 'openapi-check-token-0123456789';

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
// The OpenAPI 3.1 dialect's own schema keywords (annotations to a validator).
for (const keyword of ['example', 'discriminator', 'xml']) ajv.addKeyword({ keyword });
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

// An operation needs credentials when it, or else the document, lists a
// security requirement that is not the empty one.
function isSecured(o) {
  const reqs = o.op.security ?? doc.security ?? [];
  return reqs.length > 0 && !reqs.some((r) => Object.keys(r).length === 0);
}

function headerOf(headers, name) {
  const key = Object.keys(headers || {}).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

// A secured operation must not have succeeded without credentials.
function checkRequestCredentials(o, c, problems) {
  if (isSecured(o) && headerOf(c.headers, 'Authorization') === undefined) {
    problems.push(`${o.method.toUpperCase()} ${o.template} documents a security requirement, but succeeded without credentials`);
  }
}

// The body of a successful request must be one the operation documents: a
// documented media type and, for JSON, a value its schema accepts; an
// operation without a request body must not have been sent one.
function checkRequestBody(o, c, problems) {
  const sent = c.body !== undefined && c.body !== null;
  if (!o.op.requestBody) {
    if (sent) problems.push(`a body was sent, but ${o.method.toUpperCase()} ${o.template} documents none`);
    return;
  }
  const { node: rb, pointer } = deref(o.op.requestBody, `${o.pointer}/requestBody`);
  if (!sent) {
    if (rb.required) problems.push('the request body is required, but none was sent');
    return;
  }
  const type = mediaType(headerOf(c.headers, 'Content-Type'));
  if (!rb.content?.[type]) {
    problems.push(`request media type '${type}' is not documented (documented: ${Object.keys(rb.content || {}).join(', ')})`);
    return;
  }
  if (!rb.content[type].schema) return;
  let value = Buffer.isBuffer(c.body) ? c.body.toString('utf8') : String(c.body);
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      value = JSON.parse(value);
    } catch (e) {
      problems.push(`the request body is not JSON: ${e.message}`);
      return;
    }
  }
  const v = validatorAt(`${pointer}/content/${esc(type)}/schema`);
  if (!v(value)) problems.push(`the request body does not match its ${type} schema: ${errorsText(v)}`);
}

/* ------------------------------------------------------------------- HTTP */

// The server, started and stopped by tests/support/techpayd.mjs.

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
  if (res.status >= 200 && res.status < 300) {
    checkRequestParameters(o, url, problems);
    checkRequestBody(o, c, problems);
    checkRequestCredentials(o, c, problems);
  }

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
    if (res.status === 204) {
      if (res.headers['content-type'] !== undefined) problems.push(`a 204 answer has a Content-Type: ${res.headers['content-type']}`);
      if (response.content && Object.keys(response.content).length) problems.push('the document gives the 204 answer content');
      if (c.check) {
        const msg = c.check(undefined, res);
        if (msg) problems.push(msg);
      }
      if (!problems.length) o.ok++;
    }
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
  if (!problems.length && res.status >= 200 && res.status < 300) o.ok++;
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

const HTML_T = 'text/html';
const cases = [
  { method: 'GET', target: '/', status: 200, type: HTML_T },
  { method: 'GET', target: '/?view=ranking&sort=pay&category=Data&min_pay=abc', status: 200, type: HTML_T, headers: { Accept: 'application/json' } },
  { method: 'GET', target: '/', status: 200, type: HTML_T, headers: { 'Accept-Encoding': 'gzip' } },
  { method: 'GET', target: '/assets/app.js', status: 200, type: 'text/javascript' },
  { method: 'GET', target: '/assets/style.css', status: 200, type: 'text/css', headers: { 'Accept-Encoding': 'gzip' } },
  fail(404, '/assets/no-such-file.js', 'not-found'),
  fail(404, '/assets/index.html', 'not-found'),
  ok('/api'),
  ok('/api?format=json'),
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
  // pay distributions (the seed has no individual reports: every answer is suppressed)
  ok('/pay'),
  ok('/pay?role=machine-learning-engineer&role=cloud-architect&location=US&remote=true&experience=3-5&education=master&industry=finance&company_stage=startup&year=2025'),
  ok('/pay?category=Data&facets=true'),
  ok('/pay?group_by=experience&min_n=0&sort=p50&order=desc&limit=20&offset=0'),
  ok('/pay?group_by=role', gz),
  ok('/pay?group_by=country'),
  csv('/pay?format=csv'),
  fail(400, '/pay?experience=9-3', 'invalid-parameter'),
  fail(400, '/pay?min_n=-1', 'invalid-parameter'),
  fail(400, '/pay?group_by=salary', 'invalid-parameter'),
  fail(400, '/pay?location=us', 'invalid-parameter'),
  fail(404, '/pay?role=no-such-role', 'role-not-found'),
  ok('/pay/standing?amount=150000&role=machine-learning-engineer'),
  fail(400, '/pay/standing', 'invalid-parameter'),
  fail(404, '/pay/standing?amount=1&role=no-such-role', 'role-not-found'),
  ok('/factors/education?location=US-WA'),
  ok('/factors/experience?year=2025'),
  fail(404, '/factors/no-such-factor', 'not-found'),
  fail(404, '/factors/industry?role=no-such-role', 'role-not-found'),

  ok('/salaries'),
  ok('/salaries?role=machine-learning-engineer'),
  ok('/salaries?source=2'),
  fail(400, '/salaries?source=0', 'invalid-parameter'),
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
  fail(406, '/api', 'not-acceptable', { headers: { Accept: 'application/xml' } }),
];

/* ----------------------------------------------------------------- writes */

const AUTH = { Authorization: `Bearer ${TOKEN}` };
const WRITE = { ...AUTH, 'Content-Type': JSON_T };
const problemIs = (type) => (b) => (b && b.type === `/problems/${type}` ? null : `problem type ${b && b.type}, expected /problems/${type}`);

// A write with the token: BODY (a value, sent as JSON; a string, sent as
// is) or none.
function write(method, target, status, body, extra = {}) {
  const c = { method, target, status, headers: AUTH };
  if (status !== 204) c.type = status >= 400 ? PROBLEM_T : JSON_T;
  if (body !== undefined) {
    c.headers = WRITE;
    c.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  return { ...c, ...extra };
}

// A refused write: the problem type, and for 422 the fields named in errors.
function refused(method, target, status, problemType, body, fields = [], extra = {}) {
  return write(method, target, status, body, {
    check: (b) => {
      const msg = problemIs(problemType)(b);
      if (msg) return msg;
      if (status === 422) {
        if (!Array.isArray(b.errors) || !b.errors.length) return 'a 422 without an errors array';
        const named = new Set(b.errors.map((e) => e.field));
        const missing = fields.filter((f) => !named.has(f));
        if (missing.length) return `errors name no ${missing.map((f) => `'${f}'`).join(', ')} (named: ${[...named].join(', ')})`;
      }
      return null;
    },
    ...extra,
  });
}

// 401 without usable credentials, with a Bearer challenge.
function unauthorized(target, extra = {}) {
  return fail(401, target, 'unauthorized', {
    ...extra,
    check: (b, res) => problemIs('unauthorized')(b)
      || (/^Bearer\b/.test(res.headers['www-authenticate'] || '') ? null : `WWW-Authenticate is '${res.headers['www-authenticate']}', not a Bearer challenge`),
  });
}

// The data of an answer, for the cases that build on it.
function dataOf(res) {
  try {
    return JSON.parse(res.raw.toString('utf8')).data;
  } catch {
    return undefined;
  }
}

const locationIs = (want) => (b, res) => (res.headers.location === want ? null : `Location '${res.headers.location}', expected '${want}'`);

// Creates, reads, changes, links and deletes, in an order in which each
// step succeeds, and the refusals in between. The resources made here are
// removed again, so the later cases see the seed data (plus the
// "api-entries" source the API's own entries are attributed to).
async function writeCases(port) {
  const run = (c) => runCase(port, c);
  const role = 'openapi-check-role';
  const plainRole = 'openapi-check-plain-role';
  const skill = 'openapi-check-skill';
  const link = `/roles/${role}/skills/${skill}`;
  const newRole = { slug: role, title: 'OpenAPI Check Engineer', category: 'Research',
                    summary: 'Checks documents against servers.' };

  // roles
  await run(write('POST', '/roles', 201, newRole, {
    check: (b, res) => locationIs(`/roles/${role}`)(b, res) || (b.data.slug === role ? null : `created ${b.data.slug}`),
  }));
  await run(ok(`/roles/${role}`, { check: (b) => (b.data.title === newRole.title ? null : `title ${b.data.title}`) }));
  await run(write('PATCH', `/roles/${role}`, 200, { title: 'OpenAPI Check Lead', summary: 'Checks documents.\nAnd servers.' }, {
    check: (b) => (b.data.title === 'OpenAPI Check Lead' && b.data.category === 'Research' ? null : `changed to ${JSON.stringify(b.data).slice(0, 200)}`),
  }));
  await run(ok(`/roles/${role}`, { check: (b) => (b.data.title === 'OpenAPI Check Lead' ? null : `title ${b.data.title} after PATCH`) }));
  await run(write('POST', '/roles', 201, { slug: plainRole, title: 'Plain', category: 'Research', summary: 'Has no pay.' },
                  { check: locationIs(`/roles/${plainRole}`) }));
  await run(write('DELETE', `/roles/${plainRole}`, 204));
  await run(fail(404, `/roles/${plainRole}`, 'role-not-found'));

  // skills
  await run(write('POST', '/skills', 201, { slug: skill, name: 'OpenAPI checking', demand_rank: 999 }, {
    check: (b, res) => locationIs(`/skills/${skill}`)(b, res) || (b.data.demand_rank === 999 ? null : `demand_rank ${b.data.demand_rank}`),
  }));
  await run(ok(`/skills/${skill}`));
  await run(write('PATCH', `/skills/${skill}`, 200, { name: 'OpenAPI document checking' }, {
    check: (b) => (b.data.name === 'OpenAPI document checking' && b.data.demand_rank === 999 ? null : `changed to ${JSON.stringify(b.data).slice(0, 200)}`),
  }));
  await run(write('PATCH', `/skills/${skill}`, 200, { demand_rank: null }, {
    check: (b) => (b.data.demand_rank === null ? null : `demand_rank ${b.data.demand_rank}`),
  }));

  // links: created, then idempotent, then removed
  await run(write('PUT', link, 201, undefined, {
    check: (b, res) => locationIs(link)(b, res) || (b.data.role === role && b.data.skill.slug === skill ? null : `linked ${JSON.stringify(b.data)}`),
  }));
  await run(write('PUT', link, 200));
  await run(ok(`/roles/${role}`, { check: (b) => (b.data.skills.some((k) => k.slug === skill) ? null : 'the link is not in the role') }));
  await run(write('DELETE', link, 204));
  await run(refused('DELETE', link, 404, 'not-found'));

  // salaries
  const created = await run(write('POST', '/salaries', 201, {
    role, amount: 150000, currency: 'USD', kind: 'base', statistic: 'median', scope: 'senior', year: 2025,
    note: 'Entered by the document check.', source: { id: 1, section: 'Checks' },
  }, {
    check: (b, res) => locationIs(`/salaries/${b.data.id}`)(b, res) || (b.data.role === role ? null : `role ${b.data.role}`),
  }));
  const salary = created && created.status === 201 ? dataOf(created) : undefined;
  const group = await run(write('POST', '/salaries', 201, {
    role: null, subject: 'Graduates', amount: 90000, kind: 'total', statistic: 'individual',
  }, { check: (b, res) => locationIs(`/salaries/${b.data.id}`)(b, res) }));
  const groupSalary = group && group.status === 201 ? dataOf(group) : undefined;
  if (salary) {
    await run(ok(`/salaries/${salary.id}`, { check: (b) => (isDeepStrictEqual(b.data, salary) ? null : 'GET serves another object than POST answered') }));
  }
  if (groupSalary) {
    await run(write('DELETE', `/salaries/${groupSalary.id}`, 204));
    await run(fail(404, `/salaries/${groupSalary.id}`, 'not-found'));
    await run(refused('DELETE', `/salaries/${groupSalary.id}`, 404, 'not-found'));
  }
  await run(refused('DELETE', '/salaries/999999', 404, 'not-found'));
  await run(refused('DELETE', '/salaries/007', 404, 'not-found'));

  // a role with observations goes only with cascade=true
  await run(refused('DELETE', `/roles/${role}`, 409, 'conflict'));
  await run(refused('DELETE', `/roles/${role}?cascade=false`, 409, 'conflict'));
  await run(refused('DELETE', `/roles/${role}?cascade=yes`, 400, 'invalid-parameter'));
  await run(refused('DELETE', '/roles/machine-learning-engineer', 409, 'conflict'));
  await run(write('DELETE', `/roles/${role}?cascade=true`, 204));
  await run(fail(404, `/roles/${role}`, 'role-not-found'));
  if (salary) await run(fail(404, `/salaries/${salary.id}`, 'not-found'));

  // duplicates
  await run(refused('POST', '/roles', 409, 'conflict', { slug: 'cloud-architect', title: 'Cloud', category: 'X', summary: 'Y' }));
  await run(refused('POST', '/skills', 409, 'conflict', { slug: 'python', name: 'Python 3' }));
  await run(refused('POST', '/skills', 409, 'conflict', { slug: 'zig', name: 'Zig', demand_rank: 1 }));
  await run(refused('PATCH', '/skills/sql', 409, 'conflict', { demand_rank: 1 }));

  // unknown targets
  await run(refused('PATCH', '/roles/no-such-role', 404, 'role-not-found', { title: 'T' }));
  await run(refused('DELETE', '/roles/no-such-role', 404, 'role-not-found'));
  await run(refused('PATCH', '/skills/no-such-skill', 404, 'skill-not-found', { name: 'N' }));
  await run(refused('PUT', '/roles/no-such-role/skills/python', 404, 'role-not-found'));
  await run(refused('PUT', '/roles/cloud-architect/skills/no-such-skill', 404, 'skill-not-found'));
  await run(refused('DELETE', '/roles/no-such-role/skills/python', 404, 'role-not-found'));
  await run(refused('DELETE', '/roles/cloud-architect/skills/no-such-skill', 404, 'skill-not-found'));

  // bodies that are JSON but not valid for the operation
  await run(refused('POST', '/roles', 422, 'invalid-body', {}, ['slug', 'title', 'category', 'summary']));
  await run(refused('POST', '/roles', 422, 'invalid-body', { slug: 7, title: [], category: 'C', summary: 'S', color: 'red' }, ['slug', 'title', 'color']));
  await run(refused('POST', '/roles', 422, 'invalid-body', { slug: 'Not A Slug', title: 'T', category: 'C', summary: 'S' }, ['slug']));
  await run(refused('POST', '/roles', 422, 'invalid-body', { slug: 'ok', title: 'T', category: 'C'.repeat(81), summary: 'S' }, ['category']));
  await run(refused('POST', '/roles', 422, 'invalid-body', [1, 2], ['']));
  await run(refused('PATCH', '/roles/cloud-architect', 422, 'invalid-body', { slug: 'new-slug' }, ['slug', '']));
  await run(refused('POST', '/skills', 422, 'invalid-body', { slug: '-bad-', name: ' padded', demand_rank: 0 }, ['slug', 'name', 'demand_rank']));
  await run(refused('POST', '/skills', 422, 'invalid-body',
                    Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`extra${i}`, i])), ['slug', 'extra0'], {
                      check: (b) => problemIs('invalid-body')(b)
                        || (b.total_errors === 42 && b.errors.length === 32 ? null : `total_errors ${b.total_errors}, ${b.errors?.length} listed`),
                    }));
  await run(refused('PATCH', '/skills/python', 422, 'invalid-body', {}, ['']));
  await run(refused('PATCH', '/skills/python', 422, 'invalid-body', { name: null, rank: 2 }, ['name', 'rank']));
  await run(refused('POST', '/salaries', 422, 'invalid-body', { role: 'cloud-architect', amount: -5, kind: 'bonus' }, ['amount', 'kind', 'statistic']));
  await run(refused('POST', '/salaries', 422, 'invalid-body',
                    { role: 'cloud-architect', amount: 1.5, kind: 'base', statistic: 'average', source: { id: '1' } },
                    ['amount', 'source.id', 'source.section']));
  await run(refused('POST', '/salaries', 422, 'invalid-body', { amount: '100000', kind: 'base', statistic: 'average' }, ['amount', 'subject']));
  await run(refused('POST', '/salaries', 422, 'invalid-body',
                    { role: 'no-such-role', amount: 1000, kind: 'base', statistic: 'average', source: { id: 999, section: 'S' } },
                    ['role', 'source.id']));

  // bodies refused before the handler: not JSON, not sent as JSON
  await run(refused('POST', '/roles', 400, 'malformed-json', '{\n  "slug": "x",\n  "title": }', [], {
    check: (b) => problemIs('malformed-json')(b) || (/line 3/.test(b.detail) && /column/.test(b.detail) ? null : `detail '${b.detail}' does not locate the error`),
  }));
  await run(refused('POST', '/skills', 400, 'malformed-json', '{"slug":"a","slug":"b","name":"N"}'));
  await run(refused('PATCH', '/roles/cloud-architect', 400, 'malformed-json', ''));
  await run(refused('POST', '/roles', 415, 'unsupported-media-type', newRole, [], { headers: { ...AUTH, 'Content-Type': 'text/plain' } }));
  await run(refused('POST', '/salaries', 415, 'unsupported-media-type', '{}', [], { headers: { ...AUTH, 'Content-Type': 'application/json; charset=iso-8859-1' } }));
  await run(refused('PATCH', '/skills/python', 415, 'unsupported-media-type', { name: 'P' }, [], { headers: AUTH }));
  await run(refused('POST', '/roles?dry_run=1', 400, 'unknown-parameter', newRole));

  // credentials, on a write that would succeed with them
  await run(unauthorized('/roles', { method: 'POST', headers: { 'Content-Type': JSON_T }, body: JSON.stringify(newRole) }));
  await run(unauthorized('/roles', { method: 'POST', headers: { 'Content-Type': JSON_T, Authorization: `Bearer ${TOKEN}x` }, body: JSON.stringify(newRole) }));
  await run(unauthorized('/roles', { method: 'POST', headers: { 'Content-Type': JSON_T, Authorization: TOKEN }, body: JSON.stringify(newRole) }));
  await run(fail(404, `/roles/${role}`, 'role-not-found'));

  // the audit trail: every write above, newest first
  await run(unauthorized('/audit'));
  await run(unauthorized('/audit', { headers: { Authorization: 'Bearer not-the-token-0123456789' } }));
  await run(ok('/audit', {
    headers: AUTH,
    check: (b) => {
      const first = b.data[0];
      if (!first || first.method !== 'DELETE' || first.route !== '/roles/{slug}' || first.target !== `/roles/${role}`) {
        return `the newest entry is ${JSON.stringify(first)}`;
      }
      if (JSON.stringify(b).includes(TOKEN)) return 'the trail shows the token';
      return null;
    },
  }));
  await run(ok('/audit?limit=2&offset=1', { headers: AUTH, check: (b) => (b.data.length === 2 ? null : `${b.data.length} entries`) }));
  await run(fail(400, '/audit?limit=0', 'invalid-parameter', { headers: AUTH }));
  await run(fail(400, '/audit?since=1', 'unknown-parameter', { headers: AUTH }));
  await importCases(port);
}

// Bulk imports: CSV and NDJSON land (201), a dry run writes nothing (200),
// a bad row is refused with its line (422). The rows stay: later cases only
// read.
async function importCases(port) {
  const run = (c) => runCase(port, c);
  const as = (type) => ({ headers: { ...AUTH, 'Content-Type': type } });
  const csvRows = 'role,amount,kind,statistic,year\ncloud-architect,151000,base,individual,2025\n';
  const ndjsonRows = '{"role":"cloud-architect","amount":149000,"kind":"base","statistic":"individual"}\n';
  await run({ method: 'POST', target: '/import', status: 201, type: JSON_T, body: csvRows, ...as(CSV_T) });
  await run({ method: 'POST', target: '/import', status: 201, type: JSON_T, body: ndjsonRows,
              ...as('application/x-ndjson') });
  await run({ method: 'POST', target: '/import?dry_run=true', status: 200, type: JSON_T, body: csvRows, ...as(CSV_T) });
  await run(fail(422, '/import', 'invalid-body', {
    method: 'POST',
    body: 'role,amount,kind,statistic\ncloud-architect,"133,alpha",base,average\n', ...as(CSV_T),
    check: (b) => (Array.isArray(b.errors) && b.errors.some((e) => e.line === 2 && e.field === 'amount')
      ? null : `errors ${JSON.stringify(b.errors)} do not name line 2, amount`),
  }));
}

/* -------------------------------------------------------------------- run */

let passed = 0;
let failed = 0;

function report(c, problems) {
  const shown = (v) => String(v).replace(TOKEN, '<token>');
  const body = c.body === undefined || c.body === null ? '' : String(c.body).replace(/\s+/g, ' ');
  const label = `${c.method} ${c.target.length > 100 ? c.target.slice(0, 100) + '...' : c.target}` +
                (c.headers ? ` [${Object.entries(c.headers).map(([k, v]) => `${k}: ${shown(v)}`).join(', ')}]` : '') +
                (body ? ` ${body.length > 80 ? body.slice(0, 80) + '...' : body}` : '');
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
    res = await request(port, c.method, c.target, c.headers, c.body);
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
    if (o.method !== 'get' || !o.op.responses['304']) continue;
    const target = exampleTarget(o);
    const auth = isSecured(o) ? AUTH : {};
    const first = await request(port, 'GET', target, auth);
    const etag = first.headers.etag;
    if (!etag) {
      report({ method: 'GET', target }, ['no ETag to revalidate with']);
      continue;
    }
    await runCase(port, { method: 'GET', target, status: 304, headers: { ...auth, 'If-None-Match': etag } });
  }
}

// What every operation shares: HEAD (for GET), 406 for an unacceptable
// Accept, 400 for an undocumented parameter and for an unknown format (the
// web page's files instead answer whatever Accept says); and,
// for a secured operation, 401 with WWW-Authenticate without credentials,
// with a token the server does not know and with another scheme. A write
// is sent with the token and, when it takes one, a JSON body: these are
// refused before the body is read, so nothing changes.
async function everyOperationCases(port) {
  for (const o of operations) {
    const target = exampleTarget(o);
    const sep = target.includes('?') ? '&' : '?';
    const method = o.method.toUpperCase();
    const secured = isSecured(o);
    const takesBody = Boolean(o.op.requestBody);
    // the operation's own first media type: JSON for single writes, CSV for imports
    const bodyType = takesBody ? Object.keys(o.op.requestBody.content)[0] : null;
    const emptyBody = bodyType === 'text/csv' ? 'amount,kind,statistic\n' : '{}';
    const send = (headers) => {
      const all = { ...headers, ...(takesBody ? { 'Content-Type': bodyType } : {}) };
      return { method, ...(Object.keys(all).length ? { headers: all } : {}), ...(takesBody ? { body: emptyBody } : {}) };
    };
    const auth = secured ? AUTH : {};
    if (o.method === 'get') await runCase(port, { method: 'HEAD', target, status: 200, headers: secured ? AUTH : undefined });
    if ((o.op.tags || []).includes('web')) {
      // the page and its assets have one type each and ignore Accept and the query
      await runCase(port, { method, target, status: 200, headers: { Accept: 'image/png' } });
      continue;
    }
    await runCase(port, fail(406, target, 'not-acceptable', send({ ...auth, Accept: 'image/png' })));
    await runCase(port, fail(400, `${target}${sep}undocumented=1`, 'unknown-parameter', send(auth)));
    await runCase(port, fail(400, `${target}${sep}format=xml`, 'invalid-parameter', send(auth)));
    if (!secured) continue;
    await runCase(port, unauthorized(target, send({})));
    await runCase(port, unauthorized(target, send({ Authorization: 'Bearer not-the-token-0123456789' })));
    await runCase(port, unauthorized(target, send({ Authorization: 'Basic dXNlcjpwYXNz' })));
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
    server = await startServer(binary, { env: { TECHPAY_ADMIN_TOKEN: TOKEN }, prefix: 'techpay-openapi-' });
  } catch (e) {
    console.error(`validate.mjs: ${e.message}`);
    process.exit(1);
  }
  try {
    for (const c of cases) await runCase(server.port, c);
    await writeCases(server.port);
    await everyOperationCases(server.port);
    await pagingCases(server.port);
    await conditionalCases(server.port);
    const unanswered = operations.filter((o) => o.ok === 0);
    report({ method: 'ALL', target: 'documented operations answered 2xx and valid' },
           unanswered.map((o) => `${o.method.toUpperCase()} ${o.template}: never answered 2xx with a valid answer`));
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
