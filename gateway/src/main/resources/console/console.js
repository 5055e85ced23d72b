// 一网通办 控制台 / the suite's web console.
// Every call goes to the suite's APIs through the gateway with the session cookie; the gateway relays the user's
// access token, so each service applies its own rules to the user. The page builds its DOM from text nodes only
// (no innerHTML with data), and the gateway's Content-Security-Policy allows no inline script or style.

import {
  CATALOG, EXCHANGE, IDENTITY, state, has, competentReviewer, label, h, highlighted, table, field, select, notify, show, ApiError,
  Superseded, api, apiPage, showProblem, act, thenShow, departmentName, departmentCell, today, beijingTime,
  actionForm, pager, filterForm, emptyList, PAGE_SIZE, due, values, failure, newKey, count, registerSections, sectionOf,
  ENTRY_STATES as STATES, regionName, regionCell, COVERT_PERIOD, confirmFirst,
} from './ui.js';
import { ACTOR_ROLES, ADMIN_SECTIONS } from './admin.js';
import { CITIZEN_SECTIONS, EXCHANGE_SECTIONS, REQUEST_STATUS } from './exchange.js';
import { SELF_SECTIONS } from './selfservice.js';
import { USAGE_SECTIONS } from './usage.js';
import { SUPERVISION_SECTIONS } from './supervision.js';
import { CORRECTION_SECTIONS } from './corrections.js';
import { INBOX_SECTIONS, NOTICES_SECTION } from './inbox.js';

// ------------------------------------------------------------------ vocabularies (zh-CN / en)

// The catalogue's own automatic steps (a deadline counted again after a calendar change) are recorded under its own
// name with the role system; a department system's steps carry its client's name.
const CATALOGUE_ITSELF = 'catalog-service';
/** Who took a step of an entry's history, in words: a name and role, or the catalogue itself. */
export const stepActor = (ev) => `${ev.actorName || ev.actor}${!ev.actorRole ? ''
  : ` (${ev.actor === CATALOGUE_ITSELF && ev.actorRole === 'system' ? '系统自动 / automatic, by the catalogue'
    : label(ACTOR_ROLES, ev.actorRole)})`}`;
const SHARE = { UNCONDITIONAL: '无条件共享 / unconditional', CONDITIONAL: '有条件共享 / conditional',
  NOT_SHARED: '不予共享 / not shared' };
const OPEN = { OPEN: '向社会开放 / open', NOT_OPEN: '不向社会开放 / not open' };
const RESOURCE_CLASS = { BASE: '基础信息资源 / base', THEMATIC: '主题信息资源 / thematic',
  DEPARTMENT: '部门信息资源 / departmental' };
const FORMAT_CLASS = { DATABASE: '数据库 / database', ELECTRONIC_FILE: '电子文件 / file',
  SPREADSHEET: '电子表格 / spreadsheet', IMAGE: '图形图像 / image', STREAMING_MEDIA: '流媒体 / streaming',
  SELF_DESCRIBING: '自描述格式 / self-describing', SERVICE_INTERFACE: '服务接口 / service interface' };
const DATA_TYPE = { C: '字符型 / character', N: '数值型 / numeric', Y: '货币型 / currency', D: '日期型 / date',
  T: '日期时间型 / date-time', L: '逻辑型 / logical', M: '备注型 / memo', G: '通用型 / general', B: '双精度型 / double',
  I: '整型 / integer', F: '浮点型 / float' };
const METHOD_CLASS = { PLATFORM: '共享平台方式 / platform', OTHER: '其他方式 / other' };
const METHOD_TYPE = { API: '接口 / API', DATABASE: '数据库 / database', FILE: '文件 / file' };
const CYCLE = { REAL_TIME: '实时 / real time', DAILY: '每日 / daily', WEEKLY: '每周 / weekly',
  MONTHLY: '每月 / monthly', QUARTERLY: '每季度 / quarterly', YEARLY: '每年 / yearly' };
const GRADE = { LEVEL_1: '一般数据1级 / general, level 1', LEVEL_2: '一般数据2级 / general, level 2',
  LEVEL_3: '一般数据3级 / general, level 3', LEVEL_4: '一般数据4级 / general, level 4',
  IMPORTANT: '重要数据 / important', CORE: '核心数据 / core' };
const LEGAL_BASIS = { LAW: '法律 / law', ADMINISTRATIVE_REGULATION: '行政法规 / administrative regulation',
  STATE_COUNCIL_DECISION: '国务院决定 / State Council decision' };
export const ACTIONS = { CREATE: '创建 / created', EDIT: '修改 / edited', ASSESSMENT_SECRECY: '保密风险评估 / secrecy assessed',
  ASSESSMENT_PERSONAL_INFORMATION: '个人信息保护影响评估 / PI impact assessed',
  HEAD_APPROVAL: '部门负责人审核 / approved by the head', SUBMIT: '报送审核 / submitted', RETURN: '退回 / returned',
  RECALL: '撤回报送 / submission recalled', DISCARD: '删除草稿 / draft deleted',
  APPROVE: '审核通过 / approved', PUBLISH: '发布 / published', CHANGE: '发起变更 / change started',
  START_CHANGE: '发起变更 / change started', EXTEND_CHANGE: '延长变更期限 / change period extended',
  FILE_CHANGE_RECORD: '变更备案 / change record filed', ACCEPT_CHANGE_FILING: '接受变更备案 / change record accepted',
  REQUEST_DEREGISTRATION: '申请注销 / deregistration asked', FILE_RECORD: '注销备案 / deregistration record filed',
  ACCEPT_FILING: '接受注销备案 / deregistration record accepted', DEREGISTER: '注销 / deregistered',
  REJECT_DEREGISTRATION: '驳回注销 / deregistration refused', RECLASSIFY: '重新分类 / reclassified',
  WITHDRAW_APPROVAL: '撤回部门负责人审核，须重新审核 / head approval withdrawn',
  DROP_RESOURCE_CODE: '分类更正，未发布的资源代码作废 / unpublished resource code dropped',
  RECOUNT_DEADLINE: '工作日历调整，期限重新计算 / deadline counted again' };
const DIFF_KIND = { ADDED: '新增 / added', REMOVED: '删除 / removed', CHANGED: '修改 / changed' };
const FACETS = { shareAttribute: ['共享属性 / sharing', SHARE], openAttribute: ['开放属性 / opening', OPEN],
  resourceClass: ['资源分类 / class', RESOURCE_CLASS], provider: ['提供方 / provider', null],
  region: ['行政区划 / region', null], updateCycle: ['更新周期 / update cycle', CYCLE] };

// ------------------------------------------------------------------ the user and the sections

// A department's 通知 is drawn by inbox.js, as 我的通知 is, among the exchange's sections: after the heads' work lists.
const NOTICES_AFTER = EXCHANGE_SECTIONS.findIndex((s) => s.hash === '#/answer-approvals') + 1;
const EXCHANGE_WORK = [...EXCHANGE_SECTIONS.slice(0, NOTICES_AFTER), NOTICES_SECTION,
  ...EXCHANGE_SECTIONS.slice(NOTICES_AFTER)];

const SECTIONS = [
  ...CITIZEN_SECTIONS,
  // The department head approves the department's drafts (R4, 条例 Art. 13) with their own account.
  { hash: '#/head-approvals', text: '待我审核的目录 / Entries awaiting my approval', when: () => has('head') },
  { hash: '#/entries', text: '本部门目录 / Our catalogue', when: () => has('catalog-editor') },
  { hash: '#/review', text: '审核发布 / Review', when: () => has('reviewer') },
  { hash: '#/all-entries', text: '全部目录 / All entries', when: () => has('admin', 'auditor') },
  ...EXCHANGE_WORK,
  ...CORRECTION_SECTIONS,
  ...INBOX_SECTIONS,
  ...USAGE_SECTIONS,
  ...SUPERVISION_SECTIONS,
  ...ADMIN_SECTIONS,
  { hash: '#/search', text: '目录检索 / Search', when: () => true },
  // Last, so that everyone's first section is their work (or, for citizens, who used their data).
  ...SELF_SECTIONS,
];
// Sections of the other modules render themselves: render(id, sub, query parameters).
const MODULE_SECTIONS = [...CITIZEN_SECTIONS, ...SELF_SECTIONS, ...EXCHANGE_WORK, ...USAGE_SECTIONS,
  ...SUPERVISION_SECTIONS, ...ADMIN_SECTIONS, ...CORRECTION_SECTIONS, ...INBOX_SECTIONS];
registerSections(SECTIONS);

function renderNav() {
  const nav = document.getElementById('nav');
  const visible = SECTIONS.filter((s) => s.when());
  // The one section the address is in ('#/usage-log/witnesses' marks its own entry, not '#/usage-log' as well).
  const current = sectionOf(location.hash, visible);
  nav.replaceChildren(h('ul', {}, visible.map((s) => h('li', {},
    h('a', { href: s.hash, 'aria-current': s === current ? 'page' : null }, s.text, s.badge && s.badge())))));
}

