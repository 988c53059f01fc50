// The public API, as any client reads it. A problem answer (RFC 9457)
// becomes an ApiError carrying its title and detail.

export class ApiError extends Error {
  constructor(title, detail, status, parameter) {
    super(detail ? `${title}: ${detail}` : title);
    this.title = title;
    this.detail = detail;
    this.status = status;
    this.parameter = parameter;
  }
}

export async function getJson(path) {
  let response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError('The API could not be reached', String(e.message || e), 0);
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    const title = body && body.title ? `The API answered ${response.status}: ${body.title}`
                                     : `The API answered ${response.status}`;
    throw new ApiError(title, body && body.detail, response.status, body && body.parameter);
  }
  if (body === null) throw new ApiError('The API answered something that is not JSON', path, response.status);
  return body;
}

// Every item of a list that pages, following next_cursor; bounded so that
// a huge list cannot keep the page busy forever.
export async function getAll(path, params, maxPages = 20) {
  const items = [];
  let meta = null;
  let cursor = null;
  for (let page = 0; page < maxPages; page++) {
    const query = new URLSearchParams(params);
    query.set('limit', '500');
    if (cursor) query.set('cursor', cursor);
    const body = await getJson(`${path}?${query}`);
    items.push(...body.data);
    meta = body.meta;
    cursor = body.meta && body.meta.next_cursor;
    if (!cursor) break;
  }
  return { items, meta };
}

// A list that does not page (/industries, /data-notes): all of it at once.
export async function getList(path, params = {}) {
  const query = new URLSearchParams(params).toString();
  const body = await getJson(query ? `${path}?${query}` : path);
  return { items: body.data, meta: body.meta };
}
