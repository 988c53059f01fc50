// Small helpers shared by the views: building elements without HTML
// strings (so no API text is ever parsed as markup) and formatting figures.

// el('td', { class: 'num', title: 'x' }, 'text', child, ...)
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

const usdFormat = new Intl.NumberFormat('en-US', {
  style: 'currency', currency: 'USD', maximumFractionDigits: 0,
});

// 146085 -> "$146,085"
export function usd(amount) {
  return usdFormat.format(amount);
}

// -5840 -> "-$5,840", 5840 -> "+$5,840"
export function signedUsd(amount) {
  return (amount < 0 ? '-' : amount > 0 ? '+' : '') + usd(Math.abs(amount));
}

// -4 -> "-4.0%", 2.5 -> "+2.5%"
export function signedPercent(percent) {
  return (percent > 0 ? '+' : '') + percent.toFixed(1) + '%';
}

// A figure stated as a bound keeps it: "$250,000 or more".
export function boundedUsd(figure) {
  const text = usd(figure.amount);
  if (figure.bound === 'at_least') return `${text} or more`;
  if (figure.bound === 'below') return `below ${text}`;
  return text;
}

// {title, section} -> "Highest Paying Machine Learning Jobs in 2024, section “...”"
export function sourceText(source) {
  if (!source) return 'no source recorded';
  return source.section ? `${source.title}, section “${source.section}”` : source.title;
}

// Shows @a message in the status line and marks @a region busy or done.
export function setStatus(statusEl, message, region, busy = false) {
  statusEl.textContent = message;
  region.setAttribute('aria-busy', busy ? 'true' : 'false');
}

// Shows an API error (an ApiError) in @a box, or hides the box for null.
export function showError(box, error) {
  box.replaceChildren();
  box.hidden = !error;
  if (!error) return;
  box.append(el('p', { class: 'error-title' }, error.title),
             error.detail ? el('p', {}, error.detail) : null);
}

// A table filled once from the API, with its loading and error states:
// #PREFIX (the table), #PREFIX-status and #PREFIX-error. Returns the
// function that shows it; after a failure, the next call tries again.
export function tableLoader(prefix, what, fetchRows) {
  let loaded = null;
  async function load() {
    const status = document.getElementById(`${prefix}-status`);
    const error = document.getElementById(`${prefix}-error`);
    const table = document.getElementById(prefix);
    setStatus(status, `Loading the ${what}…`, table, true);
    showError(error, null);
    try {
      const rows = await fetchRows();
      table.querySelector('tbody').replaceChildren(...rows);
      setStatus(status, `${rows.length} ${what}`, table);
    } catch (e) {
      loaded = null;
      setStatus(status, '', table);
      showError(error, e);
    }
  }
  return () => {
    if (!loaded) loaded = load();
    return loaded;
  };
}