async function route() {
  state.routeSeq += 1;
  if (!location.hash) {
    // The first section in the address too, so that the browser's back button returns to it.
    window.history.replaceState(null, '', SECTIONS.find((s) => s.when()).hash);
  }
  const hash = location.hash;
  renderNav();
  const pending = state.nextNotice;
  state.nextNotice = null;
  notify('', 'info');
  const [, section, id, sub] = hash.match(/^#\/([a-z-]+)(?:\/([^/?]+))?(?:\/([a-z-]+))?/) || [];
  const query = new URLSearchParams(hash.split('?')[1] || '');
  try {
    // Only a department's editors create and edit its entries: for anyone else these addresses (typed, bookmarked)
    // lead to their own first section, as an unknown one does, instead of a form the service would refuse.
    const editing = section === 'entries' && (!id || id === 'new' || sub === 'edit');
    if (editing && !has('catalog-editor')) location.hash = SECTIONS.find((s) => s.when()).hash;
    else if (section === 'search') await searchView(query);
    else if (section === 'entries' && id === 'new') await entryForm();
    else if (section === 'entries' && id && sub === 'edit') await entryForm(Number(id));
    else if (section === 'entries' && id) await entryView(Number(id));
    else if (section === 'entries') await entryList('本部门目录 / Our catalogue', '#/entries', query);
    else if (section === 'all-entries') await entryList('全部目录 / All entries', '#/all-entries', query);
    else if (section === 'head-approvals') await headApprovalList(query);
    else if (section === 'review') await reviewView(id, query);
    else {
      const module = MODULE_SECTIONS.find((s) => s.hash === '#/' + section && s.when());
      if (module) await module.render(id && decodeURIComponent(id), sub, query);
      else location.hash = SECTIONS.find((s) => s.when()).hash;
    }
    if (pending) notify(pending, 'ok');
  } catch (e) {
    if (e instanceof Superseded) return;
    show(h('p', {}, '无法加载 / could not load'));
    if (e instanceof ApiError) showProblem(e);
    else notify(failure(e), 'error');
  }
}

// ------------------------------------------------------------------ search (目录检索)

async function searchView(params) {
  const q = params.get('q') || '';
  const input = h('input', { type: 'search', name: 'q', value: q, placeholder: '例如：社保、公积金、户籍 / e.g. 社保' });
  const form = h('form', { class: 'search', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    const next = new URLSearchParams(params);
    next.set('q', input.value.trim());
    location.hash = '#/search?' + next.toString();
  } }, input, h('button', { type: 'submit' }, '检索 / Search'));
  const query = new URLSearchParams(params);
  query.set('size', '20');
  query.set('facets', 'true');
  const filters = [...params.entries()].filter(([k]) => FACETS[k]);
  const chips = filters.length ? h('p', { class: 'filters' }, '筛选 / filters: ', filters.map(([k, v]) => {
    const next = new URLSearchParams(params);
    next.delete(k);
    // "×" alone is read as "times": the link says it removes the filter
    return h('a', { href: '#/search?' + next, class: 'chip' }, facetValue(k, FACETS[k][1], v), ' ',
      h('span', { 'aria-hidden': 'true' }, '×'), h('span', { class: 'visually-hidden' }, '（移除筛选 / remove filter）'));
  })) : null;
  let result;
  try {
    result = await api('GET', `${CATALOG}/search?${query}`);
  } catch (e) {
    // an ended session is the router's (the way to log in again), as is a failure that is not the service's answer
    if (!(e instanceof ApiError) || e.status === 401) throw e;
    // A query the service refuses (too long, a bad filter in a kept address): the form stays, with what was typed,
    // and the service's reason below it, so that the user corrects the query and searches again.
    show(h('h2', {}, '目录检索 / Search the catalogue'), form, chips, searchProblem(e, params, input));
    showProblem(e);
    return;
  }
  const facetBlocks = Object.entries(result.facets || {}).filter(([dim, counts]) => FACETS[dim] && counts.length)
    .map(([dim, counts]) => {
      const [title, vocabulary] = FACETS[dim];
      return h('section', { class: 'facet' }, h('h3', {}, title), h('ul', {}, counts.map((c) => {
        const next = new URLSearchParams(params);
        next.set(dim, c.value);
        return h('li', {}, h('a', { href: '#/search?' + next }, facetValue(dim, vocabulary, c.value)), ` (${c.count})`);
      })));
    });
  const list = h('ol', { id: 'hits' }, (result.hits || []).map(hitItem));
  // Further hits a page at a time, after the last one shown (the service's cursor), under the same query.
  let cursor = result.nextCursor;
  const more = h('button', { type: 'button', id: 'more-hits', onclick: () => act(more, async () => {
    const page = new URLSearchParams(query);
    page.set('facets', 'false');
    page.set('cursor', cursor);
    return api('GET', `${CATALOG}/search?${page}`);
  }, (next) => {
    list.append(...(next.hits || []).map(hitItem));
    cursor = next.nextCursor;
    if (!anyLeft()) more.remove();
  }) }, '更多结果 / more results');
  // The cursor comes with every full page; the total says whether anything is left.
  const anyLeft = () => cursor && list.children.length < result.total;
  show(h('h2', {}, '目录检索 / Search the catalogue'), form, chips,
    searchHints(result, q),
    h('p', { id: 'total' }, `共 ${count(result.total)} 条 / ${count(result.total)} entries`),
    result.total === 0 ? await noHits(params, q, filters) : null,
    h('div', { class: 'columns' }, h('aside', {}, facetBlocks), h('div', {}, list, anyLeft() ? more : null)));
  // like every section, the focus is on the heading (show): the search box is the next stop, the count is read on
}

/**
 * Why a query was refused, under the search form: the field the service named (the query, or a filter of the
 * address) and its message; a bad filter comes with a link that searches again without it.
 */
function searchProblem(error, params, input) {
  const problem = error.problem || {};
  const name = problem.field || '';
  const facet = FACETS[name];
  const what = name === 'q' ? '检索词 / query' : facet ? `筛选条件“${facet[0]}” / the filter ${facet[0]}` : name;
  if (name === 'q') {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'search-problem');
  }
  const without = new URLSearchParams(params);
  without.delete(name);
  return h('div', { id: 'search-problem', class: 'search-problem' },
    h('p', { class: 'overdue' }, what ? `${what}：${error.message}` : error.message),
    facet ? h('p', {}, h('a', { href: '#/search?' + without, class: 'chip', id: 'drop-bad-filter' },
      '去掉此筛选条件后检索 / search without this filter')) : null);
}

/**
 * A search without a hit, in words: nothing about the query; with filters set, that the filters may be why (how many
 * entries the query finds without them) and a button clearing them, as the console's other filtered lists have.
 */
async function noHits(params, q, filters) {
  const plain = q ? `未找到与“${q}”相关的目录，请换用其他检索词 / nothing in the catalogue matches “${q}”: try other `
    + 'words' : '暂无可检索的目录 / there is no entry to search yet';
  if (!filters.length) return h('p', { id: 'no-hits', class: 'empty' }, plain);
  const unfiltered = new URLSearchParams();
  if (q) unfiltered.set('q', q);
  unfiltered.set('size', '1');
  unfiltered.set('facets', 'false');
  const without = await api('GET', `${CATALOG}/search?${unfiltered}`).then((r) => r.total).catch((e) => {
    if (e instanceof Superseded) throw e;
    return null;
  });
  const why = without === 0 ? '不加筛选条件也未找到 / nothing without the filters either'
    : without ? `筛选条件可能限制过多；不加筛选条件可找到 ${count(without)} 条 / the filters may be too narrow: without `
      + `them the query finds ${count(without)} entries` : '筛选条件可能限制过多 / the filters may be too narrow';
  return h('div', { id: 'no-hits-filtered' }, emptyList(params, '#/search', plain, 'no-hits', ['q']),
    h('p', { id: 'hits-without-filters', class: 'meta' }, why));
}

/**
 * How the service read the query, in words: the query whose hits these are when it corrected a commonly confused
 * character (户藉 → 户籍), that the hits match only in part, and the words it left out (查询, 我的).
 */
function searchHints(result, typed) {
  const ignored = result.ignoredWords || [];
  return h('div', { id: 'search-hints' },
    result.correctedQuery ? h('p', { id: 'search-corrected', class: 'search-hint' }, `已按 ${result.correctedQuery} 检索`
      + `（您输入的是 ${typed}） / showing results for ${result.correctedQuery} (you typed ${typed})`) : null,
    result.partial ? h('p', { id: 'search-partial', class: 'search-hint' }, '没有完全匹配的结果，以下为部分匹配 / no entry '
      + 'matches the whole query: these match part of it') : null,
    ignored.length ? h('p', { id: 'search-ignored', class: 'meta' }, `已忽略：${ignored.join('、')} / left out of the `
      + `search: ${ignored.join(', ')}`) : null);
}

/** A facet's value in words: its vocabulary's label, a region by its name beside its code. */
function facetValue(dim, vocabulary, value) {
  return dim === 'region' ? regionCell(value) : label(vocabulary, value);
}

function hitItem(hit) {
  return h('li', { class: 'hit' },
    h('a', { href: `#/entries/${hit.id}` }, highlighted(hit.nameHighlight || hit.name)),
    h('span', { class: 'code' }, hit.resourceCode),
    h('p', {}, highlighted(hit.abstractHighlight)),
    h('p', { class: 'meta' }, hit.providerDepartmentName, ' · ', label(SHARE, hit.shareAttribute), ' · ',
      label(OPEN, hit.openAttribute), ' · ', label(CYCLE, hit.updateCycle)));
}

// ------------------------------------------------------------------ entries (目录条目)

/** A work list: filtered by state (and, for those who see several departments, provider), a page at a time. */
async function entryList(title, base, params) {
  const query = new URLSearchParams();
  for (const key of ['state', 'provider', 'page']) if (params.get(key)) query.set(key, params.get(key));
  query.set('size', String(PAGE_SIZE));
  // The service counts every entry matching the filter (X-Total-Count): the total, and a next page only if one is left.
  const { items: entries, total } = await apiPage(`${CATALOG}/entries?${query}`);
  const filters = filterForm('entry-filters', base, params, [
    field('state', '状态 / state', select('state', STATES, null, '全部 / all')),
    has('catalog-editor') ? null : field('provider', '提供方统一社会信用代码 / provider code',
      h('input', { name: 'provider', size: 18 })),
  ]);
  show(h('h2', {}, title),
    has('catalog-editor') ? h('p', {}, h('a', { href: '#/entries/new', class: 'button', id: 'new-entry' },
      '新建目录 / New entry')) : null,
    spreadsheets(),
    filters,
    entries.length ? entryTable(entries) : emptyList(params, base, '暂无目录 / no entries', 'no-entries', [], total),
    pager(params, base, entries.length, total));
}

