// The Pay view: the distribution of the individual reports that match a
// role or category and the five factors, with the count of reports beside
// every choice, grouped by a factor on request, and where an amount falls.
import { getAll, getJson, getList } from './api.js';
import { el, setStatus, showError, usd } from './dom.js';
import { boxPlot, figureTable } from './paychart.js';
import { PAY_FILTERS, payQuery } from './paystate.js';

const LABELS = {
  remote: { true: 'Remote', false: 'On site' },
  education: { high_school: 'High school', associate: 'Associate', bachelor: 'Bachelor',
               master: 'Master', phd: 'PhD' },
  company_stage: { startup: 'Startup', growth: 'Growth', established: 'Established' },
  experience: { '0-1': '0-1 years', '2-4': '2-4 years', '5-9': '5-9 years', '10-14': '10-14 years',
                '15-': '15 years or more' },
};
const GROUP_HEADS = {
  '': 'Reports', location: 'Location', country: 'Country', remote: 'Remote', experience: 'Experience',
  education: 'Education', industry: 'Industry', company_stage: 'Company stage', role: 'Role',
  category: 'Category', year: 'Year',
};

const dom = {};
let names = null;
let renderSerial = 0;

export function initPay(handlers) {
  dom.form = document.getElementById('pay-filters');
  dom.status = document.getElementById('pay-status');
  dom.error = document.getElementById('pay-error');
  dom.result = document.getElementById('pay-result');
  dom.notice = document.getElementById('pay-suppressed');
  dom.standing = document.getElementById('pay-standing');
  dom.form.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.onPay(formState());
  });
  for (const select of dom.form.querySelectorAll('select')) {
    select.addEventListener('change', () => {
      // the API takes a role or a category, so picking one drops the other
      if (select.name === 'role' && select.value) dom.form.elements.category.value = '';
      if (select.name === 'category' && select.value) dom.form.elements.role.value = '';
      dom.form.requestSubmit();
    });
  }
  document.getElementById('pay-clear').addEventListener('click', () =>
    handlers.onPay({ filters: {}, group: '', amount: '' }));
}

function formState() {
  const filters = {};
  for (const name of PAY_FILTERS) {
    const value = dom.form.elements[name].value;
    if (value) filters[name] = value;
  }
  return { filters, group: dom.form.elements.group.value,
           amount: dom.form.elements.amount.value.trim().replace(/[$,\s]/g, '') };
}

// Role titles and industry names, for the menus; loaded once.
function loadNames() {
  if (!names) {
    names = Promise.all([getAll('/roles', { fields: 'slug,title,category', sort: 'title' }),
                         getList('/industries')])
      .then(([roles, industries]) => ({
        role: new Map(roles.items.map((r) => [r.slug, r.title])),
        category: [...new Set(roles.items.map((r) => r.category))].sort(),
        industry: new Map(industries.items.map((i) => [i.slug, i.name])),
      }))
      .catch((e) => { names = null; throw e; });
  }
  return names;
}

// The experience facet counts bands ("15+"); the filter takes ranges ("15-").
const filterValue = (dim, value) => (dim === 'experience' && value === '15+' ? '15-' : value);

// Facet counts per dimension: a dimension that is filtered is counted
// over the other filters, so that its menu shows what choosing another
// value would match.
async function facetCounts(filters, main) {
  const counts = {};
  const count = async (dims, except) => {
    const facets = except
      ? (await getJson(`/pay?${new URLSearchParams({ ...payQuery(filters, except), facets: 'true' })}`)).data.facets
      : main.facets;
    for (const dim of dims) {
      counts[dim] = new Map(facets[dim].filter((f) => f.value !== null)
        .map((f) => [filterValue(dim, f.value), f.n]));
    }
  };
  const menus = [[['role', 'category'], filters.role ? 'role' : filters.category ? 'category' : null],
                 [['location', 'country'], filters.location ? 'location' : null]];
  for (const dim of ['remote', 'experience', 'education', 'industry', 'company_stage']) {
    menus.push([[dim], filters[dim] ? dim : null]);
  }
  await Promise.all(menus.map(([dims, except]) => count(dims, except)));
  return counts;
}

function choices(dim, counts, known) {
  const count = counts[dim] || new Map();
  if (dim === 'location') {
    const countries = counts.country || new Map();
    return [...[...countries].map(([v, n]) => [v, `${v}, all of it`, n]),
            ...[...count].filter(([v]) => v.includes('-')).map(([v, n]) => [v, v, n])]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  }
  if (LABELS[dim]) return Object.entries(LABELS[dim]).map(([v, label]) => [v, label, count.get(v) || 0]);
  if (dim === 'role') return [...known.role].map(([v, t]) => [v, t, count.get(v) || 0]);
  if (dim === 'category') return known.category.map((v) => [v, v, count.get(v) || 0]);
  return [...count].map(([v, n]) => [v, known.industry.get(v) || v, n]);
}

