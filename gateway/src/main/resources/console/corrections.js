// 一网通办 控制台: correction requests (个人信息更正补充申请, PIPL 第四十六条) — a citizen or an enterprise asks the
// 数源部门 of a dataset to correct or complete one data item about it; the provider department's operators answer,
// the 主管部门 follows (data-exchange-service). The service decides who sees what (the ID number only the provider,
// the requester's account id only the 主管部门); the page shows what it is given.

import {
  CATALOG, EXCHANGE, state, has, label, h, table, field, select, show, api, act, filterForm, emptyList, pager, due,
  beijingTime, departmentCell, thenShow, ApiError, newKey, ownView, namedCases,
} from './ui.js';
import { openLink, facts, historyTable, decisionForm, valueOf, listPage } from './exchange.js';

const STATUS = { OPEN: '待答复 / awaiting the answer', CORRECTED: '已更正 / corrected',
  SUPPLEMENTED: '已补充 / supplemented', NOT_CORRECTED: '不予更正 / not corrected' };
const OUTCOME = { CORRECTED: STATUS.CORRECTED, SUPPLEMENTED: STATUS.SUPPLEMENTED, NOT_CORRECTED: STATUS.NOT_CORRECTED };
const ACTIONS = { FILE: '提出申请 / filed', ANSWER: '答复 / answered', ESCALATE_OVERDUE: '逾期督办 / escalated as overdue',
  RECOUNT_DEADLINE: '重新计算期限 / deadline recounted' };
const REQUESTER = { CITIZEN: '自然人 / citizen', ENTERPRISE: '法人 / enterprise' };
const OVERDUE = { true: '仅已超期 / overdue only' };

const MINE = '#/my-corrections';
const STAFF = '#/corrections';

const resourceOf = (c) => [c.resourceName || c.resourceCode, h('small', { class: 'code' }, ' ' + (c.currentResourceCode
  || c.resourceCode))];
const itemOf = (c) => (c.itemName ? `${c.itemName} (${c.item})` : c.item);
const change = (c) => [c.currentValue ? `${c.currentValue} → ` : '', c.correctValue || '',
  c.description ? h('small', {}, h('br'), c.description) : null];
const deadline = (c) => [due(c.dueOn, c.dueOnProvisional), c.overdue ? h('strong', { class: 'overdue' },
  ' 已超期 / overdue') : null, c.escalated ? h('strong', { class: 'overdue' }, ' 已督办 / escalated') : null];
const answerOf = (c) => (c.status === 'OPEN' ? '' : [c.reason || '',
  c.legalBasis ? h('small', { class: 'legal-basis' }, h('br'), '依据 / legal basis: ' + c.legalBasis) : null,
  c.explanation ? h('small', {}, h('br'), '核实情况 / verification: ' + c.explanation) : null]);
const statusOf = (c) => h('span', { class: 'correction-status' }, label(STATUS, c.status));

// ------------------------------------------------------------------ citizens and enterprises (我的更正申请)

/** What the corrections open, for the words below the real-name level they need (ui.js ownView). */
const MY_CORRECTIONS = { title: '更正申请 / Corrections', zh: '提出和查看个人信息更正申请', en: 'ask for corrections' };

async function myCorrectionsView(params) {
  const loaded = await ownView(MY_CORRECTIONS, () => Promise.all([listPage('me/corrections', params),
    api('GET', `${EXCHANGE}/me/data-accesses?size=200`)]));
  if (!loaded) return;
  const [page, accesses] = loaded;
  const { items: corrections, total } = page;
  await namedCases(corrections);
  show(h('h2', {}, '更正申请 / Corrections'),
    h('p', { class: 'meta' }, '发现政务部门共享数据中关于您的信息有误或不完整，可请数源部门更正或补充（个人信息保护法第四十六条）；'
      + '数源部门在十个工作日内核实并答复。 / If data about you in a shared dataset is wrong or incomplete, ask the '
      + 'department that is its source to correct or complete it; it verifies and answers within ten working days.'),
    h('div', { class: 'actions' }, correctionForm(datasetsUsed(accesses))),
    h('h3', {}, '我的更正申请 / My correction requests'),
    corrections.length ? h('div', { id: 'my-correction-list' }, table(['编号 / id', '', '提出 / filed', '数据 / data',
      '信息项 / item', '更正内容 / correction', '状态 / status', '答复期限 / due', '答复 / answer'], corrections.map((c) => [
      String(c.id), openLink(`${MINE}/${c.id}`), c.receivedOn || '', resourceOf(c), itemOf(c), change(c), statusOf(c),
      deadline(c), answerOf(c)])))
      : h('p', { id: 'no-corrections' }, '无 / none'),
    pager(params, MINE, corrections.length, total));
}

