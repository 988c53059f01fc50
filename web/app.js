// The page's entry point: reads the state from the URL, shows the chosen
// view, and keeps the URL in step (history.pushState; popstate for the
// back button). Everything shown comes from the public API.
import { renderCompare, initCompare } from './compare.js';
import { renderNotes } from './notes.js';
import { initPay, renderPay } from './pay.js';
import { initRanking, renderRanking } from './ranking.js';
import { renderSkills } from './skills.js';
import { MAX_COMPARE, readState, stateQuery } from './state.js';

let state = readState();

function go(next) {
  state = next;
  const url = `${window.location.pathname}${stateQuery(state)}`;
  if (url !== `${window.location.pathname}${window.location.search}`) {
    window.history.pushState(null, '', url);
  }
  render();
}

function render() {
  for (const tab of document.querySelectorAll('.tab')) {
    const current = tab.dataset.view === state.view;
    tab.setAttribute('aria-pressed', current ? 'true' : 'false');
    document.getElementById(`view-${tab.dataset.view}`).hidden = !current;
  }
  if (state.view === 'ranking') {
    renderRanking(state);
    renderCompare(state);
  } else if (state.view === 'pay') {
    renderPay(state);
  } else if (state.view === 'skills') {
    renderSkills();
  } else {
    renderNotes();
  }
}

function toggleCompare(slug) {
  const compare = state.compare.includes(slug) ? state.compare.filter((s) => s !== slug)
    : [...state.compare, slug].slice(0, MAX_COMPARE);
  go({ ...state, compare });
}

initRanking({
  onFilters: (filters, sort) => go({ ...state, filters, sort }),
  onClear: () => go({ ...state, filters: {}, sort: 'pay' }),
  onToggleCompare: toggleCompare,
});
initPay({ onPay: (pay) => go({ ...state, pay }) });
initCompare({
  onToggleCompare: toggleCompare,
  onClearCompare: () => go({ ...state, compare: [] }),
});
for (const tab of document.querySelectorAll('.tab')) {
  tab.addEventListener('click', () => go({ ...state, view: tab.dataset.view }));
}
window.addEventListener('popstate', () => {
  state = readState();
  render();
});
render();