const SHEETS = `${CATALOG}/spreadsheets/entries`;
const SHEET_TYPES = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', csv: 'text/csv' };
// What became of each entry of an imported sheet (SpreadsheetService.Outcome): its label and what to do about it.
const OUTCOME = { CREATED: '新建草稿 / created', UPDATED: '已更新草稿 / updated', SKIPPED: '未变 / skipped',
  CONFLICT: '冲突，未导入 / conflict, not applied' };
const OUTCOME_ADVICE = {
  CREATED: '已按表新建草稿：录入保密和个人信息评估、经部门负责人审核后报送 / a new draft from the sheet: record the two '
    + 'assessments and the head\'s approval, then submit it',
  UPDATED: '草稿已按表更新；内容有变化时此前的评估和负责人审核已撤回，需重新办理 / the draft now holds the sheet\'s content; '
    + 'if it changed, the assessments and the head\'s approval were withdrawn: record them again',
  SKIPPED: '条目保持原样，原因见说明；如确需修改，按说明处理（已发布的条目先发起变更，手工制作的表请改用导出的表）后重新导入 / '
    + 'the entry is left as it was, for the reason given; to change it, act on that reason (start a change on a '
    + 'published entry, use an exported sheet rather than a hand-made one) and import again',
  CONFLICT: '导出后该条目已被修改（编辑、评估、审核或另一次导入），为免覆盖未导入：请重新导出，在新导出的表中重做修改后再导入 / '
    + 'the entry changed after the export (an edit, an assessment, an approval or another import) and was not '
    + 'applied, so as not to undo that: export it again, redo the change in the new sheet and import that',
};

/**
 * 目录导入导出: the entries as a spreadsheet (published ones, plus the drafts the caller may see); for editors an
 * import of their department's entries as drafts, for admins an import on behalf of a department chosen from the
 * department register (代部门导入) — all or nothing unless partial, with what became of each row.
 */
function spreadsheets() {
  const editor = has('catalog-editor');
  const own = editor ? `&provider=${encodeURIComponent(state.me.department || '')}` : '';
  const links = h('p', { id: 'sheet-export' }, '导出 / export: ',
    h('a', { href: `${SHEETS}?format=xlsx${own}`, download: 'catalogue.xlsx', class: 'chip' }, 'Excel (.xlsx)'),
    h('a', { href: `${SHEETS}?format=csv${own}`, download: 'catalogue.csv', class: 'chip' }, 'CSV'));
  if (!editor && !has('admin')) return links;
  // an admin imports for the department picked; one who is also an editor may leave it at their own
  const picker = has('admin') ? departmentPicker(editor) : null;
  const report = h('div', { id: 'import-report' });
  const form = h('form', { id: 'import-form', class: 'action wide' },
    h('h4', {}, picker ? '代部门导入目录 / Import entries for a department' : '导入目录 / Import entries'),
    picker,
    field('file', '文件（.xlsx 或 .csv，表头同导出） / file (.xlsx or .csv, headers as exported)',
      h('input', { type: 'file', name: 'file', accept: '.xlsx,.csv' })),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'partial' }),
      ' 只导入无误的条目 / import the valid entries, report the rest'),
    h('button', { type: 'submit' }, '导入 / Import'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const file = form.elements.file.files[0];
    const provider = picker ? form.elements.provider.value : '';
    if (picker && !editor && !provider) {
      notify('请选择代为导入的部门 / choose the department to import for', 'error');
      form.elements.provider.focus();
      return;
    }
    if (!file) {
      notify('请选择文件 / choose a file', 'error');
      return;
    }
    const type = SHEET_TYPES[file.name.split('.').pop().toLowerCase()] || file.type;
    const target = provider ? `&provider=${encodeURIComponent(provider)}` : '';
    act(form.querySelector('button[type=submit]'), () => api('POST',
      `${SHEETS}?partial=${form.elements.partial.checked}${target}`, file, { 'Content-Type': type }).catch((e) => {
      // All or nothing: the row-by-row report of why nothing was stored.
      if (e instanceof ApiError) report.replaceChildren(h('div', {}, importProblems(e.problem.rows || [])));
      throw e;
    }), async (result) => {
      const name = await departmentName(result.provider);
      report.replaceChildren(h('div', {}, importReport(result, name)));
      notify(`导入完成（${name}） / imported for ${name}: 新建 ${result.created} · 更新 ${result.updated} · 未变 `
        + `${result.skipped}` + (result.conflicts ? ` · 冲突 ${result.conflicts}` : '')
        + ((result.problems || []).length ? ` · 有问题 ${result.problems.length}` : ''), 'ok');
    }, form);
  });
  return h('section', { class: 'actions' }, links, form, report);
}

/**
 * The department an admin imports for: the register's active departments (identity-service), found by name or code
 * as typed (full-width digits and letters too) and chosen from the list; ownToo: empty means the admin's own.
 */
function departmentPicker(ownToo) {
  const search = h('input', { type: 'search', name: 'providerSearch', autocomplete: 'off',
    placeholder: '名称或统一社会信用代码 / name or code' });
  const choice = h('select', { name: 'provider', id: 'import-provider' },
    h('option', { value: '' }, '载入部门名录… / loading the departments…'));
  let departments = [];
  const fold = (text) => String(text || '').normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  const fill = () => {
    const q = fold(search.value);
    const kept = choice.value;
    const shown = departments.filter((d) => !q || [d.name, d.code, d.nameEn].some((t) => fold(t).includes(q)));
    const only = q && shown.length === 1 ? shown[0].code : null;
    choice.replaceChildren(h('option', { value: '' }, ownToo ? '本部门 / my own department'
      : `请选择（${shown.length} 个部门） / choose one (${shown.length} departments)`),
    ...shown.map((d) => h('option', { value: d.code, selected: d.code === (only || kept) }, `${d.name}（${d.code}）`)));
  };
  search.addEventListener('input', fill);
  api('GET', `${IDENTITY}/departments`, undefined, undefined, true).then((list) => {
    departments = (list || []).filter((d) => d.active !== false);
    fill();
  }).catch(() => {
    choice.replaceChildren(h('option', { value: '' }, '部门名录暂不可用，请稍后刷新 / the department register did not '
      + 'answer: reload later'));
  });
  return [field('providerSearch', '查找部门 / find the department', search),
    field('provider', '代为导入的部门 / import for the department', choice,
      '部门名录中的在用部门；导入的条目属于该部门 / an active department of the register; the entries imported are '
        + 'that department\'s')];
}

function importReport(result, name) {
  return [h('p', { id: 'import-department' }, '导入部门 / imported for: ', h('strong', { title: result.provider }, name),
    ` (${result.provider})`, result.onBehalf ? ' · 代部门导入 / on the department\'s behalf' : null),
  table(['行 / row', '名称 / name', '结果 / outcome', '说明 / why', '处理 / what to do'], (result.rows || []).map((r) => [
    String(r.row), r.entryId ? h('a', { href: `#/entries/${r.entryId}` }, r.name || '') : r.name || '',
    h('span', { class: `outcome outcome-${r.outcome}`, title: r.outcome }, label(OUTCOME, r.outcome)),
    r.reason || '', OUTCOME_ADVICE[r.outcome] || ''])), (result.problems || []).length
    ? importProblems(result.problems) : null];
}

function importProblems(problems) {
  return problems.length ? [h('h4', {}, '未导入的行 / rows not imported'), table(['行 / row', '列 / column',
    '问题 / problem'], problems.map((p) => [String(p.row), p.column || p.field || '', p.message || '']))] : null;
}

function entryTable(entries) {
  return table(['名称 / name', '资源代码 / code', '状态 / state', '审核期限 / review due', '更新 / updated'],
    entries.map((e) => [h('a', { href: `#/entries/${e.id}` }, e.name), e.resourceCode || '—',
      h('span', { class: 'state state-' + e.state }, label(STATES, e.state)),
      e.reviewDue ? [due(e.reviewDue, e.dueProvisional), e.overdue ? h('strong', { class: 'overdue' }, ' 已超期 / overdue') : null] : '',
      beijingTime(e.updatedAt)]));
}

/**
 * 待我审核: the department's drafts with both assessments and no head approval yet (awaiting=head-approval), for the
 * department head, a page at a time.
 */
async function headApprovalList(params) {
  const page = Math.max(0, Number(params.get('page')) || 0);
  const { items, total } = await apiPage(`${CATALOG}/entries?awaiting=head-approval&size=${PAGE_SIZE}&page=${page}`);
  show(h('h2', {}, '待我审核 / Awaiting my approval'),
    h('p', { class: 'meta' }, '本部门已完成保密和个人信息评估、待部门负责人审核的目录草稿 / the department\'s drafts '
      + 'with both assessments, waiting for the head\'s approval'),
    h('section', { id: 'head-approvals' }, items.length ? entryTable(items)
      : h('p', { id: 'no-head-approvals' }, '暂无待审核的目录 / nothing awaits your approval'),
    pager(params, '#/head-approvals', items.length, total)));
}

/** The review queues, each a filter of the work list paged on its own (#/review/<queue>?page=n). */
const REVIEW_QUEUES = [
  { key: 'submitted', title: '待审核 / submitted', filter: 'state=SUBMITTED' },
  { key: 'approved', title: '待发布 / approved, to publish', filter: 'state=APPROVED' },
  // Deregistration requests (reviewed within 2 working days) and the 备案 of changes that narrow what is shared
  // (条例 Art. 27 ¶3) wait for the reviewer too.
  { key: 'deregistrations', title: '注销申请待审 / deregistration requests', filter: 'state=DEREGISTER_PENDING' },
  { key: 'change-filings', title: '变更备案待接收 / change filings awaiting acceptance',
    filter: 'changeFiling=AWAITING_ACCEPTANCE' },
];