function fillMenus(pay, counts, known) {
  for (const dim of PAY_FILTERS) {
    const select = dom.form.elements[dim];
    const options = choices(dim, counts, known).map(([value, label, n]) =>
      el('option', { value, dataset: { count: String(n) } }, `${label} (${n})`));
    const chosen = pay.filters[dim] || '';
    if (chosen && !options.some((o) => o.value === chosen)) {
      options.push(el('option', { value: chosen, dataset: { count: '0' } }, `${chosen} (0)`));
    }
    select.replaceChildren(select.options[0], ...options);
    select.value = chosen;
  }
  dom.form.elements.group.value = pay.group;
  dom.form.elements.amount.value = pay.amount;
}

function rowsOf(pay, main, groups, known) {
  if (!pay.group) return [{ ...main, key: '', label: 'All matching' }];
  const label = (g) => {
    if (g === null) return 'not stated';
    if (pay.group === 'role') return known.role.get(g) || g;
    if (pay.group === 'industry') return known.industry.get(g) || g;
    const own = LABELS[pay.group] && LABELS[pay.group][filterValue(pay.group, String(g))];
    return own && pay.group !== 'experience' ? own : String(g);
  };
  return groups.map((g) => ({ ...g, key: g.group, label: label(g.group) }));
}

function showStanding(standing) {
  dom.standing.hidden = !standing;
  if (!standing) return;
  const d = standing.data;
  dom.standing.replaceChildren(d.suppressed
    ? el('p', {}, `Where ${usd(d.amount)} falls is not shown: ${d.reason}.`)
    : el('p', {}, el('strong', { id: 'pay-percentile' }, `${d.percentile}`),
         ` is the percentile rank of ${usd(d.amount)} among the ${d.n} matching reports: the share `,
         'of them below it, counting half of any equal to it.'));
}

function showResult(pay, main, groups, standing, known) {
  const rows = rowsOf(pay, main, groups, known);
  dom.notice.hidden = !main.suppressed;
  dom.notice.textContent = main.suppressed ? `No figure is shown for these filters: ${main.reason}.` : '';
  const amount = standing && !standing.data.suppressed ? standing.data.amount : null;
  dom.result.replaceChildren(
    el('div', { class: 'chart-box' }, boxPlot(rows, amount),
      el('p', { class: 'chart-legend' }, 'The box spans the 25th to the 75th percentile, the dark line is the median, '
        + 'the whiskers reach the 10th and the 90th', amount === null ? '.' : '; the dashed line is your amount.')),
    el('div', { class: 'table-box' }, figureTable(rows, GROUP_HEADS[pay.group])));
  showStanding(standing);
}

async function fetchAll(pay) {
  const query = payQuery(pay.filters);
  const mainQuery = new URLSearchParams({ ...query, facets: 'true' });
  const [known, main, groups, standing] = await Promise.all([
    loadNames(),
    getJson(`/pay?${mainQuery}`),
    pay.group ? getJson(`/pay?${new URLSearchParams({ ...query, group_by: pay.group })}`) : null,
    pay.amount ? getJson(`/pay/standing?${new URLSearchParams({ ...query, amount: pay.amount })}`) : null,
  ]);
  const counts = await facetCounts(pay.filters, main.data);
  return { known, main: main.data, groups: groups && groups.data, standing, counts,
           total: groups ? groups.meta.total : null };
}

export async function renderPay(state) {
  const pay = state.pay;
  const serial = ++renderSerial;
  showError(dom.error, null);
  setStatus(dom.status, 'Loading the distribution…', dom.result, true);
  try {
    const r = await fetchAll(pay);
    if (serial !== renderSerial) return;
    fillMenus(pay, r.counts, r.known);
    showResult(pay, r.main, r.groups, r.standing, r.known);
    const n = r.main.n === 1 ? '1 matching report' : `${r.main.n} matching reports`;
    setStatus(dom.status, pay.group ? `${n} in ${r.total} group(s)` : n, dom.result);
  } catch (error) {
    if (serial !== renderSerial) return;
    const known = await loadNames().catch(() => null);
    if (known) fillMenus(pay, {}, known);
    dom.result.replaceChildren();
    dom.notice.hidden = true;
    dom.standing.hidden = true;
    setStatus(dom.status, '', dom.result);
    showError(dom.error, error);
  }
}
