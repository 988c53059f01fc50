// The page's state lives in its URL's query string, so that a view can be
// shared and the back button works.
import { readPayState, writePayState } from './paystate.js';

export const FILTERS = ['q', 'category', 'skill', 'industry', 'min_pay', 'max_pay'];
export const VIEWS = ['ranking', 'pay', 'skills', 'notes'];
export const MAX_COMPARE = 4;

export function readState(search = window.location.search) {
  const query = new URLSearchParams(search);
  const state = { view: 'ranking', sort: 'pay', filters: {}, compare: [] };
  if (VIEWS.includes(query.get('view'))) state.view = query.get('view');
  if (query.get('sort') === 'title') state.sort = 'title';
  for (const name of FILTERS) {
    const value = (query.get(name) || '').trim();
    if (value) state.filters[name] = value;
  }
  const compare = (query.get('compare') || '').split(',').filter(Boolean);
  state.compare = [...new Set(compare)].slice(0, MAX_COMPARE);
  state.pay = readPayState(query);
  return state;
}

// The query string for @a state, with defaults left out.
export function stateQuery(state) {
  const query = new URLSearchParams();
  if (state.view !== 'ranking') query.set('view', state.view);
  if (state.sort !== 'pay') query.set('sort', state.sort);
  for (const name of FILTERS) if (state.filters[name]) query.set(name, state.filters[name]);
  if (state.compare.length) query.set('compare', state.compare.join(','));
  writePayState(state.pay, query);
  const text = query.toString();
  return text ? `?${text.replace(/%2C/g, ',')}` : '';
}

// The /roles query for @a state's filters and order.
export function rolesQuery(state) {
  return { sort: state.sort, ...state.filters };
}
