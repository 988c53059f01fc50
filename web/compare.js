// Roles side by side (GET /compare): pay, the difference from the first
// role in USD and percent as the API computes it, and the skills they
// share or need alone.
import { getJson } from './api.js';
import { boundedUsd, el, setStatus, showError, signedPercent, signedUsd, sourceText, usd } from './dom.js';
import { paySources, payTitle } from './paysources.js';

const dom = {};
let renderSerial = 0;

export function initCompare(handlers) {
  dom.section = document.getElementById('compare');
  dom.status = document.getElementById('compare-status');
  dom.error = document.getElementById('compare-error');
  dom.body = document.getElementById('compare-body');
  dom.handlers = handlers;
}

export async function renderCompare(state) {
  const serial = ++renderSerial;
  const slugs = state.compare;
  dom.section.hidden = slugs.length === 0 || state.view !== 'ranking';
  showError(dom.error, null);
  if (dom.section.hidden) return;
  if (slugs.length < 2) {
    dom.body.replaceChildren(clearButton());
    setStatus(dom.status, 'Pick at least one more role to compare.', dom.body);
    return;
  }
  setStatus(dom.status, 'Loading the comparison…', dom.body, true);
  try {
    const [{ data }, sources] = await Promise.all([
      getJson(`/compare?roles=${slugs.map(encodeURIComponent).join(',')}`), paySources()]);
    if (serial !== renderSerial) return;
    dom.body.replaceChildren(table(data, sources), skillsList(data), clearButton());
    setStatus(dom.status, '', dom.body);
  } catch (error) {
    if (serial !== renderSerial) return;
    dom.body.replaceChildren(clearButton());
    setStatus(dom.status, '', dom.body);
    showError(dom.error, error);
  }
}

function clearButton() {
  return el('button', { type: 'button', class: 'secondary', onclick: dom.handlers.onClearCompare },
    'Clear the comparison');
}

function table(data, sources) {
  const roles = data.roles;
  const baseline = roles[0];
  const row = (label, cell) => el('tr', {}, el('th', { scope: 'row' }, label), roles.map(cell));
  return el('div', { class: 'table-box' }, el('table', { class: 'comparison', id: 'comparison' },
    el('caption', {}, `Compared with ${baseline.title}, the first role picked.`),
    el('thead', {}, el('tr', {}, el('td', {}), roles.map((r) => el('th', { scope: 'col', dataset: { slug: r.slug } },
      el('span', { class: 'title' }, r.title),
      el('button', {
        type: 'button', class: 'link', 'aria-label': `Remove ${r.title} from the comparison`,
        onclick: () => dom.handlers.onToggleCompare(r.slug),
      }, 'Remove'))))),
    el('tbody', {},
      row('Base pay', (r) => el('td', {
        class: 'num pay', dataset: { field: 'pay' },
        title: r.pay === null ? 'The sources state no base salary for this role'
          : payTitle(r.pay, r.pay_basis, sources.get(r.slug)),
      }, r.pay === null ? 'no figure in sources' : usd(r.pay))),
      row(`Difference from ${baseline.title} (USD)`, (r, i) => differenceCell(r, i, 'usd')),
      row(`Difference from ${baseline.title} (%)`, (r, i) => differenceCell(r, i, 'percent')),
      row('Highest total pay stated', (r) => el('td', {
        class: 'num', title: r.total_pay ? `Source: ${sourceText(r.total_pay.source)}` : null,
      }, r.total_pay ? boundedUsd(r.total_pay) : 'none stated')),
      row('Rank by pay', (r) => el('td', { class: 'num' }, r.rank === null ? '–' : String(r.rank))),
      row('Skills only this role needs', (r) => el('td', { class: 'skills-cell' },
        (data.unique_skills[r.slug] || []).map((s) => s.name).join(', ') || 'none')))));
}

function differenceCell(role, index, kind) {
  const attrs = { class: 'num difference', dataset: { field: `difference-${kind}` } };
  if (index === 0) return el('td', attrs, 'baseline');
  const value = role.difference && role.difference[kind];
  if (value === null || value === undefined) {
    return el('td', { ...attrs, title: 'Either role has no pay figure' }, 'n/a');
  }
  return el('td', attrs, kind === 'usd' ? signedUsd(value) : signedPercent(value));
}

function skillsList(data) {
  const shared = data.shared_skills.map((s) => s.name);
  return el('p', { class: 'shared' }, el('strong', {}, 'Skills all of them need: '),
    shared.length ? shared.join(', ') : 'none');
}