async function reviewView(queue, params) {
  // The queue named in the address is on the page it asks for, the others on their first.
  const pageParams = (q) => (q.key === queue ? params : new URLSearchParams());
  const [overdue, ...queues] = await Promise.all([apiPage(`${CATALOG}/entries/overdue`),
    ...REVIEW_QUEUES.map((q) => apiPage(`${CATALOG}/entries?${q.filter}&size=${PAGE_SIZE}`
      + `&page=${Math.max(0, Number(pageParams(q).get('page')) || 0)}`))]);
  // Each list with the number the service counts, and a pager to reach the rest.
  const part = (id, title, { items, total }, pagerOf) => {
    const all = count(total ?? items.length);
    return h('section', { id }, h('h3', {}, `${title}（共 ${all} 条 / ${all} in all）`),
      items.length ? entryTable(items) : h('p', {}, '无 / none'), pagerOf ? pagerOf(items, total) : null);
  };
  show(h('h2', {}, '审核发布 / Review and publish'),
    h('p', {}, '本级行政区划 / your region: ', state.me.region || '—'),
    REVIEW_QUEUES.map((q, i) => part(`review-${q.key}`, q.title, queues[i],
      (items, total) => pager(pageParams(q), `#/review/${q.key}`, items.length, total))),
    // the overdue entries come all at once
    part('review-overdue', '超期 / past a statutory deadline', overdue));
  if (queue) document.getElementById(`review-${queue}`)?.scrollIntoView();
}

/**
 * Every field of an entry's content (the catalogue's EntryContent), in the order of the entry form, by the captions
 * the version comparison uses (FIELD_NAMES): the reviewer decides on what is shown here (R2: a conditional entry's
 * scope and purposes, a not-shared entry's reason and legal basis; R3, R23).
 */
const CONTENT_FIELDS = ['name', 'abstract', 'providerDepartmentName', 'providerDepartmentCode', 'regionCode',
  'keywords', 'classification.resourceClass', 'classification.category', 'classification.itemCode',
  'classification.catalogCode', 'classification.detailCode', 'dataCategory', 'grade', 'keyItem', 'shareAttribute',
  'shareConditions', 'shareScope', 'permittedPurposes', 'notSharedReason', 'notSharedLegalBasis.type',
  'notSharedLegalBasis.title', 'notSharedLegalBasis.article', 'shareMethod.methodClass', 'shareMethod.methodType',
  'openAttribute', 'openConditions', 'format.formatClass', 'format.formatType', 'updateCycle', 'relatedResourceCodes',
  'secret'];
// What R2 asks of each share attribute: shown as not given when missing, so the reviewer sees the gap.
const REQUIRED_BY_SHARE = { CONDITIONAL: ['shareConditions', 'shareScope', 'permittedPurposes'],
  NOT_SHARED: ['notSharedReason', 'notSharedLegalBasis.type', 'notSharedLegalBasis.title',
    'notSharedLegalBasis.article'] };
const NOT_GIVEN = '未填写 / not given';

const valueAt = (content, path) => path.split('.').reduce((x, key) => (x == null ? null : x[key]), content);
const given = (value) => value != null && value !== '' && !(Array.isArray(value) && !value.length);

/** The entry's content as the read view shows it: every field it has, each in the entry form's words. */
export function describe(content) {
  if (!content) return h('p', {}, '—');
  const c = content;
  const required = REQUIRED_BY_SHARE[c.shareAttribute] || [];
  const rows = CONTENT_FIELDS.filter((path) => given(valueAt(c, path)) || required.includes(path)).map((path) => {
    const value = valueAt(c, path);
    let shown = given(value) ? fieldValue(path, value) : h('em', { class: 'overdue' }, NOT_GIVEN);
    if (path === 'keyItem') {
      // the key item by its name too, as the data items below name it
      const item = (c.items || []).find((i) => i.code === value);
      if (item && item.name) shown = `${value}（${item.name}）`;
    }
    return [h('dt', { 'data-field': path }, fieldName(path)), h('dd', { 'data-field': path }, shown)];
  });
  return h('div', {}, h('dl', { class: 'entry-content' }, rows),
    h('h4', {}, '信息项 / data items'),
    table(['代码 / code', '名称 / name', '类型 / type', '长度 / length', '敏感 / sensitive', '数源 / authoritative',
      '说明 / description'],
    (c.items || []).map((i) => [i.code, i.name, label(DATA_TYPE, i.dataType), i.length ?? '',
      i.sensitive ? '是 / yes' : '', i.authoritativeSource ? '是 / yes' : '', i.description || ''])));
}

async function entryView(id) {
  const entry = await api('GET', `${CATALOG}/entries/${id}`);
  const mayEdit = has('catalog-editor') && entry.lockVersion != null && ['DRAFT', 'RETURNED', 'CHANGE_PENDING']
    .includes(entry.state);
  // Reviewers review the entries of their own region only (条例 Art. 16); others would be refused.
  const ownRegion = has('reviewer') && (entry.draft || entry.published || {}).regionCode === state.me.region;
  const awaitingReview = ownRegion && ['SUBMITTED', 'APPROVED'].includes(entry.state);
  const mayReview = awaitingReview && competentReviewer();
  // R4: the head of the provider department approves its drafts under work, with their own account.
  const mayApprove = has('head') && entry.lockVersion != null && ['DRAFT', 'RETURNED', 'CHANGE_PENDING']
    .includes(entry.state) && (entry.draft || {}).providerDepartmentCode === state.me.department;
  // 撤回报送: the department's editor takes a submission back while the reviewer has not acted on it yet
  const mayRecall = has('catalog-editor') && entry.lockVersion != null && entry.state === 'SUBMITTED'
    && (entry.draft || {}).providerDepartmentCode === state.me.department;
  const events = has('catalog-editor', 'head', 'reviewer', 'admin', 'auditor') && entry.lockVersion != null
    ? await api('GET', `${CATALOG}/entries/${id}/history`).catch((e) => {
      if (e instanceof Superseded) throw e;
      return [];
    }) : [];
  const reload = () => entryView(id);
  // The Art. 13 steps belong to a version under work; a published entry starts them again with its next change.
  const underWork = ['DRAFT', 'RETURNED', 'CHANGE_PENDING', 'SUBMITTED', 'APPROVED'].includes(entry.state);
  const showDraft = entry.lockVersion != null && entry.draft != null && (underWork || !entry.published);
  // done or to do is said in words too, not only by the mark (✓ / ○) and the border's colour
  const step = (done, id, ...text) => h('li', { class: done ? 'done' : 'todo', id }, ...text,
    h('span', { class: 'visually-hidden' }, done ? '（已完成 / done）' : '（待完成 / to do）'));
  const workflow = h('ul', { class: 'workflow' },
    step(entry.secrecyAssessment, null, '保密风险评估 / secrecy assessment'),
    step(entry.personalInformationAssessment, null, '个人信息保护影响评估 / personal information impact assessment'),
    step(entry.headApproval, 'head-approval-step', '部门负责人审核 / department head approval', entry.headApproval
        ? `：${entry.headApproval.approver || ''} · ${entry.headApproval.approvedOn || ''}` : ''));
  show(
    h('p', {}, h('a', { href: '#/search', onclick: (ev) => {
      if (window.history.length > 1) {
        ev.preventDefault();
        window.history.back();
      }
    } }, '← 返回 / back')),
    h('h2', { id: 'entry-name' }, entry.name),
    h('p', { class: 'meta' }, h('span', { id: 'entry-state', class: 'state state-' + entry.state },
      label(STATES, entry.state)), ` · ${entry.resourceCode || '未发布 / unpublished'}`,
    entry.versionLabel ? ` · 版本 / version ${entry.versionLabel}` : '',
    entry.reviewDue ? [' · 审核期限 / review due ', due(entry.reviewDue, entry.dueProvisional)] : '',
    entry.overdue ? h('strong', { class: 'overdue' }, ' 已超期 / overdue') : ''),
    entry.lockVersion != null && underWork ? workflow : null,
    mayEdit ? editorActions(entry, reload) : null,
    mayRecall ? recallAction(entry, reload) : null,
    mayApprove ? headActions(entry, events, reload) : null,
    mayReview ? reviewerActions(entry, reload) : null,
    ownRegion && !competentReviewer() && (awaitingReview || entry.state === 'DEREGISTER_PENDING'
      || changeUnderWay(entry)) ? h('p', { id: 'review-not-authority', class: 'meta' }, '审核决定由本级政务数据共享'
      + '主管部门的审核人作出。 / Review decisions are taken by the reviewers of the competent authority of the '
      + 'region.') : null,
    has('catalog-editor') && entry.state === 'PUBLISHED' && entry.lockVersion != null
      ? changeAction(entry, reload) : null,
    // the filings, the change extension and the deregistration are the 主管部门's decisions too
    lifecycle(entry, ownRegion && competentReviewer(), reload),
    mayRequest(entry) ? requestForm(entry) : null,
    h('h3', {}, showDraft ? '草稿内容 / draft' : '已发布内容 / published'),
    describe(showDraft ? entry.draft : entry.published),
    events.length ? [h('h3', {}, '办理记录 / history'), table(['时间 / at', '操作 / action', '人员 / by',
      '状态 / state', '意见 / opinion'], events.map((ev) => [beijingTime(ev.at),
      h('span', { class: 'entry-action', title: ev.action }, label(ACTIONS, ev.action)), stepActor(ev),
      `${label(STATES, ev.fromState) || '—'} → ${label(STATES, ev.toState)}`, ev.opinion || '']))] : null,
    entry.publishedVersion > 0 ? versionsSection(entry) : null);
}

