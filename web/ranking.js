// The ranking: roles by pay as a table with a bar per role, filters, a
// details row per role with the source of every figure, and the buttons
// that pick roles to compare.
import { getAll, getJson, getList } from './api.js';
import { basisText, paySources, payTitle } from './paysources.js';
import { boundedUsd, el, setStatus, showError, sourceText, usd } from './dom.js';
import { MAX_COMPARE, rolesQuery } from './state.js';

const dom = {};
let optionsLoaded = null;
// The newest render wins: an older answer arriving late is dropped.
let renderSerial = 0;
// The /roles query of the rows on screen: picking roles to compare keeps
// them (and the keyboard focus) where they are.
let drawnQuery = null;

export function initRanking(handlers) {
  dom.form = document.getElementById('filters');
  dom.status = document.getElementById('ranking-status');
  dom.error = document.getElementById('ranking-error');
  dom.empty = document.getElementById('ranking-empty');
  dom.box = document.getElementById('ranking-box');
  dom.table = document.getElementById('ranking');
  dom.body = dom.table.querySelector('tbody');
  dom.handlers = handlers;
  dom.form.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.onFilters(formFilters(), dom.form.elements.sort.value);
  });
  for (const name of ['category', 'skill', 'industry', 'sort']) {
    dom.form.elements[name].addEventListener('change', () => dom.form.requestSubmit());
  }
  document.getElementById('clear-filters').addEventListener('click', handlers.onClear);
  dom.empty.querySelector('[data-action="clear"]').addEventListener('click', handlers.onClear);
}