/** The datasets that used the person's data (from who used my data), each with the items delivered. */
function datasetsUsed(accesses) {
  const found = new Map();
  for (const a of accesses || []) {
    const code = a.currentResourceCode || a.resourceCode;
    if (!code) continue;
    const d = found.get(code) || { code, name: a.resourceName || code, items: new Map() };
    (a.items || []).forEach((i) => d.items.set(i, null));
    found.set(code, d);
  }
  return [...found.values()];
}

/**
 * 提出更正申请: the dataset (one that used the person's data, or one found in the catalogue), one of its items, what
 * it shows, what it should be. The form's Idempotency-Key is made when the form is: sending it twice files once.
 */
function correctionForm(used) {
  const datasets = new Map(used.map((d) => [d.code, d]));
  const key = newKey();
  const resource = h('select', { name: 'resourceCode', onchange: () => loadItems() },
    h('option', { value: '' }, '— 请选择 / choose —'),
    used.length ? h('optgroup', { label: '使用过我的数据的资源 / datasets that used my data' },
      used.map((d) => h('option', { value: d.code }, `${d.name} (${d.code})`))) : null);
  const found = h('optgroup', { label: '目录检索结果 / found in the catalogue' });
  const item = h('select', { name: 'item' });
  // Enter in the search box finds datasets; it does not send the request.
  const query = h('input', { type: 'search', name: 'q', placeholder: '在目录中查找，如 户籍 / find in the catalogue',
    onkeydown: (ev) => {
      if (ev.key !== 'Enter') return;
      ev.preventDefault();
      find.click();
    } });
  const find = h('button', { type: 'button', id: 'find-dataset', onclick: () => act(find,
    () => api('GET', `${CATALOG}/search?size=20&q=${encodeURIComponent(query.value.trim())}`), (result) => {
      const hits = (result.hits || []).filter((x) => x.resourceCode && !datasets.has(x.resourceCode));
      hits.forEach((x) => datasets.set(x.resourceCode, { code: x.resourceCode, name: x.name, entryId: x.id }));
      found.replaceChildren(...hits.map((x) => h('option', { value: x.resourceCode }, `${x.name} (${x.resourceCode})`)));
      if (hits.length && !found.parentNode) resource.append(found);
    }) }, '查找 / Find');

  function fillItems(items) {
    const chosen = item.value;
    item.replaceChildren(h('option', { value: '' }, '— 请选择 / choose —'),
      ...[...items].map(([code, name]) => h('option', { value: code, selected: code === chosen },
        name ? `${name} (${code})` : code)));
  }

  /** The entry's items with their names where the catalogue shows the entry, else the codes known. */
  async function loadItems() {
    const d = datasets.get(resource.value);
    fillItems(d ? d.items || new Map() : new Map());
    if (!d) return;
    try {
      const entry = await api('GET', d.entryId ? `${CATALOG}/entries/${d.entryId}`
        : `${CATALOG}/entries/by-code?code=${encodeURIComponent(d.code)}`, undefined, undefined, true);
      const items = (entry.published && entry.published.items) || [];
      if (items.length && resource.value === d.code) fillItems(new Map(items.map((i) => [i.code, i.name])));
    } catch (e) {
      // an entry not open to the public: the codes of the items delivered stay
    }
  }

  const form = decisionForm('correction-form', '提出更正申请 / Ask for a correction', [
    field('resourceCode', '数据资源 / dataset', resource),
    h('p', { class: 'find' }, query, find),
    field('item', '信息项 / data item', item),
    field('currentValue', '现有内容（可选） / what it shows now (optional)', h('input', { name: 'currentValue',
      maxlength: 1000 })),
    field('correctValue', '正确内容 / what it should be', h('input', { name: 'correctValue', maxlength: 1000 })),
    field('description', '说明 / description', h('textarea', { name: 'description', rows: 3, maxlength: 2000 })),
    field('evidence', '证明材料（可选，文字说明） / evidence (optional, as text)', h('textarea', { name: 'evidence',
      rows: 2, maxlength: 2000 })),
  ], '提交申请 / Ask', (f) => api('POST', `${EXCHANGE}/me/corrections`, {
    // form.elements.item is the collection's item() method, not the control: the select itself
    resourceCode: valueOf(f, 'resourceCode'), item: item.value || null, currentValue: valueOf(f, 'currentValue'),
    correctValue: valueOf(f, 'correctValue'), description: valueOf(f, 'description'),
    evidence: valueOf(f, 'evidence') }, { 'Idempotency-Key': key }).catch((e) => {
    // an item the entry does not list: the service names the entry's items, offered in their place
    if (e instanceof ApiError && Array.isArray(e.problem.items) && e.problem.items.length) {
      fillItems(new Map(e.problem.items.map((i) => [i, null])));
    }
    throw e;
  }), (c) => {
    state.nextNotice = `已提出更正申请 / correction request filed: #${c.id}，答复期限 / due ${c.dueOn}`;
    location.hash = `${MINE}/${c.id}`;
  });
  return form;
}