function editorActions(entry, reload) {
  const base = `${CATALOG}/entries/${entry.id}`;
  const forms = [];
  forms.push(h('p', {}, h('a', { href: `#/entries/${entry.id}/edit`, class: 'button', id: 'edit-entry' },
    '修改草稿 / Edit draft')));
  for (const [kind, title, done] of [['secrecy', '保密风险评估 / Secrecy assessment', entry.secrecyAssessment],
    ['personal-information', '个人信息保护影响评估 / PI impact assessment', entry.personalInformationAssessment]]) {
    const fields = () => [
      ['reference', '评估报告编号 / report reference', h('input', { name: 'reference' })],
      ['conclusion', '评估结论 / conclusion', h('input', { name: 'conclusion' })],
      ['assessedOn', '评估日期 / date', h('input', { name: 'assessedOn', type: 'date', value: today(), max: today() })],
    ];
    if (!done) {
      forms.push(actionForm(`assessment-${kind}`, title, `${base}/assessments/${kind}`, fields(), '记录 / Record',
        reload));
      continue;
    }
    // A recorded assessment may be replaced (a corrected report); after the head's approval that withdraws it (R4).
    forms.push(h('details', { class: 'redo', id: `redo-assessment-${kind}` },
      h('summary', {}, `${title}：${done.reference || ''}（${done.conclusion || ''}） · 重新记录 / record anew`),
      entry.headApproval ? h('p', { class: 'meta' }, '重新记录将撤回部门负责人审核，须重新审核 / recording anew '
        + 'withdraws the head\'s approval') : null,
      actionForm(`assessment-${kind}-anew`, title, `${base}/assessments/${kind}`, fields(), '重新记录 / Record anew',
        reload)));
  }
  if (!entry.headApproval && entry.secrecyAssessment && entry.personalInformationAssessment) {
    // the head approves with their own account (待我审核); the editor waits for it
    forms.push(h('p', { id: 'awaiting-head', class: 'meta' }, '待部门负责人登录审核 / waiting for the department '
      + 'head to approve it with their own account'));
  }
  if (entry.headApproval) {
    forms.push(actionForm('submit-entry', '报送审核 / Submit for review', `${base}/submit`, [
      ['opinion', '报送说明 / note', h('input', { name: 'opinion', value: '报送审核' })],
    ], '报送 / Submit', reload));
  }
  // only a draft that was never published is deleted; a change of a published entry is not (the service says 409)
  if (entry.state === 'DRAFT' && !(entry.publishedVersion > 0)) forms.push(discardForm(entry));
  return h('section', { class: 'actions' }, forms);
}

/** A small form of one optional text (a note, a reason) and its button, the entry's own actions' shape. */
function noteForm(id, title, name, caption, button, send) {
  const form = h('form', { id, class: 'action' }, h('h4', {}, title),
    field(name, caption, h('input', { name, maxlength: 500 })), h('button', { type: 'submit' }, button));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    send(form, form.querySelector('button'));
  });
  return form;
}

/**
 * 撤回报送: back to the state it was submitted from, the review timer stopped; sent with the lockVersion read
 * (If-Match), so that a submission the reviewer has acted on meanwhile is not taken back unseen.
 */
function recallAction(entry, reload) {
  const title = '撤回报送 / Recall the submission';
  return h('section', { class: 'actions' }, noteForm('recall-entry', title, 'opinion',
    '撤回说明（可选） / note (optional)', '撤回 / Recall', (form, button) => act(button, () => api('POST',
      `${CATALOG}/entries/${entry.id}/recall`, values(form), { 'If-Match': String(entry.lockVersion) }),
    thenShow(reload, `${title}：已完成 / done`), form)));
}

/**
 * 删除草稿: a draft that was never published, deleted after a confirmation (it cannot be undone); its history stays
 * with the catalogue, its name is free again. Sent with the lockVersion read (If-Match), as a save is.
 */
function discardForm(entry) {
  const question = `确定删除草稿「${entry.name}」？删除后无法恢复。 / Delete the draft ${entry.name}? This cannot be undone.`;
  return noteForm('discard-entry', '删除草稿 / Delete the draft', 'reason', '删除原因（可选） / reason (optional)',
    '删除草稿 / Delete draft', (form, button) => confirmFirst(button, question, () => {
      const { reason } = values(form);
      const path = `${CATALOG}/entries/${entry.id}${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`;
      act(button, () => api('DELETE', path, undefined, { 'If-Match': String(entry.lockVersion) }), () => {
        state.nextNotice = `已删除草稿 / draft deleted: ${entry.name}`;
        location.hash = '#/entries';
      }, form);
    }));
}

/** The steps that prepare a draft: whoever took one since the entry was last published does not approve it (R4). */
const PREPARATION = ['CREATE', 'EDIT', 'ASSESSMENT_SECRECY', 'ASSESSMENT_PERSONAL_INFORMATION'];

/**
 * Whether the user prepared the draft under work — created or edited it, or recorded one of its assessments, since
 * the entry's last publication or reclassification — as the history tells (and the assessments on record, should the
 * history be unavailable). The service refuses such a head's approval (a head who also holds catalog-editor).
 */
function preparedByMe(entry, events) {
  const me = state.me.subject;
  const round = events.slice(events.map((ev) => ev.action).findLastIndex((a) => a === 'PUBLISH' || a === 'RECLASSIFY')
    + 1);
  return round.some((ev) => ev.actor === me && PREPARATION.includes(ev.action))
    || [entry.secrecyAssessment, entry.personalInformationAssessment].some((a) => a && a.recordedBy === me);
}

/**
 * 部门负责人审核: the head's opinion and date, sent with the lockVersion of the draft the head read (If-Match), so a
 * draft changed since is not approved unseen; the service takes the approver from the head's account.
 */
function headActions(entry, events, reload) {
  if (entry.headApproval || !entry.secrecyAssessment || !entry.personalInformationAssessment) return null;
  if (preparedByMe(entry, events)) {
    return h('p', { id: 'head-approval-prepared', class: 'meta' }, '您编制或评估了该草稿，编制或评估草稿的人员不能审核该草稿 / '
      + 'you prepared or assessed this draft: whoever prepared a draft cannot approve it');
  }
  // not before the later assessment, not after today (Beijing)
  const assessed = [entry.secrecyAssessment.assessedOn, entry.personalInformationAssessment.assessedOn]
    .filter(Boolean).sort().pop();
  const title = '部门负责人审核 / Department head approval';
  const fields = [
    ['opinion', '审核意见 / opinion', h('input', { name: 'opinion', value: '同意报送', maxlength: 500 })],
    ['approvedOn', '日期 / date', h('input', { name: 'approvedOn', type: 'date', value: today(), max: today(),
      min: assessed })],
  ];
  const form = h('form', { id: 'head-approval', class: 'action' }, h('h4', {}, title),
    fields.map(([name, text, input]) => field(name, text, input)), h('button', { type: 'submit' }, '审核同意 / Approve'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(form.querySelector('button'), () => api('POST', `${CATALOG}/entries/${entry.id}/head-approval`, values(form),
      { 'If-Match': String(entry.lockVersion) }), thenShow(reload, `${title}：已完成 / done`), form);
  });
  return h('section', { class: 'actions' }, form);
}

function reviewerActions(entry, reload) {
  const base = `${CATALOG}/entries/${entry.id}`;
  const opinion = (value) => [['opinion', '审核意见 / opinion', h('input', { name: 'opinion', value })]];
  return h('section', { class: 'actions' },
    entry.state === 'SUBMITTED'
      ? actionForm('approve-entry', '审核通过 / Approve', `${base}/approve`, opinion('同意'), '通过 / Approve', reload)
      : actionForm('publish-entry', '发布 / Publish', `${base}/publish`, opinion('统一通告发布'), '发布 / Publish',
        reload),
    actionForm('return-entry', '退回修改 / Return', `${base}/return`, opinion(''), '退回 / Return', reload));
}

function changeAction(entry, reload) {
  return h('section', { class: 'actions' }, actionForm('change-entry', '发起变更 / Start a change',
    `${CATALOG}/entries/${entry.id}/change`, [
      ['cause', '变更原因（法律或职责变化） / cause', h('input', { name: 'cause' })],
      // the service refuses a date after today in Beijing (the 10 working days run from it)
      ['triggeredOn', '发生日期 / date', h('input', { name: 'triggeredOn', type: 'date', value: today(),
        max: today() })],
    ], '发起 / Start', reload),
  actionForm('deregister-entry', '申请注销 / Ask to deregister', `${CATALOG}/entries/${entry.id}/deregistration`, [
    ['reason', '注销理由 / reason', h('input', { name: 'reason' })],
  ], '申请 / Ask', reload));
}

/** A change of a published entry is under way (the service's changeUnderWay). */
const changeUnderWay = (entry) => entry.publishedVersion > 0
  && ['CHANGE_PENDING', 'RETURNED', 'SUBMITTED', 'APPROVED'].includes(entry.state);

/**
 * 条例 Art. 27 ¶3: a change that narrows what is shared, and a deregistration, need the provider's 备案 (its
 * consultation with the departments holding grants) accepted by the 主管部门 while grants are active; the
 * reviewer also extends a change period once and decides a deregistration. The records so far, then what the
 * caller may do next.
 */
