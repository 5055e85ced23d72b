// 一网通办 控制台: supervision of sharing — the 主管部门's compliance reports per department, the exchange's
// (条例 Arts. 38–41) beside the catalogue's (Arts. 16–17: 2-working-day reviews, 10-working-day updates), and the
// datasets not updated at the cycle their catalogue entry declares (更新周期, 条例 Art. 18). The services decide who
// reads what; the page only offers the sections the roles open.

import {
  CATALOG, EXCHANGE, has, competentReviewer, h, table, field, select, show, api, apiPage, filterForm, emptyList, pager,
  PAGE_SIZE, departmentCell, beijingTime, label, Superseded, ENTRY_STATES, regionCell,
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

/** Citizens' and enterprises' requests: received, then {@link timeliness}, and how many were escalated. */
function requests(q) {
  if (!q || !q.received) return '—';
  return h('span', { class: 'requests' }, `收到 / received ${q.received} · `, timeliness(q),
    q.escalated ? h('strong', { class: 'escalated' }, ` · 督办 / escalated ${q.escalated}`) : '');
}

function freshnessTable(rows) {
  return table(['资源 / resource', '名称 / name', '提供方 / provider', '更新周期 / cycle', '最近更新 / last upload',
    '应更新于 / due by', '状态 / state'], rows.map((d) => [d.resourceCode, d.name || '',
    departmentCell(d.providerDepartmentCode), label(UPDATE_CYCLE, d.updateCycle),
    d.lastUploadAt ? beijingTime(d.lastUploadAt) : '—', d.staleAfter ? beijingTime(d.staleAfter) : '—',
    d.stale ? h('strong', { class: 'overdue stale' }, label(FRESHNESS, d.state)) : label(FRESHNESS, d.state)]));
}

/** CSV and .xlsx links of a report: the same query with format, fetched with the console's session. */
function downloads(base, query, prefix, file, report) {
  const link = (format) => {
    const q = new URLSearchParams(query);
    q.set('format', format);
    return h('a', { href: `${base}/compliance-report?${q}`, class: 'chip', id: `${prefix}-${format}`,
      download: `${file}-${report.region || 'all'}${report.includeSubregions ? '-with-subregions' : ''}-`
        + `${report.to}.${format}` }, format.toUpperCase());
  };
  return h('p', {}, '下载 / download: ', link('csv'), ' ', link('xlsx'));
}

/**
 * A report's answer, or the refusal that stands in its place (one report may be closed to the caller); a page the
 * user already left is still abandoned as a whole.
 */
const settled = (promise) => promise.then((value) => ({ value }), (error) => {
  if (error instanceof Superseded) throw error;
  return { error };
});

const refusal = (id, error) => h('p', { class: 'error', id }, `无法读取 / not available: ${error.message}`);

/**
 * 共享合规报告 (data-exchange-service): answers, deliveries and objections on time, suspensions, stale data, share mix,
 * and the citizens' and enterprises' correction requests (PIPL Art. 46) and complaints (R21) on time.
 */
function exchangeSection(report, query) {
  return [h('h3', {}, '共享 / Exchange (条例第二十三条、第三十八条至第四十一条)'),
    h('p', { class: 'meta', id: 'report-scope' }, `区划 / region ${report.region || '全部 / all'}`
      + `${report.includeSubregions ? ' 含下级区划 / with subregions' : ''} · ${report.from} – ${report.to} · `
      + `截至 / as of ${report.asOf}`),
    downloads(EXCHANGE, query, 'report', 'compliance', report),
    report.departments.length ? h('div', { id: 'report-departments' }, table(['部门 / department',
      '区划 / region', '答复 / answers', '交付 / deliveries', '质量异议 / objections', '暂停 / suspensions',
      '逾期未更新 / stale', '目录 / entries', '有条件 / conditional', '不予共享 / not shared',
      '更正补充申请 / correction requests', '投诉 / complaints'],
    report.departments.map((d) => [
      departmentCell(d.departmentCode), d.regionCode ? regionCell(d.regionCode) : '—', timeliness(d.answers),
      timeliness(d.deliveries),
      timeliness(d.objections),
      `提供方 / by provider ${d.suspensions.byProvider} · 主管部门 / by authority ${d.suspensions.byAuthority} · `
        + `被暂停 / of its grants ${d.suspensions.ofGrantsHeld}`,
      String(d.staleDatasets), String(d.catalogue.entries), `${d.catalogue.conditional} · `
        + `${percent(d.catalogue.conditionalShare)}`, `${d.catalogue.notShared} · ${percent(d.catalogue.notSharedShare)}`,
      requests(d.corrections), requests(d.complaints),
    ]))) : h('p', { id: 'report-none' }, '本期无记录 / nothing in the period'),
    h('h4', {}, `逾期未更新的数据 / Datasets not updated at their cycle (${report.staleDatasets.length})`),
    report.staleDatasets.length ? h('div', { id: 'report-stale' }, freshnessTable(report.staleDatasets))
      : h('p', {}, '无 / none')];
}

/** 目录合规报告 (catalog-service): submissions, 2-WD reviews, 10(+5)-WD updates, returns, shares. */
function catalogSection(report, query) {
  return [h('h3', {}, '目录 / Catalogue (条例第十六条、第十七条)'),
    h('p', { class: 'meta', id: 'catalog-report-scope' }, `区划 / region ${report.region || '全部 / all'}`
      + `${report.includeSubregions ? ' 含下级区划 / with subregions' : ''} · ${report.from} – ${report.to} · `
      + `截至 / as of ${report.asOf}`),
    downloads(CATALOG, query, 'catalog-report', 'catalog-compliance', report),
    report.departments.length ? h('div', { id: 'catalog-report-departments' }, table(['部门 / department',
      '区划 / region', '报送 / submitted', '审核（2个工作日） / reviews (2 WD)',
      '更新（10个工作日） / updates (10 WD)', '延期 / extended', '退回修改 / returned', '已发布 / published', '无条件 / unconditional',
      '有条件 / conditional', '不予共享 / not shared'], report.departments.map((d) => [
      departmentCell(d.departmentCode), d.regionCode ? regionCell(d.regionCode) : '—', String(d.submissions),
      timeliness(d.reviews),
      timeliness(d.updates),
      String(d.extensions), String(d.returns), String(d.shares.published), String(d.shares.unconditional),
      String(d.shares.conditional), String(d.shares.notShared),
    ]))) : h('p', { id: 'catalog-report-none' }, '本期无记录 / nothing in the period'),
    providerNameFindings(report.providerNameFindings || [])];
}

/**
 * The drafts naming their provider (信息资源提供方) otherwise than the department register: each is refused at
 * submission until its editor corrects the name, so the 主管部门 sees which entries wait on that, and opens them.
 */
function providerNameFindings(findings) {
  return [h('h4', {}, `提供方名称与部门名录不符的草稿 / Drafts naming the provider otherwise than the department `
    + `register (${findings.length})`),
  findings.length ? h('div', { id: 'catalog-report-findings' },
    h('p', { class: 'meta' }, '报送审核前须由本部门编目人员将提供方改为部门名录中的名称。 / Each is refused at submission '
      + 'until its editor gives the provider\'s name as the register has it.'),
    table(['目录 / entry', '状态 / state', '部门 / department', '草稿中的提供方 / provider in the draft',
      '部门名录中的名称 / name in the register', '区划 / region'], findings.map((f) => [
      h('a', { href: `#/entries/${f.entryId}`, class: 'finding-entry' }, f.name || `#${f.entryId}`),
      label(ENTRY_STATES, f.state), departmentCell(f.departmentCode), f.providerDepartmentName || '—',
      f.registeredName || h('em', { class: 'overdue' }, '部门名录中无此部门 / not in the register'),
      f.regionCode ? regionCell(f.regionCode) : '—'])))
    : h('p', { id: 'catalog-report-no-findings' }, '无 / none')];
}

/**
 * 合规报告: the exchange's report beside the catalogue's (主管部门 reviewers, auditors and admins read both). The switch
 * includes the regions below in both (a city's counties), each row naming its department's region.
 */
async function reportView(params) {
  const query = new URLSearchParams();
  for (const key of ['from', 'to', 'region']) if (params.get(key)) query.set(key, params.get(key));
  const subregions = params.get('includeSubregions') === 'true';
  if (subregions) query.set('includeSubregions', 'true');
  const readsExchange = competentReviewer() || has('auditor', 'admin');
  const [exchange, catalog] = await Promise.all([
    readsExchange ? settled(api('GET', `${EXCHANGE}/compliance-report?${query}`)) : null,
    settled(api('GET', `${CATALOG}/compliance-report?${query}`))]);
  const shown = (exchange && exchange.value) || catalog.value || {};
  show(h('h2', {}, '合规报告 / Compliance report'),
    filterForm('report-filter', REPORT, params, [
      field('from', '自 / from', h('input', { type: 'date', name: 'from', value: shown.from || '' })),
      field('to', '至 / to', h('input', { type: 'date', name: 'to', value: shown.to || '' })),
      has('auditor', 'admin') ? field('region', '区划代码（空为全部） / region (empty: all)',
        h('input', { name: 'region', value: shown.region || '' })) : null,
      h('label', { class: 'check', 'data-field': 'includeSubregions' },
        h('input', { type: 'checkbox', name: 'includeSubregions', id: 'include-subregions', checked: subregions }),
        ' 含下级区划 / with the regions below')]),
    h('div', { class: 'reports', id: 'reports' },
      exchange ? h('section', { id: 'exchange-report' },
        exchange.error ? [h('h3', {}, '共享 / Exchange'), refusal('report-error', exchange.error)]
          : exchangeSection(exchange.value, query)) : null,
      h('section', { id: 'catalog-report' },
        catalog.error ? [h('h3', {}, '目录 / Catalogue'), refusal('catalog-report-error', catalog.error)]
          : catalogSection(catalog.value, query))));
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
    items.length ? h('div', { id: 'datasets' }, freshnessTable(items))
      : emptyList(params, DATASETS, null, 'datasets-none', [], total),
    pager(params, DATASETS, items.length, total));
}

export const SUPERVISION_SECTIONS = [
  { hash: REPORT, text: '合规报告 / Compliance', when: () => competentReviewer() || has('auditor', 'admin'),
    render: (id, sub, params) => reportView(params) },
  { hash: DATASETS, text: '数据更新 / Freshness', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: (id, sub, params) => datasetsView(params) },
];
