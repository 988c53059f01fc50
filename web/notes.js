// The data notes: every defect found in the sources and what was done.
import { getList } from './api.js';
import { el, sourceText, tableLoader } from './dom.js';

export const renderNotes = tableLoader('notes', 'data notes', async () => {
  const { items } = await getList('/data-notes');
  return items.map((n) => el('tr', {},
    el('th', { scope: 'row' }, n.defect.replace(/_/g, ' ')),
    el('td', {}, n.found),
    el('td', {}, n.action),
    el('td', { class: 'source' }, sourceText(n.source))));
});