function formFilters() {
  const filters = {};
  for (const name of ['q', 'category', 'skill', 'industry', 'min_pay', 'max_pay']) {
    const value = dom.form.elements[name].value.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

// The choices of the filter menus, from the API; loaded once.
function loadOptions() {
  if (!optionsLoaded) {
    optionsLoaded = Promise.all([
      getAll('/roles', { fields: 'category', sort: 'title' }),
      getAll('/skills', { sort: 'name' }),
      getList('/industries'),
    ]).then(([roles, skills, industries]) => {
      const categories = [...new Set(roles.items.map((r) => r.category))].sort();
      fillSelect(dom.form.elements.category, categories.map((c) => [c, c]));
      fillSelect(dom.form.elements.skill, skills.items.map((s) => [s.slug, s.name]));
      fillSelect(dom.form.elements.industry, industries.items.map((i) => [i.slug, i.name]));
    }).catch(() => {
      // the menus stay at "Any"; the ranking itself reports API errors
    });
  }
  return optionsLoaded;
}

function fillSelect(select, pairs) {
  const first = select.options[0];
  select.replaceChildren(first, ...pairs.map(([value, label]) => el('option', { value }, label)));
}

// Puts the state's values into the form; a value the menus lack is kept
// as an option of its own, so the form always shows what the URL says.
function showFilters(state) {
  const elements = dom.form.elements;
  for (const name of ['q', 'min_pay', 'max_pay']) elements[name].value = state.filters[name] || '';
  for (const name of ['category', 'skill', 'industry']) {
    const value = state.filters[name] || '';
    const select = elements[name];
    if (value && ![...select.options].some((o) => o.value === value)) {
      select.append(el('option', { value }, value));
    }
    select.value = value;
  }
  elements.sort.value = state.sort;
}

export async function renderRanking(state) {
  const query = JSON.stringify(rolesQuery(state));
  if (query === drawnQuery) {
    markCompared(state);
    return;
  }
  drawnQuery = null;
  const serial = ++renderSerial;
  showFilters(state);
  showError(dom.error, null);
  dom.empty.hidden = true;
  setStatus(dom.status, 'Loading the ranking…', dom.table, true);
  try {
    const [roles, sources] = await Promise.all([getAll('/roles', rolesQuery(state)), paySources(),
                                                loadOptions()]);
    if (serial !== renderSerial) return;
    showFilters(state);
    drawRows(roles.items, sources);
    markCompared(state);
    drawnQuery = query;
    const total = roles.meta ? roles.meta.total : roles.items.length;
    setStatus(dom.status, total === 1 ? '1 role' : `${total} roles`, dom.table);
    dom.empty.hidden = roles.items.length !== 0;
    dom.box.hidden = roles.items.length === 0;
  } catch (error) {
    if (serial !== renderSerial) return;
    dom.body.replaceChildren();
    dom.box.hidden = true;
    setStatus(dom.status, '', dom.table);
    showError(dom.error, error);
    dom.error.append(el('button', { type: 'button', class: 'secondary', onclick: dom.handlers.onClear },
                        'Clear filters'));
  }
}

function drawRows(roles, sources) {
  const top = Math.max(0, ...roles.map((r) => r.pay || 0));
  const rows = [];
  for (const role of roles) {
    const detailsId = `details-${role.slug}`;
    rows.push(el('tr', { class: role.pay === null ? 'role no-pay' : 'role', dataset: { slug: role.slug } },
      el('td', { class: 'num rank' }, role.rank === null ? '–' : String(role.rank)),
      el('th', { scope: 'row', class: 'role-name' },
        el('span', { class: 'title' }, role.title),
        el('span', { class: 'category' }, role.category)),
      payCell(role, top, sources.get(role.slug)),
      el('td', { class: 'actions' },
        el('button', {
          type: 'button', class: 'compare-toggle', 'aria-pressed': 'false',
          'aria-label': `Compare ${role.title}`,
          onclick: () => dom.handlers.onToggleCompare(role.slug),
        }, 'Compare'),
        el('button', {
          type: 'button', class: 'details-toggle secondary', 'aria-expanded': 'false',
          'aria-controls': detailsId, 'aria-label': `Sources for ${role.title}`,
          onclick: (event) => toggleDetails(event.currentTarget, role),
        }, 'Sources'))));
    rows.push(el('tr', { id: detailsId, class: 'details', hidden: true },
      el('td', { colspan: '4' })));
  }
  dom.body.replaceChildren(...rows);
}

// Shows which roles are picked; once MAX_COMPARE are, the others wait.
function markCompared(state) {
  const full = state.compare.length >= MAX_COMPARE;
  for (const button of dom.body.querySelectorAll('.compare-toggle')) {
    const chosen = state.compare.includes(button.closest('tr').dataset.slug);
    button.setAttribute('aria-pressed', chosen ? 'true' : 'false');
    button.textContent = chosen ? 'Comparing' : 'Compare';
    button.disabled = full && !chosen;
    button.title = full && !chosen ? `At most ${MAX_COMPARE} roles can be compared` : '';
  }
}

function payCell(role, top, sources) {
  if (role.pay === null) {
    return el('td', { class: 'pay none', title: 'The sources state no base salary for this role' },
      'no figure in sources');
  }
  const title = payTitle(role.pay, role.pay_basis, sources);
  const fill = el('span', { class: 'fill' });
  // set through the CSSOM: the policy forbids inline style attributes
  fill.style.width = `${top > 0 ? (100 * role.pay) / top : 0}%`;
  return el('td', { class: 'pay', title },
    el('span', { class: 'amount' }, usd(role.pay)),
    el('span', { class: 'bar', 'aria-hidden': 'true' }, fill));
}

async function toggleDetails(button, role) {
  const row = document.getElementById(button.getAttribute('aria-controls'));
  const open = button.getAttribute('aria-expanded') !== 'true';
  button.setAttribute('aria-expanded', open ? 'true' : 'false');
  row.hidden = !open;
  if (!open || row.dataset.loaded) return;
  const cell = row.firstElementChild;
  cell.replaceChildren(el('p', { class: 'status', role: 'status' }, 'Loading the sources…'));
  try {
    const { data } = await getJson(`/roles/${encodeURIComponent(role.slug)}`);
    cell.replaceChildren(...detailsContent(data));
    row.dataset.loaded = 'yes';
  } catch (error) {
    const box = el('div', { class: 'error', role: 'alert' });
    showError(box, error);
    cell.replaceChildren(box);
  }
}

function detailsContent(role) {
  const parts = [el('p', { class: 'summary' }, role.summary)];
  if (role.pay !== null) {
    parts.push(el('p', {}, `Pay ${usd(role.pay)}: ${basisText(role.pay_basis)}.`));
  }
  if (role.pay_reports) {
    const r = role.pay_reports;
    parts.push(el('p', {}, `${r.n} individual reports: 25th percentile ${usd(r.p25)}, median ${usd(r.p50)}, 75th percentile ${usd(r.p75)}.`));
  }
  const published = role.salaries.filter((s) => s.statistic !== 'individual');
  if (published.length) {
    parts.push(el('ul', { class: 'figures' }, published.map((s) => el('li', {},
      el('strong', {}, boundedUsd(s)), ` ${s.kind} pay, ${s.statistic}${s.year ? `, ${s.year}` : ''}`,
      s.scope ? ` (${s.scope})` : '', '. ',
      el('span', { class: 'source' }, `Source: ${sourceText(s.source)}.`),
      s.note ? el('span', { class: 'note' }, ` ${s.note}`) : null))));
  } else {
    parts.push(el('p', {}, 'No salary figure is stated for this role.'));
  }
  if (role.sources && role.sources.length) {
    parts.push(el('p', { class: 'source' },
      'Described in: ', role.sources.map((s) => sourceText(s)).join('; '), '.'));
  }
  return parts;
}
