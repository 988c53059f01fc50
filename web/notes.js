// The data notes: every defect found in the sources and what was done.
import { getList } from './api.js';
import { el, setStatus, showError, sourceText } from './dom.js';

let loaded = null;

export function renderNotes() {
  if (!loaded) loaded = load();
  return loaded;
}

async function load() {
  const status = document.getElementById('notes-status');
  const error = document.getElementById('notes-error');
  const table = document.getElementById('notes');
  setStatus(status, 'Loading the data notes…', table, true);
  showError(error, null);
  try {
    const { items } = await getList('/data-notes');
    table.querySelector('tbody').replaceChildren(...items.map((n) => el('tr', {},
      el('th', { scope: 'row' }, n.defect.replace(/_/g, ' ')),
      el('td', {}, n.found),
      el('td', {}, n.action),
      el('td', { class: 'source' }, sourceText(n.source)))));
    setStatus(status, `${items.length} notes`, table);
  } catch (e) {
    loaded = null;
    setStatus(status, '', table);
    showError(error, e);
  }
}
