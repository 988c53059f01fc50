// The distributions of the Pay view, drawn twice: as an SVG box plot (the
// box from the 25th to the 75th percentile, the median across it, the
// whiskers to the 10th and 90th) and as the table of the same figures,
// which is what screen readers read (the SVG is hidden from them).
import { el, usd } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 480;
const LABEL = 150;
const RIGHT = 30;
const ROW = 30;
const AXIS = 28;
const FIGURES = ['p10', 'p25', 'p50', 'p75', 'p90', 'mean'];
const HEADS = ['10th', '25th', 'Median', '75th', '90th', 'Mean'];

function svgEl(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

// A scale over every figure shown and the amount checked, with round ends.
function scaleOf(rows, amount) {
  const values = rows.filter((r) => !r.suppressed).flatMap((r) => [r.p10, r.p90]);
  if (amount !== null) values.push(amount);
  const step = 25000;
  const low = Math.floor(Math.min(...values) / step) * step;
  const high = Math.max(low + step, Math.ceil(Math.max(...values) / step) * step);
  const x = (v) => LABEL + ((v - low) / (high - low)) * (WIDTH - LABEL - RIGHT);
  return { low, high, x };
}

function axis(svg, scale, height) {
  const ticks = 4;
  for (let i = 0; i <= ticks; i++) {
    const value = scale.low + ((scale.high - scale.low) * i) / ticks;
    const x = scale.x(value);
    svg.append(svgEl('line', { class: 'grid', x1: x, x2: x, y1: 0, y2: height - AXIS + 4 }),
               svgEl('text', { class: 'tick', x, y: height - 8, 'text-anchor': 'middle' },
                     `$${Math.round(value / 1000)}k`));
  }
}

function box(svg, row, y, scale) {
  const mid = y + ROW / 2;
  const [p10, p25, p50, p75, p90] = ['p10', 'p25', 'p50', 'p75', 'p90'].map((k) => scale.x(row[k]));
  svg.append(svgEl('line', { class: 'whisker', x1: p10, x2: p90, y1: mid, y2: mid }),
             svgEl('line', { class: 'whisker', x1: p10, x2: p10, y1: mid - 6, y2: mid + 6 }),
             svgEl('line', { class: 'whisker', x1: p90, x2: p90, y1: mid - 6, y2: mid + 6 }),
             svgEl('rect', { class: 'box', x: p25, y: mid - 9, width: Math.max(1, p75 - p25), height: 18 }),
             svgEl('line', { class: 'median', x1: p50, x2: p50, y1: mid - 9, y2: mid + 9 }));
}

// The SVG of @a rows ({label, n, suppressed, p10...}); @a amount, when
// not null, is marked with a line.
export function boxPlot(rows, amount) {
  const height = rows.length * ROW + AXIS;
  const svg = svgEl('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'boxplot', 'aria-hidden': 'true',
                             focusable: 'false' });
  const shown = rows.some((r) => !r.suppressed);
  const scale = shown ? scaleOf(rows, amount) : null;
  if (scale) axis(svg, scale, height);
  rows.forEach((row, i) => {
    const y = i * ROW;
    svg.append(svgEl('text', { class: 'label', x: LABEL - 8, y: y + ROW / 2 + 4, 'text-anchor': 'end' },
                     row.label.length > 16 ? `${row.label.slice(0, 15)}…` : row.label));
    if (row.suppressed || !scale) {
      svg.append(svgEl('text', { class: 'suppressed-note', x: LABEL, y: y + ROW / 2 + 4 },
                       `not shown: ${row.n} report${row.n === 1 ? '' : 's'}`));
    } else {
      box(svg, row, y, scale);
    }
  });
  if (scale && amount !== null) {
    const x = scale.x(amount);
    svg.append(svgEl('line', { class: 'amount', x1: x, x2: x, y1: 0, y2: height - AXIS + 4 }));
  }
  return svg;
}

// The table of the same rows; a suppressed row says why instead.
export function figureTable(rows, groupHead) {
  return el('table', { class: 'pay-table', id: 'pay-table' },
    el('caption', {}, 'Base pay in USD a year: percentiles of the matching individual reports'),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, groupHead),
      el('th', { scope: 'col', class: 'num' }, 'Reports'),
      HEADS.map((h) => el('th', { scope: 'col', class: 'num' }, h)))),
    el('tbody', {}, rows.map((row) => el('tr', { class: row.suppressed ? 'suppressed' : null,
                                                 dataset: { group: row.key === null ? 'null' : String(row.key) } },
      el('th', { scope: 'row' }, row.label),
      el('td', { class: 'num', 'data-field': 'n' }, String(row.n)),
      row.suppressed
        ? el('td', { colspan: String(FIGURES.length), class: 'reason' }, `Not shown: ${row.reason}`)
        : FIGURES.map((f) => el('td', { class: 'num', 'data-field': f }, usd(row[f])))))));
}
