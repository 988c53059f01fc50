// The skills ranking: demand rank as published, the shares the sources
// state, and the pay premium of the roles that need each skill.
import { getAll } from './api.js';
import { el, signedUsd, sourceText, tableLoader, usd } from './dom.js';

export const renderSkills = tableLoader('skills', 'skills', async () => {
  const { items, meta } = await getAll('/skills', { sort: 'demand' });
  return items.map((s) => row(s, meta));
});

function row(skill, meta) {
  const source = `Source: ${sourceText(skill.source)}`;
  const computed = `Computed from the pay of the ${skill.role_count} role(s) that need it`
    + (meta && meta.avg_pay_all_roles ? `, against ${usd(meta.avg_pay_all_roles)} for all roles with pay` : '');
  return el('tr', {},
    el('td', { class: 'num', title: skill.demand_rank === null ? null : source },
      skill.demand_rank === null ? '–' : String(skill.demand_rank)),
    el('th', { scope: 'row' }, skill.name,
      skill.shares.map((share) => el('span', { class: 'share', title: `Source: ${sourceText(share.source)}` },
        `${share.qualifier ? `${share.qualifier} ` : ''}${share.percent}%: ${share.scope}`))),
    el('td', { class: 'num' }, String(skill.role_count)),
    el('td', { class: 'num', title: skill.avg_pay === null ? null : computed },
      skill.avg_pay === null ? '–' : usd(skill.avg_pay)),
    el('td', { class: 'num', title: skill.pay_premium === null ? null : computed },
      skill.pay_premium === null ? '–' : signedUsd(skill.pay_premium)),
    el('td', { class: 'source' }, sourceText(skill.source)));
}
