#!/usr/bin/env node
// The web page in a real browser: Debian's chromium, driven by
// playwright-core, against a real techpayd on a loopback port with a fresh
// database (tests/support/techpayd.mjs).
//
// Usage: node tests/web/run.mjs [TECHPAYD] [SCREENSHOT_DIR]
//   TECHPAYD        the server binary (default: build-test/techpayd)
//   SCREENSHOT_DIR  where desktop.png and phone.png go (default:
//                   build-test/web-screenshots)
//
// Every expectation is computed from the API's own answers, never written
// down here. Exits 0 when every test passes, 1 when one fails, and 77
// (skipped) with the reason when no browser can run on this machine.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { request, startServer, stopServer } from '../support/techpayd.mjs';
import { payTests, startPayServer } from './pay.mjs';
import { colourStats, decodePng } from './png.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const binary = path.resolve(process.argv[2] || path.join(root, 'build-test', 'techpayd'));
const shotDir = path.resolve(process.argv[3] || path.join(root, 'build-test', 'web-screenshots'));
const CHROMIUM = '/usr/bin/chromium';
const SKIPPED = 77;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

function skip(reason) {
  console.log(`web tests: skipped: ${reason}`);
  process.exit(SKIPPED);
}

/* ------------------------------------------------------------ API figures */

let server;
let base;

async function api(target) {
  const res = await request(server.port, 'GET', target, { Accept: 'application/json' });
  assert.equal(res.status, 200, `GET ${target}: ${res.status} ${res.raw}`);
  return JSON.parse(res.raw.toString('utf8'));
}

// The page's own formats, restated: $146,085; -$5,840; -4.0%.
const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const usd = (n) => usdFormat.format(n);
const signedUsd = (n) => (n < 0 ? '-' : n > 0 ? '+' : '') + usd(Math.abs(n));
const signedPercent = (p) => (p > 0 ? '+' : '') + p.toFixed(1) + '%';

/* ---------------------------------------------------------------- helpers */

const roleRows = (page) => page.locator('#ranking tbody tr.role');

async function waitForRows(page, count) {
  await page.waitForFunction((n) => document.querySelectorAll('#ranking tbody tr.role').length === n
    && document.getElementById('ranking').getAttribute('aria-busy') === 'false', count);
}

async function openPage(context, query = '', viewport = DESKTOP, at = base) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  await page.goto(`${at}/${query}`);
  return { page, errors };
}

/* ------------------------------------------------------------------ tests */

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('the ranking shows the top role first with its figure, and roles without pay last', async (context) => {
  const roles = await api('/roles?sort=pay&limit=500');
  const { page, errors } = await openPage(context);
  await waitForRows(page, roles.meta.total);
  const top = roles.data[0];
  const first = roleRows(page).first();
  assert.equal(await first.getAttribute('data-slug'), top.slug);
  assert.equal((await first.locator('.rank').textContent()).trim(), '1');
  assert.equal(await first.locator('.title').textContent(), top.title);
  assert.equal(await first.locator('.amount').textContent(), usd(top.pay));
  // the bars are scaled to the top pay
  const widths = await page.$$eval('#ranking .fill', (fills) => fills.map((f) => f.style.width));
  assert.equal(widths[0], '100%');
  assert.ok(Math.abs(parseFloat(widths[1]) - (100 * roles.data[1].pay) / top.pay) < 0.01, widths[1]);
  // every role without pay comes after those with it, marked as such
  const pays = await page.locator('#ranking tbody tr.role td.pay').allTextContents();
  const withPay = roles.data.filter((r) => r.pay !== null).length;
  assert.ok(withPay > 0 && withPay < pays.length, 'the seed has roles with and without pay');
  pays.forEach((text, i) => assert.equal(text === 'no figure in sources', i >= withPay, `row ${i}: ${text}`));
  assert.equal(await page.locator('#ranking-status').textContent(), `${roles.meta.total} roles`);
  // the pay's source, on hover
  const salaries = await api(`/salaries?role=${top.slug}&kind=base&statistic=average`);
  const title = await first.locator('td.pay').getAttribute('title');
  assert.ok(title.includes(salaries.data[0].source.title), title);
  return errors;
});

test('a role\'s details row lists its figures with their sources', async (context) => {
  const roles = await api('/roles?sort=pay&limit=1');
  const role = (await api(`/roles/${roles.data[0].slug}`)).data;
  const { page, errors } = await openPage(context);
  const button = page.locator(`tr[data-slug="${role.slug}"] .details-toggle`);
  await button.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  const details = page.locator(`#details-${role.slug}`);
  await details.locator('.figures').waitFor();
  const text = await details.textContent();
  for (const s of role.salaries) {
    assert.ok(text.includes(s.source.title) && text.includes(s.source.section), `${s.source.section} missing`);
  }
  await button.click();
  assert.ok(await details.isHidden());
  return errors;
});