function lifecycle(entry, authority, reload) {
  const base = `${CATALOG}/entries/${entry.id}`;
  const editor = has('catalog-editor') && entry.lockVersion != null;
  const opinion = (value) => [['opinion', '意见 / opinion', h('input', { name: 'opinion', value })]];
  const filingField = [['filing', '备案内容（征求持有授权部门意见的情况） / the consultation with grant holders',
    h('textarea', { name: 'filing', rows: 3 })]];
  const records = [];
  const forms = [];
  const change = entry.changeFiling;
  if (change) {
    // who filed and who accepted: the history below names them
    records.push(['变更备案 / change filing', `${change.filing} — ${beijingTime(change.filedAt)}`
      + (change.filingAccepted ? ` · 已接受 / accepted ${beijingTime(change.acceptedAt)}` : ' · 待接受 / awaiting acceptance')]);
  }
  if (changeUnderWay(entry)) {
    if (entry.changeDue) {
      records.push(['变更期限 / change due', [due(entry.changeDue, entry.dueProvisional),
        entry.changeExtended ? ' (已延长 / extended)' : '']]);
    }
    if (editor && !(change && change.filingAccepted)) {
      forms.push(actionForm('change-filing', '变更备案 / File the change record', `${base}/change/filing`,
        filingField, '备案 / File', reload));
    }
    if (authority && change && !change.filingAccepted) {
      forms.push(actionForm('accept-change-filing', '接受变更备案 / Accept the change record',
        `${base}/change/filing-acceptance`, opinion('同意备案'), '接受 / Accept', reload));
    }
    if (authority && entry.changeDue && !entry.changeExtended && ['CHANGE_PENDING', 'RETURNED'].includes(entry.state)) {
      forms.push(actionForm('extend-change', '延长变更期限（5 个工作日，仅一次） / Extend the change period once',
        `${base}/change-extension`, opinion(''), '延长 / Extend', reload));
    }
  }
  const d = entry.deregistration;
  if (entry.state === 'DEREGISTER_PENDING' && d) {
    records.push(['注销理由 / deregistration', `${d.reason} — ${beijingTime(d.requestedAt)}`]);
    if (d.filing) {
      records.push(['注销备案 / filing', `${d.filing} — ${beijingTime(d.filedAt)}`
        + (d.filingAccepted ? ` · 已接受 / accepted ${beijingTime(d.acceptedAt)}` : ' · 待接受 / awaiting acceptance')]);
    }
    if (editor && !d.filingAccepted) {
      forms.push(actionForm('deregistration-filing', '注销备案 / File the record', `${base}/deregistration/filing`,
        filingField, '备案 / File', reload));
    }
    if (authority) {
      if (d.filing && !d.filingAccepted) {
        forms.push(actionForm('accept-deregistration-filing', '接受注销备案 / Accept the record',
          `${base}/deregistration/filing-acceptance`, opinion('同意备案'), '接受 / Accept', reload));
      }
      forms.push(actionForm('approve-deregistration', '注销 / Deregister', `${base}/deregistration/approval`,
        opinion('同意注销'), '注销 / Deregister', reload, undefined, { ask: `确定注销「${entry.name}」？注销后该目录`
          + '不再可检索和申请，不能撤销。 / Deregister this entry? It can no longer be found or requested, and this '
          + 'cannot be undone.' }),
      actionForm('reject-deregistration', '驳回注销 / Refuse', `${base}/deregistration/rejection`, opinion(''),
        '驳回 / Refuse', reload));
    }
  }
  if (has('admin') && entry.state === 'PUBLISHED') forms.push(reclassifyForm(entry, reload));
  return [records.length ? h('dl', { id: 'entry-records' }, records.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))
    : null, forms.length ? h('section', { class: 'actions' }, forms) : null];
}

/** 重新分类 (admin): a new classification gives the entry a new resource code; the old one stays known. */
function reclassifyForm(entry, reload) {
  const k = (entry.published && entry.published.classification) || {};
  const input = (name, value, size) => h('input', { name, value: value || '', size });
  const form = h('form', { id: 'reclassify-entry', class: 'action' }, h('h4', {}, '重新分类 / Reclassify'),
    field('classification.resourceClass', '资源分类 / class', select('resourceClass', RESOURCE_CLASS, k.resourceClass)),
    field('classification.category', '类别 / category', input('category', k.category)),
    field('classification.itemCode', '项代码 / item code (2 位)', input('itemCode', k.itemCode, 2)),
    field('classification.catalogCode', '目代码 / catalog code (3 位)', input('catalogCode', k.catalogCode, 3)),
    field('classification.detailCode', '细目代码 / detail code', input('detailCode', k.detailCode)),
    field('opinion', '理由 / reason', input('opinion', '')),
    h('button', { type: 'submit' }, '重新分类 / Reclassify'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (name) => form.elements[name].value.trim() || null;
    act(form.querySelector('button[type=submit]'), () => api('POST',
      `${CATALOG}/entries/${entry.id}/reclassification`, { classification: { resourceClass: v('resourceClass'),
        category: v('category'), itemCode: v('itemCode'), catalogCode: v('catalogCode'), detailCode: v('detailCode') },
      opinion: v('opinion') }), thenShow(reload, (done) => `已重新分类 / reclassified: ${done.resourceCode}`), form);
  });
  return form;
}

/** 版本: the published versions, and what changed between two of them, field by field. */
function versionsSection(entry) {
  const slot = h('div', { id: 'version-diff' });
  const section = h('section', { id: 'entry-versions' }, h('h3', {}, '版本 / versions'), h('p', {}, '…'));
  api('GET', `${CATALOG}/entries/${entry.id}/versions`).then((versions) => {
    const pick = (name, value) => h('select', { name }, versions.map((v) => h('option',
      { value: String(v.version), selected: v.version === value }, `${v.label} (${beijingTime(v.publishedAt, 'day')})`)));
    const from = pick('from', versions.length > 1 ? versions[versions.length - 2].version : versions[0].version);
    const to = pick('to', versions[versions.length - 1].version);
    const compare = h('button', { type: 'button', id: 'compare-versions', onclick: () => act(compare,
      () => api('GET', `${CATALOG}/entries/${entry.id}/diff?from=${from.value}&to=${to.value}`), (changes) => {
        slot.replaceChildren(changes.length ? table(['字段 / field', '变化 / change', '原值 / before', '新值 / after'],
          changes.map((ch) => [h('span', { title: ch.field }, fieldName(ch.field)), label(DIFF_KIND, ch.kind),
            fieldValue(ch.field, ch.before), fieldValue(ch.field, ch.after)]))
          : h('p', {}, '两个版本内容相同 / no difference'));
        notify(`版本比较 / compared: ${from.selectedOptions[0].textContent} → ${to.selectedOptions[0].textContent}`,
          'ok');
      }) }, '比较 / Compare');
    section.replaceChildren(h('h3', {}, '版本 / versions'),
      table(['版本 / version', '发布 / published', '发布机关 / published by'], versions.map((v) => [v.label
        + (v.major ? ' (重大 / major)' : ''), beijingTime(v.publishedAt), publisherCell(v)])),
      h('p', { class: 'decide' }, h('label', {}, '从 / from ', from), h('label', {}, '到 / to ', to), compare,
        h('a', { href: `${CATALOG}/dcat/entries/${entry.id}`, download: `entry-${entry.id}.ttl` },
          'DCAT-AP (Turtle)')),
      slot);
  }).catch((e) => {
    if (e instanceof Superseded) return;
    section.replaceChildren(h('h3', {}, '版本 / versions'), h('p', {}, '无法加载 / could not load'));
  });
  return section;
}

/**
 * Who published a version: the 主管部门 of its region (R5), and for reviewers, admins and auditors the publisher's
 * name as it was at publication. The service shows nobody the publisher's account.
 */
function publisherCell(version) {
  const code = version.publishingRegionCode;
  const body = h('span', { class: 'publisher', title: code || '' }, code ? `${code} 政务数据主管部门` : '—');
  if (code) {
    regionName(code).then((name) => {
      body.textContent = name === code ? `${code} 政务数据主管部门` : `${name}政务数据主管部门`;
    });
  }
  return [body, version.publishedByName ? ` · ${version.publishedByName}` : null];
}

// A version comparison in the words of the entry form: the service names fields by their JSON path
// (items[GMSFHM].length) and gives codes (WEEKLY) and lists as they are stored.
export const FIELD_NAMES = { name: '信息资源名称 / name', abstract: '摘要 / abstract', providerDepartmentName: '提供方 / provider',
  providerDepartmentCode: '提供方代码 / provider code', regionCode: '行政区划 / region', keywords: '关键字 / keywords',
  'classification.resourceClass': '资源分类 / class', 'classification.category': '类别 / category',
  'classification.itemCode': '项代码 / item code', 'classification.catalogCode': '目代码 / catalog code',
  'classification.detailCode': '细目代码 / detail code', dataCategory: '数据分类 / data category',
  grade: '数据分级 / grade', keyItem: '关键信息项 / key item', shareAttribute: '共享属性 / sharing',
  shareConditions: '共享条件 / conditions', shareScope: '共享范围 / scope',
  permittedPurposes: '使用用途 / permitted purposes', notSharedReason: '不予共享理由 / reason not shared',
  'notSharedLegalBasis.type': '不予共享依据类型 / legal basis type', 'notSharedLegalBasis.title': '依据名称 / legal basis',
  'notSharedLegalBasis.article': '条款 / article', 'shareMethod.methodClass': '共享方式分类 / method class',
  'shareMethod.methodType': '共享方式类型 / method type', openAttribute: '开放属性 / opening',
  openConditions: '开放条件 / opening conditions', 'format.formatClass': '格式分类 / format class',
  'format.formatType': '格式类型 / format type', updateCycle: '更新周期 / update cycle',
  relatedResourceCodes: '关联资源代码 / related resource codes', secret: '涉密 / secret' };
export const ITEM_FIELDS = { code: '代码 / code', name: '名称 / name', dataType: '类型 / type', length: '长度 / length',
  sensitive: '敏感 / sensitive', authoritativeSource: '数源 / authoritative', description: '说明 / description' };
const FIELD_VALUES = { shareAttribute: SHARE, openAttribute: OPEN, updateCycle: CYCLE, grade: GRADE,
  'classification.resourceClass': RESOURCE_CLASS, 'format.formatClass': FORMAT_CLASS,
  'shareMethod.methodClass': METHOD_CLASS, 'shareMethod.methodType': METHOD_TYPE,
  'notSharedLegalBasis.type': LEGAL_BASIS, dataType: DATA_TYPE };

export function fieldName(path) {
  const item = /^items\[([^\]]*)\](?:\.(.+))?$/.exec(path);
  if (item) return `信息项 / item ${item[1]}${item[2] ? ` · ${ITEM_FIELDS[item[2]] || item[2]}` : ''}`;
  return FIELD_NAMES[path] || path;
}

function fieldValue(path, value) {
  if (value == null || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.map((v) => fieldValue(path, v)).join('、') : '—';
  if (typeof value === 'boolean') return value ? '是 / yes' : '否 / no';
  // a whole data item added or removed
  if (typeof value === 'object') {
    return Object.entries(value).filter(([, v]) => v != null && v !== '')
      .map(([k, v]) => `${ITEM_FIELDS[k] || FIELD_NAMES[k] || k}: ${fieldValue(k, v)}`).join('；');
  }
  return String(label(FIELD_VALUES[path.replace(/^items\[[^\]]*\]\./, '')], value));
}

