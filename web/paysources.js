// Where each role's published base salaries come from, by role slug
// (GET /salaries), read once per page load: the hover text of every pay
// figure, in the ranking and in comparisons.
import { getAll } from './api.js';
import { sourceText, usd } from './dom.js';

// How GET /roles says a role's pay was found (pay_basis).
const BASIS = {
  published_average: 'the mean of the average base salaries the sources publish',
  reported_median: 'the median of the individual base-salary reports',
};

export function basisText(payBasis) {
  return BASIS[payBasis] || 'as the sources give it';
}

let loaded = null;

// -> Map slug -> ["$146,085 (2024): title, section “...”", ...]; empty when
// the API cannot say (the ranking's details rows still can).
export function paySources() {
  if (!loaded) loaded = load();
  return loaded;
}

async function load() {
  const bySlug = new Map();
  try {
    const { items } = await getAll('/salaries', { kind: 'base', statistic: 'average' }, 4);
    for (const s of items) {
      if (!s.role) continue;
      if (!bySlug.has(s.role)) bySlug.set(s.role, []);
      bySlug.get(s.role).push(`${usd(s.amount)} (${s.year || 'undated'}): ${sourceText(s.source)}`);
    }
  } catch (e) {
    loaded = null; // asked again next time
  }
  return bySlug;
}

// The hover text of a pay figure: how it was found and where it comes from.
export function payTitle(pay, payBasis, sources) {
  return [`${usd(pay)}: ${basisText(payBasis)}.`, ...(sources || []).map((s) => `Source: ${s}`),
          'Open “Sources” in the ranking for every figure.'].join('\n');
}
