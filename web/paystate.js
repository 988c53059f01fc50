// The Pay view's part of the page state. Its URL keys carry a "pay_"
// prefix, so that they never collide with the ranking's filters
// (both have a category and an industry, with different meanings).

// The /pay filters the view sets, in the order the form shows them.
export const PAY_FILTERS = ['role', 'category', 'location', 'remote', 'experience', 'education',
                            'industry', 'company_stage'];
export const PAY_GROUPS = ['location', 'country', 'remote', 'experience', 'education', 'industry',
                           'company_stage', 'role', 'category', 'year'];

export function readPayState(query) {
  const pay = { filters: {}, group: '', amount: '' };
  for (const name of PAY_FILTERS) {
    const value = (query.get(`pay_${name}`) || '').trim();
    if (value) pay.filters[name] = value;
  }
  // the API takes a role or a category, not both: the role is the narrower
  if (pay.filters.role) delete pay.filters.category;
  if (PAY_GROUPS.includes(query.get('pay_group'))) pay.group = query.get('pay_group');
  pay.amount = (query.get('pay_amount') || '').trim();
  return pay;
}

export function writePayState(pay, query) {
  for (const name of PAY_FILTERS) if (pay.filters[name]) query.set(`pay_${name}`, pay.filters[name]);
  if (pay.group) query.set('pay_group', pay.group);
  if (pay.amount) query.set('pay_amount', pay.amount);
}

// The /pay parameters of @a filters, leaving out the dimension @a except.
export function payQuery(filters, except = null) {
  const query = {};
  for (const name of PAY_FILTERS) {
    if (filters[name] && name !== except) query[name] = filters[name];
  }
  return query;
}