/** An operator of another department may ask for a live entry that is shared (条例: share by default). */
function mayRequest(entry) {
  const c = entry.published;
  return has('operator') && entry.live && c && c.shareAttribute !== 'NOT_SHARED'
    && c.providerDepartmentCode !== state.me.department && entry.resourceCode;
}

const DELIVERY = { API: '接口查询 / API lookups', BULK: '批量导出 / bulk export', FILE: '文件 / file',
  SUBSCRIPTION: '订阅 / subscription' };
/** The delivery methods the entry's 共享方式 covers (as the exchange checks them); all when it states none. */
const COVERED_DELIVERY = { API: ['API'], FILE: ['BULK', 'FILE'], DATABASE: ['BULK', 'FILE', 'SUBSCRIPTION'] };
function deliveryMethods(c) {
  const covered = COVERED_DELIVERY[c.shareMethod && c.shareMethod.methodType];
  return covered ? Object.fromEntries(covered.map((m) => [m, DELIVERY[m]])) : DELIVERY;
}

/** 共享申请: the items wanted (minimisation: none preselected), purpose, legal basis, period, attestation. */
function requestForm(entry) {
  const c = entry.published;
  const inAYear = beijingTime(new Date(Date.now() + 365 * 86400000).toISOString(), 'day');
  const purposes = c.shareAttribute === 'CONDITIONAL' && (c.permittedPurposes || []).length
    ? h('select', { name: 'purpose' }, c.permittedPurposes.map((p) => h('option', { value: p }, p)))
    : h('input', { name: 'purpose' });
  // 隐蔽查询 (R21): declared with the request; the provider's approval of the request approves it
  const covertUse = h('div', { id: 'covert-use', hidden: true },
    h('p', { class: 'meta' }, '声明隐蔽查询的申请一律由提供部门审核（无条件共享亦然）。 / A request declaring covert use is '
      + 'always reviewed by the provider, unconditional data included.'),
    field('covertUse.legalBasis', '不告知当事人的法律依据 / legal basis for not telling the person',
      h('input', { name: 'covertLegalBasis', placeholder: '如《中华人民共和国刑事诉讼法》第一百五十条' })),
    field('covertUse.maxPeriod', '最长不告知期限 / hidden for at most', select('covertMaxPeriod', COVERT_PERIOD, 'P1Y')));
  const covert = h('input', { type: 'checkbox', name: 'covert', id: 'covert-declared',
    onchange: () => { covertUse.hidden = !covert.checked; } });
  // sent again after an answer that never came (the network), the same request is filed once
  const key = newKey();
  const form = h('form', { id: 'share-request', class: 'action wide' },
    h('h4', {}, '申请共享 / Request this data'),
    h('p', { class: 'meta' }, `${label(SHARE, c.shareAttribute)} · ${c.providerDepartmentName}`,
      c.shareConditions ? ` · 共享条件 / conditions: ${c.shareConditions}` : ''),
    h('div', { class: 'field', 'data-field': 'items' }, h('span', {}, '所需信息项（仅选履职必需的） / items needed'),
      (c.items || []).map((i) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'items',
        value: i.code }), ` ${i.name} (${i.code})${i.sensitive ? ' · 敏感 / sensitive' : ''}`)),
      h('em', { class: 'error' })),
    field('purpose', '使用用途 / purpose', purposes),
    field('scenario', '应用场景 / scenario', h('input', { name: 'scenario' })),
    field('legalBasis', '依据（法律法规或履职依据） / legal basis', h('input', { name: 'legalBasis' })),
    field('scope', '使用范围 / scope of use', h('input', { name: 'scope' })),
    field('deliveryMethod', '共享方式 / delivery', select('deliveryMethod', deliveryMethods(c), 'API')),
    field('periodFrom', '开始日期 / from', h('input', { name: 'periodFrom', type: 'date', value: today() })),
    field('periodTo', '结束日期 / to', h('input', { name: 'periodTo', type: 'date', value: inAYear })),
    h('div', { class: 'field', 'data-field': 'covertUse' },
      h('label', { class: 'check' }, covert, ' 隐蔽查询 (依法不告知当事人) / covert use: the persons concerned are not '
        + 'told of the queries for a while'),
      h('small', {}, '须有法律依据；提供部门批准本申请即批准隐蔽查询 / needs a legal basis; the provider approves it by '
        + 'approving the request'), covertUse, h('em', { class: 'error' })),
    h('p', { id: 'head-approval-note', class: 'meta' }, has('head')
      ? '您是本部门负责人，提交即视为您已审核同意 / as the department\'s head, you approve the request by filing it'
      : '提交后由本部门负责人（部门负责人账号）审核同意，方送提供部门 / once filed, the request goes to the provider '
        + 'when your department\'s head approves it with the head\'s own account'),
    h('div', { class: 'field', 'data-field': 'attestation' }, h('span', {}, '承诺 / attestation'),
      [['truthful', '申请材料真实 / the request is truthful'], ['lawful', '用途合法 / the use is lawful'],
        ['necessary', '所需数据为履职必需 / the data are necessary for our duties']].map(([name, text]) =>
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name }), ' ' + text)),
      h('em', { class: 'error' })),
    h('button', { type: 'submit' }, '提交申请 / File the request'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (name) => form.elements[name].value.trim() || null;
    const checked = (name) => form.elements[name].checked;
    const body = {
      resourceCode: entry.resourceCode,
      items: [...form.querySelectorAll('input[name=items]:checked')].map((x) => x.value),
      purpose: v('purpose'), scenario: v('scenario'), legalBasis: v('legalBasis'), scope: v('scope'),
      deliveryMethod: v('deliveryMethod'), periodFrom: v('periodFrom'), periodTo: v('periodTo'),
      attestation: { truthful: checked('truthful'), lawful: checked('lawful'), necessary: checked('necessary') },
      covertUse: checked('covert') ? { legalBasis: v('covertLegalBasis'), maxPeriod: v('covertMaxPeriod') } : null,
    };
    act(form.querySelector('button[type=submit]'), () => api('POST', `${EXCHANGE}/requests`, body, { 'Idempotency-Key': key }), (filed) => {
      state.nextNotice = `已提交共享申请 / request filed: #${filed.id} · ${label(REQUEST_STATUS, filed.status)}`;
      location.hash = '#/requests';
    }, form);
  });
  return h('section', { class: 'actions' }, form);
}

// ------------------------------------------------------------------ the entry form (新建 / 修改)

/** A control in a table row, named for screen readers by its column (the row has no label of its own). */
const labelled = (control, text) => {
  control.setAttribute('aria-label', text);
  return control;
};

// Item inputs are named item-*: form.elements['name'] must find the entry's own name, not a list of them.
function itemRow(item) {
  const i = item || {};
  const row = h('tr', { class: 'item' },
    h('td', {}, h('input', { name: 'item-code', value: i.code || '', size: 10, 'aria-label': '代码 / code' })),
    h('td', {}, h('input', { name: 'item-name', value: i.name || '', 'aria-label': '名称 / name' })),
    h('td', {}, labelled(select('item-dataType', DATA_TYPE, i.dataType || 'C'), '类型 / type')),
    h('td', {}, h('input', { name: 'item-length', type: 'number', min: 1, value: i.length ?? '', size: 5,
      'aria-label': '长度 / length' })),
    h('td', {}, h('input', { name: 'item-sensitive', type: 'checkbox', checked: !!i.sensitive, 'aria-label': '敏感 / sensitive' })),
    h('td', {}, h('input', { name: 'item-authoritativeSource', type: 'checkbox', checked: !!i.authoritativeSource,
      'aria-label': '数源 / authoritative source' })),
    // several lines allowed (the service keeps line breaks in a description)
    h('td', {}, h('textarea', { name: 'item-description', rows: 1, 'aria-label': '说明 / description' },
      i.description || '')),
    h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => row.remove() }, '删除 / remove')));
  // What the form does not show of an item (one added by a later version of the API) is kept when the draft is saved.
  row.original = i;
  return row;
}