async function myCorrectionView(id) {
  const loaded = await ownView(MY_CORRECTIONS, () => Promise.all([api('GET', `${EXCHANGE}/me/corrections/${id}`),
    api('GET', `${EXCHANGE}/me/corrections/${id}/history`)]));
  if (!loaded) return;
  const [c, steps] = loaded;
  await namedCases([c]);
  show(h('p', {}, h('a', { href: MINE }, '← 更正申请 / corrections')),
    h('h2', {}, `更正申请 / Correction request #${c.id}`),
    h('p', { class: 'meta', id: 'correction-meta' }, statusOf(c), ' · 答复期限 / due ', deadline(c)),
    facts(details(c).concat(answerFacts(c))),
    stepsTable(steps));
}

const BY = { REQUESTER: '申请人 / you', DEPARTMENT: '部门 / department', SYSTEM: '系统自动 / automatic' };

/** The department as the service names it (code beside the name); the registry's name when the service had none. */
const departmentOf = (d) => (!d ? '' : [d.name ? h('span', { class: 'department-name' }, d.name)
  : departmentCell(d.code), h('small', { class: 'code' }, ' ' + d.code)]);

/** What a step said: the answer with its basis, the deadline set, missed or moved. */
function stepText(s) {
  const parts = [];
  if (s.outcome) parts.push(h('strong', { class: 'step-outcome' }, label(OUTCOME, s.outcome)), '：');
  if (s.reason) parts.push(s.reason);
  if (s.legalBasis) parts.push(h('small', { class: 'legal-basis' }, h('br'), '依据 / legal basis: ' + s.legalBasis));
  if (s.explanation) parts.push(h('small', {}, h('br'), '核实情况 / verification: ' + s.explanation));
  if (s.action === 'RECOUNT_DEADLINE' && s.dueOn) {
    parts.push(h('small', {}, h('br'), `答复期限 / due ${s.previousDueOn || '—'} → ${s.dueOn}`));
  } else if (s.action === 'ESCALATE_OVERDUE' && s.dueOn) {
    parts.push(h('small', {}, h('br'), `逾期 / overdue since ${s.dueOn}，已报主管部门督办 / escalated to the `
      + 'competent authority'));
  } else if (s.dueOn) {
    parts.push(h('small', {}, h('br'), `答复期限 / due ${s.dueOn}`));
  }
  return parts;
}

/**
 * 办理记录 as the requester sees it: when, what, which department (departments act; the service names no civil
 * servant), the status after it, and what was said.
 */
function stepsTable(steps) {
  return h('section', { id: 'correction-history' }, h('h3', {}, '办理记录 / history'), steps.length
    ? table(['时间 / at', '步骤 / step', '办理 / by', '部门 / department', '状态 / status', '内容 / details'],
      steps.map((s) => [beijingTime(s.at, 'second'), label(ACTIONS, s.action), label(BY, s.actor),
        departmentOf(s.department), label(STATUS, s.status), stepText(s)]))
    : h('p', {}, '无 / none'));
}

const details = (c) => [['数据资源 / dataset', resourceOf(c)], ['数源部门 / source department',
  departmentCell(c.providerDepartmentCode)], ['信息项 / item', itemOf(c)], ['现有内容 / shows now', c.currentValue],
['正确内容 / should be', c.correctValue], ['说明 / description', c.description], ['证明材料 / evidence', c.evidence],
['收到 / received', c.receivedOn]];

const answerFacts = (c) => (c.status === 'OPEN' ? [] : [
  ['答复 / answer', h('span', { id: 'correction-answer' }, label(STATUS, c.status), '：', c.reason || '')],
  ['法律依据 / legal basis', c.legalBasis], ['核实情况 / verification', c.explanation],
  ['答复时间 / answered', beijingTime(c.answeredAt)]]);

// ------------------------------------------------------------------ staff (更正申请处理)