test('a filter narrows the rows, the URL keeps it, and the back button undoes it', async (context) => {
  const all = await api('/roles?limit=500');
  const data = await api('/roles?sort=pay&category=Data&limit=500');
  assert.ok(data.meta.total > 0 && data.meta.total < all.meta.total);
  const { page, errors } = await openPage(context);
  await waitForRows(page, all.meta.total);
  await page.selectOption('#f-category', 'Data');
  await page.waitForURL(/[?&]category=Data(&|$)/);
  await waitForRows(page, data.meta.total);
  const slugs = await roleRows(page).evaluateAll((rows) => rows.map((r) => r.dataset.slug));
  assert.deepEqual(slugs, data.data.map((r) => r.slug));
  // the search box is the q parameter
  const q = await api('/roles?sort=pay&category=Data&q=data&limit=500');
  await page.fill('#f-q', 'data');
  await page.press('#f-q', 'Enter');
  await page.waitForURL(/[?&]q=data(&|$)/);
  await waitForRows(page, q.meta.total);
  await page.goBack();
  await page.waitForURL((url) => !url.search.includes('q='));
  await waitForRows(page, data.meta.total);
  assert.equal(await page.inputValue('#f-q'), '');
  await page.goBack();
  await waitForRows(page, all.meta.total);
  assert.equal(await page.inputValue('#f-category'), '');
  return errors;
});

test('a filter that matches nothing shows the empty state', async (context) => {
  const { page, errors } = await openPage(context, '?q=zzzqqqxxx');
  await page.locator('#ranking-empty').waitFor();
  assert.ok(await page.locator('#ranking-box').isHidden());
  await page.locator('#ranking-empty button').click();
  await page.waitForURL((url) => url.search === '');
  await page.locator('#ranking tbody tr.role').first().waitFor();
  return errors;
});

test('a comparison shows the difference from the first role in USD and percent', async (context) => {
  const roles = (await api('/roles?sort=pay&has_pay=true&limit=3')).data;
  const [a, b, c] = roles;
  const { page, errors } = await openPage(context);
  await roleRows(page).first().waitFor();
  for (const role of [a, b, c]) await page.locator(`tr[data-slug="${role.slug}"] .compare-toggle`).click();
  await page.waitForURL(new RegExp(`compare=${a.slug},${b.slug},${c.slug}`));
  const table = page.locator('#comparison');
  await page.waitForFunction((n) => document.querySelectorAll('#comparison thead th').length === n, 3);
  const usdCells = await table.locator('td[data-field="difference-usd"]').allTextContents();
  const percentCells = await table.locator('td[data-field="difference-percent"]').allTextContents();
  const payCells = await table.locator('td[data-field="pay"]').allTextContents();
  assert.deepEqual(payCells, [a, b, c].map((r) => usd(r.pay)));
  const source = (await api(`/salaries?role=${a.slug}&kind=base&statistic=average`)).data[0].source;
  const payTitle = await table.locator('td[data-field="pay"]').first().getAttribute('title');
  assert.ok(payTitle.includes(source.title) && payTitle.includes(source.section), payTitle);
  assert.equal(usdCells[0], 'baseline');
  [b, c].forEach((r, i) => {
    assert.equal(usdCells[i + 1], signedUsd(r.pay - a.pay));
    assert.equal(percentCells[i + 1], signedPercent(Math.round((1000 * (r.pay - a.pay)) / a.pay) / 10));
  });
  // the pick is in the URL: a reload shows the same comparison
  await page.reload();
  await page.waitForFunction((n) => document.querySelectorAll('#comparison thead th').length === n, 3);
  assert.equal(await page.locator('#comparison td[data-field="difference-usd"]').nth(1).textContent(),
               signedUsd(b.pay - a.pay));
  return errors;
});

test('an API problem shows the error state', async (context) => {
  const problem = await request(server.port, 'GET', '/roles?sort=pay&min_pay=abc&limit=500');
  assert.equal(problem.status, 400);
  const { detail } = JSON.parse(problem.raw.toString('utf8'));
  const { page, errors } = await openPage(context, '?min_pay=abc');
  const box = page.locator('#ranking-error');
  await box.waitFor();
  const text = await box.textContent();
  assert.ok(text.includes('400') && text.includes(detail), text);
  assert.ok(await page.locator('#ranking-box').isHidden());
  assert.equal(await page.inputValue('#f-min'), 'abc');
  // the browser reports the failed fetch, and nothing else
  return errors.filter((e) => !/Failed to load resource: the server responded with a status of 400/.test(e));
});