async function entryForm(id) {
  const entry = id ? await api('GET', `${CATALOG}/entries/${id}`) : null;
  const c = (entry && (entry.draft || entry.published)) || {};
  const department = state.me.department ? await departmentName(state.me.department) : '';
  const k = c.classification || {};
  const input = (name, value, attrs) => h('input', { name, value: value ?? '', ...(attrs || {}) });
  const items = h('tbody', {}, (c.items && c.items.length ? c.items : [{}]).map(itemRow));
  const form = h('form', { id: 'entry-form', class: 'entry' },
    h('h2', {}, entry ? `修改草稿 / Edit draft: ${entry.name}` : '新建目录 / New catalogue entry'),
    h('fieldset', {}, h('legend', {}, '基本信息 / basics'),
      field('name', '信息资源名称 / name', input('name', c.name, { required: true, maxlength: 200 })),
      field('abstract', '信息资源摘要 / abstract', h('textarea', { name: 'abstract', rows: 3 }, c.abstract || '')),
      field('providerDepartmentName', '提供方 / provider', input('providerDepartmentName',
        c.providerDepartmentName || (department !== state.me.department ? department : ''))),
      field('providerDepartmentCode', '提供方代码 / provider code', input('providerDepartmentCode',
        c.providerDepartmentCode || state.me.department, { readonly: true })),
      // R5: the region decides which 主管部门 reviews the entry; it is the department's own and never changes.
      field('regionCode', '行政区划代码 / region (GB/T 2260)', input('regionCode', c.regionCode || state.me.region,
        { readonly: true })),
      field('keywords', '关键字（以、或逗号分隔） / keywords', input('keywords', (c.keywords || []).join('、'))),
      field('relatedResourceCodes', '关联资源代码（以、或逗号分隔） / related resource codes', input('relatedResourceCodes',
        (c.relatedResourceCodes || []).join('、')), '已登记资源的代码，如 101001/000001 / codes of catalogued resources, '
        + 'e.g. 101001/000001')),
    h('fieldset', {}, h('legend', {}, '分类 / classification'),
      field('classification.resourceClass', '资源分类 / class', select('resourceClass', RESOURCE_CLASS,
        k.resourceClass)),
      field('classification.category', '类别 / category', input('category', k.category),
        '如 人口、法人单位、社会保障 / e.g. 人口'),
      field('classification.itemCode', '项代码 / item code (2 位)', input('itemCode', k.itemCode, { size: 2 })),
      field('classification.catalogCode', '目代码 / catalog code (3 位)', input('catalogCode', k.catalogCode,
        { size: 3 })),
      field('classification.detailCode', '细目代码（可选） / detail code (optional)', input('detailCode', k.detailCode,
        { size: 10, maxlength: 10, inputmode: 'numeric' }), '至多 10 位数字 / up to 10 digits'),
      field('dataCategory', '数据分类 / data category', input('dataCategory', c.dataCategory)),
      field('grade', '数据分级 / grade', select('grade', GRADE, c.grade || 'LEVEL_2'))),
    h('fieldset', {}, h('legend', {}, '信息项 / data items'),
      h('div', { class: 'field', 'data-field': 'items' }, h('em', { class: 'error' })),
      h('table', { class: 'items' }, h('thead', {}, h('tr', {}, ['代码 / code', '名称 / name', '类型 / type',
        '长度 / length', '敏感 / sensitive', '数源 / authoritative', '说明 / description', ''].map((x) => h('th', {}, x)))), items),
      h('button', { type: 'button', id: 'add-item', onclick: () => items.append(itemRow()) },
        '增加信息项 / Add item'),
      field('keyItem', '关键信息项（代码） / key item (code)', input('keyItem', c.keyItem))),
    h('fieldset', {}, h('legend', {}, '共享与开放 / sharing and opening'),
      field('shareAttribute', '共享属性 / sharing', select('shareAttribute', SHARE, c.shareAttribute || 'UNCONDITIONAL')),
      field('shareConditions', '共享条件（有条件共享） / conditions', input('shareConditions', c.shareConditions)),
      field('shareScope', '共享范围（有条件共享） / scope', input('shareScope', c.shareScope)),
      field('permittedPurposes', '使用用途（有条件共享，以、分隔） / permitted purposes',
        input('permittedPurposes', (c.permittedPurposes || []).join('、'))),
      field('notSharedReason', '不予共享理由 / reason not shared', input('notSharedReason', c.notSharedReason)),
      field('notSharedLegalBasis.type', '不予共享依据类型 / legal basis type', select('legalBasisType', LEGAL_BASIS,
        c.notSharedLegalBasis && c.notSharedLegalBasis.type, '—')),
      field('notSharedLegalBasis.title', '依据名称 / legal basis title', input('legalBasisTitle',
        c.notSharedLegalBasis && c.notSharedLegalBasis.title)),
      field('notSharedLegalBasis.article', '条款 / article', input('legalBasisArticle',
        c.notSharedLegalBasis && c.notSharedLegalBasis.article)),
      field('shareMethod.methodClass', '共享方式分类 / method class', select('methodClass', METHOD_CLASS,
        (c.shareMethod && c.shareMethod.methodClass) || 'PLATFORM')),
      field('shareMethod.methodType', '共享方式类型 / method type', select('methodType', METHOD_TYPE,
        (c.shareMethod && c.shareMethod.methodType) || 'API')),
      field('openAttribute', '开放属性 / opening', select('openAttribute', OPEN, c.openAttribute || 'NOT_OPEN')),
      field('openConditions', '开放条件 / opening conditions', input('openConditions', c.openConditions))),
    h('fieldset', {}, h('legend', {}, '格式与更新 / format and updates'),
      field('format.formatClass', '格式分类 / format class', select('formatClass', FORMAT_CLASS,
        (c.format && c.format.formatClass) || 'DATABASE')),
      field('format.formatType', '格式类型 / format type', input('formatType', (c.format && c.format.formatType)
        || 'PostgreSQL')),
      field('updateCycle', '更新周期 / update cycle', select('updateCycle', CYCLE, c.updateCycle || 'MONTHLY'))),
    h('p', {}, h('button', { type: 'submit', id: 'save-entry' }, entry ? '保存 / Save' : '创建草稿 / Create draft'),
      ' ', h('a', { href: entry ? `#/entries/${entry.id}` : '#/entries' }, '取消 / cancel')));
  // a draft kept over a new login (ui.js) may have more data items than the form starts with
  form.addDraftRow = (name) => {
    if (!name.startsWith('item-')) return false;
    items.append(itemRow());
    return true;
  };
  let sent = {};
  // the service names an element of a list field (relatedResourceCodes[1]): the page says which value it was
  form.fieldPart = (name) => {
    const [, list, index] = /^(relatedResourceCodes|keywords|permittedPurposes)\[(\d+)\]$/.exec(name) || [];
    const value = list && (sent[list] || [])[Number(index)];
    return value ? `${value}：` : null;
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = entryBody(form, items, c);
    sent = body;
    const save = entry
      ? () => api('PUT', `${CATALOG}/entries/${entry.id}`, body, { 'If-Match': String(entry.lockVersion) })
      : () => api('POST', `${CATALOG}/entries`, body);
    act(form.querySelector('#save-entry'), save, (saved) => {
      // R4: a change of the content withdraws the assessments and the head's approval (the history says so too)
      const gate = (x) => x.secrecyAssessment || x.personalInformationAssessment || x.headApproval;
      state.nextNotice = entry && gate(entry) && !gate(saved)
        ? '已保存；内容已修改，须重新评估并经部门负责人审核后报送 / saved; the content changed: assess it and have '
          + 'the head approve it again before submission'
        : '已保存 / saved';
      location.hash = `#/entries/${saved.id}`;
    }, form);
  });
  show(form);
}

/** The entry as the form shows it, over the loaded content so that fields the form does not show are kept. */
function entryBody(form, items, loaded) {
  const v = (name) => {
    const value = form.elements[name].value.trim();
    return value === '' ? null : value;
  };
  const list = (name) => (v(name) || '').split(/[、,，;；]/).map((s) => s.trim()).filter(Boolean);
  const legalType = v('legalBasisType');
  const c = loaded || {};
  return {
    ...c,
    name: v('name'), abstract: v('abstract'),
    providerDepartmentCode: v('providerDepartmentCode'), providerDepartmentName: v('providerDepartmentName'),
    regionCode: v('regionCode'), keywords: list('keywords'),
    classification: { ...(c.classification || {}), resourceClass: v('resourceClass'), category: v('category'),
      itemCode: v('itemCode'), catalogCode: v('catalogCode'), detailCode: v('detailCode') },
    dataCategory: v('dataCategory'), grade: v('grade'),
    items: [...items.querySelectorAll('tr.item')].map((row) => {
      const get = (name) => row.querySelector(`[name="item-${name}"]`);
      const length = get('length').value.trim();
      return { ...(row.original || {}), code: get('code').value.trim() || null, name: get('name').value.trim() || null,
        dataType: get('dataType').value, length: length === '' ? null : Number(length),
        description: get('description').value.trim() || null,
        sensitive: get('sensitive').checked, authoritativeSource: get('authoritativeSource').checked };
    }),
    keyItem: v('keyItem'),
    shareAttribute: v('shareAttribute'), shareConditions: v('shareConditions'), shareScope: v('shareScope'),
    permittedPurposes: list('permittedPurposes'), notSharedReason: v('notSharedReason'),
    notSharedLegalBasis: legalType || v('legalBasisTitle')
      ? { type: legalType, title: v('legalBasisTitle'), article: v('legalBasisArticle') } : null,
    shareMethod: { ...(c.shareMethod || {}), methodClass: v('methodClass'), methodType: v('methodType') },
    openAttribute: v('openAttribute'), openConditions: v('openConditions'),
    format: { ...(c.format || {}), formatClass: v('formatClass'), formatType: v('formatType') },
    updateCycle: v('updateCycle'), relatedResourceCodes: list('relatedResourceCodes'), secret: c.secret ?? false,
  };
}

// ------------------------------------------------------------------ start

/**
 * The console cannot start without the user's session (the gateway answering 503 while identity-service is down, a
 * login page where the session's JSON was expected): say so, with a way to try again and the login page.
 */
function startFailed(error) {
  show(h('section', { id: 'start-failed' }, h('h2', {}, '控制台未能加载 / The console could not start'),
    h('p', { class: 'overdue' }, '无法读取登录会话 / the session could not be read'
      + (error && error.message ? `: ${error.message}` : '')),
    h('p', { class: 'links' }, h('a', { href: '#', id: 'reload', onclick: (ev) => {
      ev.preventDefault();
      window.location.reload();
    } }, '重新加载 / Reload'), ' · ', h('a', { href: '/console', id: 'login' }, '重新登录 / Log in'))));
}

async function start() {
  let me;
  try {
    me = await api('GET', '/console/session');
  } catch (e) {
    startFailed(e);
    return;
  }
  if (me === null || typeof me !== 'object' || !Array.isArray(me.roles)) {
    startFailed(null);
    return;
  }
  state.me = me;
  const roles = h('p', { id: 'roles', class: 'meta' }, (state.me.roles || []).join(' · '),
    state.me.department ? [' · ', departmentCell(state.me.department)] : null);
  document.querySelector('header').append(roles);
  if (state.me.actor) {
    // 经办人: the token is the principal's (an enterprise or a citizen), act names the person doing the work.
    document.querySelector('header').append(h('p', { id: 'agent', class: 'agent' },
      '经办人 ', h('strong', {}, state.me.actor.name || state.me.actor.subject), ' 代 ',
      h('strong', {}, state.me.name), ' 办理 / agent acting for the principal'));
  }
  window.addEventListener('hashchange', route);
  await route();
}

start().catch((e) => notify(failure(e), 'error'));