async function correctionsView(params) {
  const { items: corrections, total } = await listPage('corrections', params, ['status', 'overdue']);
  await namedCases(corrections);
  const filter = filterForm('correction-filter', STAFF, params, [
    field('status', '状态 / status', select('status', STATUS, null, '全部 / all')),
    field('overdue', '期限 / deadline', select('overdue', OVERDUE, null, '全部 / all'))]);
  const provider = has('operator');
  show(h('h2', {}, '更正申请处理 / Correction requests'),
    h('p', { class: 'meta' }, provider ? '公民、法人对本部门作为数源部门的数据提出的更正补充申请，须在十个工作日内核实并答复。 / '
      + 'Citizens and enterprises ask your department, as the data\'s source, to correct or complete data about them: '
      + 'verify and answer within ten working days.'
      : '更正补充申请及其答复；逾期未答复的报主管部门督办。 / Correction requests and their answers; overdue ones are '
        + 'escalated to the competent authority.'),
    filter,
    corrections.length ? h('div', { id: 'correction-list' }, table(['编号 / id', '', '收到 / received', '申请人 / requester', '数据 / data',
      '信息项 / item', '更正内容 / correction', '数源部门 / provider', '状态 / status', '答复期限 / due',
      '答复 / answer'], corrections.map((c) => [String(c.id), openLink(`${STAFF}/${c.id}`), c.receivedOn || '',
      requesterOf(c), resourceOf(c), itemOf(c), change(c), departmentCell(c.providerDepartmentCode), statusOf(c),
      deadline(c), answerOf(c)])))
      : emptyList(params, STAFF, null, 'no-corrections', [], total),
    pager(params, STAFF, corrections.length, total));
}

/** The provider sees the ID number (to find the record), the 主管部门 the account id; each as the service gives it. */
function requesterOf(c) {
  return [label(REQUESTER, c.requesterType),
    c.subjectIdentifier ? h('span', { class: 'subject-identifier' }, h('br'), c.subjectIdentifier) : null,
    c.requester ? h('span', { class: 'requester' }, h('br'), '账户 / account: ' + c.requester) : null];
}

async function correctionView(id) {
  const [c, events] = await Promise.all([api('GET', `${EXCHANGE}/corrections/${id}`),
    api('GET', `${EXCHANGE}/corrections/${id}/history`)]);
  await namedCases([c]);
  const answering = has('operator') && c.status === 'OPEN' && c.providerDepartmentCode === state.me.department;
  show(h('p', {}, h('a', { href: STAFF }, '← 更正申请 / correction requests')),
    h('h2', {}, `更正申请 / Correction request #${c.id}`),
    h('p', { class: 'meta', id: 'correction-meta' }, statusOf(c), ' · 答复期限 / due ', deadline(c)),
    facts([['申请人 / requester', requesterOf(c)], ...details(c), ...answerFacts(c)]),
    answering ? h('div', { class: 'actions' }, answerForm(c)) : null,
    historyTable(events, ACTIONS, STATUS));
}

/** 答复: corrected, supplemented, or not corrected with a legal basis or how the data was verified. */
function answerForm(c) {
  return decisionForm('correction-answer-form', '答复 / Answer', [
    field('outcome', '答复结果 / outcome', select('outcome', OUTCOME, 'CORRECTED')),
    field('reason', '理由（更正或补充情况） / reasons (what was corrected or supplemented)',
      h('textarea', { name: 'reason', rows: 3, maxlength: 2000 })),
    field('legalBasis', '法律依据（不予更正时，或填核实情况） / legal basis (when not corrected)',
      h('input', { name: 'legalBasis', maxlength: 1000 })),
    field('explanation', '核实情况（不予更正时） / how the data was verified (when not corrected)',
      h('textarea', { name: 'explanation', rows: 2, maxlength: 2000 })),
    h('div', { class: 'field', 'data-field': 'version' }, h('em', { class: 'error' })),
  ], '答复 / Answer', (f) => api('POST', `${EXCHANGE}/corrections/${c.id}/answer`, { version: c.version,
    outcome: valueOf(f, 'outcome'), reason: valueOf(f, 'reason'), legalBasis: valueOf(f, 'legalBasis'),
    explanation: valueOf(f, 'explanation') }), thenShow(() => correctionView(c.id),
    (done) => `更正申请 #${done.id}：${label(STATUS, done.status)}`));
}

export const CORRECTION_SECTIONS = [
  { hash: MINE, text: '更正申请 / Corrections', when: () => has('citizen', 'enterprise'),
    render: (id, sub, params) => (id ? myCorrectionView(Number(id)) : myCorrectionsView(params)) },
  { hash: STAFF, text: '更正申请处理 / Correction requests', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: (id, sub, params) => (id ? correctionView(Number(id)) : correctionsView(params)) },
];