test('the skills ranking and the data notes come from the API, with their sources', async (context) => {
  const skills = await api('/skills?sort=demand&limit=500');
  const notes = await api('/data-notes');
  const { page, errors } = await openPage(context);
  await page.getByRole('button', { name: 'Skills' }).click();
  await page.waitForURL(/view=skills/);
  await page.waitForFunction((n) => document.querySelectorAll('#skills tbody tr').length === n, skills.data.length);
  const firstSkill = page.locator('#skills tbody tr').first();
  assert.equal((await firstSkill.locator('td').first().textContent()), String(skills.data[0].demand_rank));
  assert.ok((await firstSkill.textContent()).includes(skills.data[0].source.title));
  await page.getByRole('button', { name: 'Data notes' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('#notes tbody tr').length === n, notes.data.length);
  assert.ok((await page.locator('#notes tbody tr').first().textContent()).includes(notes.data[0].action));
  await page.goBack();
  await page.locator('#view-skills').waitFor();
  assert.ok(await page.locator('#view-notes').isHidden());
  return errors;
});

test('everything is reachable and usable with the keyboard, with a visible focus', async (context) => {
  const { page, errors } = await openPage(context);
  await roleRows(page).first().waitFor();
  const seen = [];
  let outlines = 0;
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      return { id: e.id, cls: e.className, text: e.textContent.trim().slice(0, 30),
               outline: getComputedStyle(e).outlineStyle };
    });
    seen.push(focused);
    if (focused.outline !== 'none') outlines++;
  }
  const reached = (pred) => seen.some(pred);
  assert.ok(reached((f) => f.text === 'Skills'), 'the view buttons');
  for (const id of ['f-q', 'f-category', 'f-skill', 'f-industry', 'f-min', 'f-max', 'f-sort']) {
    assert.ok(reached((f) => f.id === id), id);
  }
  assert.ok(reached((f) => f.cls.includes('compare-toggle')), 'a Compare button');
  assert.ok(reached((f) => f.cls.includes('details-toggle')), 'a Sources button');
  assert.equal(outlines, seen.length, 'every focused element shows an outline');
  // the focused button works from the keyboard and keeps the focus
  const toggle = page.locator('.compare-toggle').first();
  await toggle.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/compare=/);
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.ok(await toggle.evaluate((e) => e === document.activeElement));
  return errors;
});

test('desktop and phone screenshots show the page, and a phone never scrolls sideways', async (context) => {
  fs.mkdirSync(shotDir, { recursive: true });
  const roles = (await api('/roles?sort=pay&has_pay=true&limit=2')).data;
  const query = `?compare=${roles.map((r) => r.slug).join(',')}`;
  const all = [];
  for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const { page, errors } = await openPage(context, query, viewport);
    await roleRows(page).first().waitFor();
    await page.locator('#comparison').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: the page scrolls sideways by ${overflow}px`);
    const file = path.join(shotDir, `${name}.png`);
    await page.screenshot({ path: file });
    const png = decodePng(fs.readFileSync(file));
    assert.equal(png.width, viewport.width);
    const { distinct, commonestShare } = colourStats(png);
    assert.ok(distinct >= 32, `${name}: only ${distinct} colours`);
    assert.ok(commonestShare < 0.9, `${name}: one colour covers ${(100 * commonestShare).toFixed(1)}%`);
    console.log(`     ${file}: ${png.width}x${png.height}, ${distinct} colours`);
    all.push(...errors);
  }
  return all;
});

// The Pay view's tests run against a second server whose database holds
// reports with the pay factors (tests/web/pay.mjs).
let pay = null;
payTests(test, {
  api: (target) => pay.api(target),
  openPage: (context, query = '', viewport = DESKTOP) =>
    openPage(context, query, viewport, `http://127.0.0.1:${pay.server.port}`),
  shotDir,
  viewports: { desktop: DESKTOP, phone: PHONE },
});

/* ------------------------------------------------------------------- main */

async function main() {
  if (!fs.existsSync(CHROMIUM)) skip(`${CHROMIUM} is not installed (Debian package chromium)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'techpay-web-profile-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
    });
  } catch (e) {
    fs.rmSync(profile, { recursive: true, force: true });
    skip(`chromium cannot start here: ${String(e.message).split('\n')[0]}`);
  }
  let failed = 0;
  try {
    server = await startServer(binary, { prefix: 'techpay-web-' });
    base = `http://127.0.0.1:${server.port}`;
    pay = await startPayServer(binary, root);
    for (const t of tests) {
      try {
        const errors = await t.fn(context);
        assert.deepEqual(errors, [], 'the browser reported errors');
        console.log(`ok   ${t.name}`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${t.name}\n     ${String(e.message).split('\n').join('\n     ')}`);
      }
      for (const page of context.pages()) await page.close();
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
    for (const s of [server, pay && pay.server]) {
      const err = s ? await stopServer(s) : null;
      if (err) {
        failed++;
        console.log(`FAIL ${err}`);
      }
    }
  }
  console.log(`web: ${tests.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

await main();
