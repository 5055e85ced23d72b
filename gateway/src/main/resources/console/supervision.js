// 一网通办 控制台: supervision of sharing — the 主管部门's compliance report per department (条例 Arts. 38–41) and
// the datasets not updated at the cycle their catalogue entry declares (更新周期, 条例 Art. 18). The service decides
// who reads what; the page only offers the sections the roles open.

import {
  EXCHANGE, has, competentReviewer, h, table, field, select, show, api, apiPage, filterForm, pager, PAGE_SIZE,
  departmentCell, beijingTime, label,
} from './ui.js';

const REPORT = '#/compliance';
const DATASETS = '#/datasets';

const UPDATE_CYCLE = { REAL_TIME: '实时 / real time', DAILY: '每日 / daily', WEEKLY: '每周 / weekly',
  MONTHLY: '每月 / monthly', QUARTERLY: '每季度 / quarterly', YEARLY: '每年 / yearly', IRREGULAR: '不定期 / irregular',
  ON_DEMAND: '按需 / on demand' };
const FRESHNESS = { FRESH: '按期更新 / up to date', STALE: '逾期未更新 / not updated in time',
  NO_DATA: '尚无数据 / no data yet', NO_CYCLE: '不定期 / no fixed cycle', LIVE: '实时接口 / live endpoint' };

const percent = (rate) => (rate == null ? '—' : `${Math.round(rate * 1000) / 10}%`);

/** On time out of all, the rate, and what is late or overdue: one cell of the report. */
function timeliness(t) {
  if (!t || !t.total) return '—';
  return h('span', { class: 'timeliness' }, `${t.onTime}/${t.total} · ${percent(t.onTimeRate)}`,
    t.late ? ` · 迟 / late ${t.late}` : '',
    t.overdue ? h('strong', { class: 'overdue' }, ` · 逾期 / overdue ${t.overdue}`) : '',
    t.pending ? ` · 办理中 / open ${t.pending}` : '');
}

function freshnessTable(rows) {
  return table(['资源 / resource', '名称 / name', '提供方 / provider', '更新周期 / cycle', '最近更新 / last upload',
    '应更新于 / due by', '状态 / state'], rows.map((d) => [d.resourceCode, d.name || '',
    departmentCell(d.providerDepartmentCode), label(UPDATE_CYCLE, d.updateCycle),
    d.lastUploadAt ? beijingTime(d.lastUploadAt) : '—', d.staleAfter ? beijingTime(d.staleAfter) : '—',
    d.stale ? h('strong', { class: 'overdue stale' }, label(FRESHNESS, d.state)) : label(FRESHNESS, d.state)]));
}

/** 共享合规报告: per department, answers, deliveries and objections on time, suspensions, stale data, share mix. */
async function reportView(params) {
  const query = new URLSearchParams();
  for (const key of ['from', 'to', 'region']) if (params.get(key)) query.set(key, params.get(key));
  const report = await api('GET', `${EXCHANGE}/compliance-report?${query}`);
  const download = (format) => {
    const q = new URLSearchParams(query);
    q.set('format', format);
    return h('a', { href: `${EXCHANGE}/compliance-report?${q}`, class: 'chip', id: `report-${format}`,
      download: `compliance-${report.region || 'all'}-${report.to}.${format}` }, format.toUpperCase());
  };
  show(h('h2', {}, '共享合规报告 / Compliance report'),
    h('p', { class: 'meta', id: 'report-scope' }, `区划 / region ${report.region || '全部 / all'} · ${report.from} – `
      + `${report.to} · 截至 / as of ${report.asOf}`),
    filterForm('report-filter', REPORT, params, [
      field('from', '自 / from', h('input', { type: 'date', name: 'from', value: report.from })),
      field('to', '至 / to', h('input', { type: 'date', name: 'to', value: report.to })),
      has('auditor') ? field('region', '区划代码（空为全部） / region (empty: all)',
        h('input', { name: 'region', value: report.region || '' })) : null]),
    h('p', {}, '下载 / download: ', download('csv'), ' ', download('xlsx')),
    report.departments.length ? h('div', { id: 'report-departments' }, table(['部门 / department',
      '答复 / answers', '交付 / deliveries', '质量异议 / objections', '暂停 / suspensions', '逾期未更新 / stale',
      '目录 / entries', '有条件 / conditional', '不予共享 / not shared'], report.departments.map((d) => [
      departmentCell(d.departmentCode), timeliness(d.answers), timeliness(d.deliveries), timeliness(d.objections),
      `提供方 / by provider ${d.suspensions.byProvider} · 主管部门 / by authority ${d.suspensions.byAuthority} · `
        + `被暂停 / of its grants ${d.suspensions.ofGrantsHeld}`,
      String(d.staleDatasets), String(d.catalogue.entries), `${d.catalogue.conditional} · `
        + `${percent(d.catalogue.conditionalShare)}`, `${d.catalogue.notShared} · ${percent(d.catalogue.notSharedShare)}`,
    ]))) : h('p', { id: 'report-none' }, '本期无记录 / nothing in the period'),
    h('h3', {}, `逾期未更新的数据 / Datasets not updated at their cycle (${report.staleDatasets.length})`),
    report.staleDatasets.length ? h('div', { id: 'report-stale' }, freshnessTable(report.staleDatasets))
      : h('p', {}, '无 / none'));
}

/** The datasets the caller may see, with whether each is updated at its declared cycle. */
async function datasetsView(params) {
  const query = new URLSearchParams(params);
  query.set('size', String(PAGE_SIZE));
  const { items, total } = await apiPage(`${EXCHANGE}/datasets?${query}`);
  show(h('h2', {}, '数据更新情况 / Dataset freshness'),
    h('p', { class: 'meta' }, '按目录登记的更新周期检查：超过周期（含宽限期）未更新的数据标为逾期，提供部门会收到通知。 / Each '
      + 'dataset is checked against the update cycle its catalogue entry declares; past it (and the grace period) it is '
      + 'flagged and its provider told.'),
    filterForm('dataset-filter', DATASETS, params, [
      field('stale', '状态 / state', select('stale', { true: '逾期未更新 / stale', false: '其他 / others' }, null,
        '全部 / all'))]),
    items.length ? h('div', { id: 'datasets' }, freshnessTable(items)) : h('p', { id: 'datasets-none' }, '无 / none'),
    pager(params, DATASETS, items.length, total));
}

export const SUPERVISION_SECTIONS = [
  { hash: REPORT, text: '合规报告 / Compliance', when: () => competentReviewer() || has('auditor'),
    render: (id, sub, params) => reportView(params) },
  { hash: DATASETS, text: '数据更新 / Freshness', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: (id, sub, params) => datasetsView(params) },
];
