// 一网通办 控制台: the exchange — share requests, grants, disputes, data security incidents, complaints, and the
// citizens' "who used my data" (data-exchange-service). Every decision is the service's own for the logged-in user;
// the console only shows its answer.

import {
  EXCHANGE, state, has, competentReviewer, label, h, table, field, select, show, api, apiPage, act, thenShow, departmentCell, actionForm,
  beijingTime, filterForm, emptyList, pager, PAGE_SIZE, due, today, confirmFirst, newKey, count, beijingLocal,
  viewNames, viewsNames, named, resourceText, itemsText, regionCell, COVERT_PERIOD, ownView, namedCases,
} from './ui.js';
import { ACTOR_ROLES } from './admin.js';
import { purposeCell } from './usage.js';

export const REQUEST_STATUS = { AWAITING_HEAD_APPROVAL: '待本部门负责人审核 / awaiting the head\'s approval',
  RETURNED_BY_HEAD: '负责人退回 / returned by the head', PENDING: '待审核 / pending',
  ANSWER_AWAITING_HEAD: '答复待提供部门负责人审核 / answer awaiting the provider head\'s approval',
  SUPPLEMENT_REQUESTED: '待补充 / supplement requested',
  APPROVED: '已同意 / approved', GRANTED: '已授权 / granted', REFUSED: '已拒绝 / refused',
  NOT_SHARED: '不予共享 / not shared', WITHDRAWN: '已撤回 / withdrawn' };
const GRANT_STATUS = { ACTIVE: '有效 / active', SUSPENDED: '暂停 / suspended', TERMINATED: '终止 / terminated',
  EXPIRED: '到期 / expired' };

// ------------------------------------------------------------------ the exchange (共享申请、授权)

const SIDES = { provider: '向本部门提出的申请 / requests to us', consumer: '本部门提出的申请 / our requests' };

/**
 * Share requests. An operator first sees one page of each side, with how many there are in all; a side (or a
 * reviewer's, admin's or auditor's whole list) is paged in its own address. The status filter applies to what is
 * shown, both sides included.
 */
async function requestsView(params = new URLSearchParams()) {
  const paged = !has('operator') || params.get('side');
  const status = params.get('status');
  const sides = paged ? [params.get('side') || null] : Object.keys(SIDES);
  const blocks = [];
  for (const side of sides) {
    const query = new URLSearchParams(paged ? params : { side });
    if (!paged && status) query.set('status', status);
    const { items: list, total } = await listPage('requests', query, ['side', 'status']);
    const names = await viewsNames(list);
    // A refusal under dispute links to its dispute instead of offering a second one (the service would answer 409).
    const disputed = side === 'consumer' && list.some((r) => ['REFUSED', 'NOT_SHARED'].includes(r.status))
      ? new Map((await api('GET', `${EXCHANGE}/disputes?status=OPEN&size=200`)).map((d) => [d.requestId, d]))
      : null;
    const title = side ? SIDES[side] : '全部申请 / all requests';
    const whole = new URLSearchParams(status ? { side, status } : { side });
    blocks.push(h('h3', {}, `${title} (${count(total == null ? list.length : total)})`),
      list.length ? requestTable(list, side, disputed, params, names)
        : emptyList(params, '#/requests', null, `no-requests-${side || 'all'}`, ['side'], total),
      paged ? pager(params, '#/requests', list.length, total)
        : total > list.length ? h('p', {}, h('a', { href: `#/requests?${whole}`, class: 'chip',
          id: `all-${side}` }, `全部 ${count(total)} 条 / all ${count(total)} →`)) : null);
  }
  const filter = filterForm('request-filter', '#/requests', params, [
    has('operator') ? field('side', '方向 / side', select('side', SIDES, null, '两方 / both')) : null,
    field('status', '状态 / status', select('status', REQUEST_STATUS, null, '全部 / all'))]);
  show(h('h2', {}, '共享申请 / Share requests'), filter, blocks);
}

function requestTable(list, side, disputed, params, names) {
  return table(['编号 / id', '', '资源 / resource', '申请方 / consumer', '提供方 / provider', '用途 / purpose',
    '状态 / status', '答复期限 / due', ''], list.map((r) => [String(r.id), openLink(`#/requests/${r.id}`),
    resourceText(names.get(r.resourceCode), r.resourceCode), departmentCell(r.consumerDepartmentCode),
    departmentCell(r.providerDepartmentCode),
    r.purpose || '', label(REQUEST_STATUS, r.status), due(r.dueOn, r.dueOnProvisional),
    side === 'provider' && r.status === 'PENDING' ? decideRequest(r, params)
      : side === 'consumer' && ['REFUSED', 'NOT_SHARED'].includes(r.status)
        ? [r.decisionReason || '', basisNote(r), disputed && disputed.has(r.id) ? openDispute(disputed.get(r.id))
          : disputeRequest(r)]
        : side === 'consumer' && ['PENDING', 'ANSWER_AWAITING_HEAD'].includes(r.status) && r.dueOn
          && r.dueOn < today() ? disputeLink(`requestId=${r.id}&subject=LATE_ANSWER`, r.id, '逾期未答复，提请协调 / '
            + 'overdue: dispute')
          : r.decisionReason || '']));
}

function decideRequest(r, params) {
  const reason = h('input', { name: 'reason', placeholder: '意见或不予共享的理由 / note or reason' });
  const decided = thenShow(() => requestsView(params), (done) => `申请 #${done.id}：${label(REQUEST_STATUS, done.status)}`);
  // an operator without head proposes the answer: its department's head approves it (条例第二十条第三款)
  const toHead = !has('head');
  const approve = h('button', { type: 'button', onclick: () => act(approve,
    () => api('POST', `${EXCHANGE}/requests/${r.id}/approve`, { version: r.version, note: reason.value || null }),
    decided) }, toHead ? '拟同意，报负责人 / propose approval' : '同意 / approve');
  const refuse = h('button', { type: 'button', onclick: () => act(refuse,
    () => api('POST', `${EXCHANGE}/requests/${r.id}/refuse`, { version: r.version, reason: reason.value || null }),
    decided) }, toHead ? '拟不予共享，报负责人 / propose refusal' : '不予共享 / refuse');
  return h('span', { class: 'decide', 'data-request': r.id }, reason, approve, refuse);
}

/** 争议协调 (条例 Art. 28): a refused requester asks the competent authority to decide, after negotiating. */
function disputeRequest(r) {
  return disputeLink(`requestId=${r.id}&subject=REFUSAL`, r.id, '提请协调 / dispute');
}

function disputeLink(query, requestId, text) {
  return h('span', { class: 'decide', 'data-dispute-request': requestId },
    h('a', { href: `#/disputes/new?${query}`, class: 'dispute-new' }, text));
}

const DISPUTE_SUBJECT = { REFUSAL: '拒绝共享 / refusal', SUSPENSION: '提供部门暂停授权 / suspension by the provider',
  TERMINATION: '提供部门终止授权 / termination by the provider', LATE_ANSWER: '逾期答复 / late answer',
  NON_DELIVERY: '逾期未交付数据 / data not delivered' };

/**
 * Opening a dispute (条例 Art. 28): the parties negotiate first, so the form records that negotiation (date, who took
 * part, what came of it) with the reason; the service names a missing part beside its field.
 */
function disputeForm(params) {
  const subject = params.get('subject') || 'REFUSAL';
  const requestId = params.get('requestId');
  const grantId = params.get('grantId');
  if (!requestId && !grantId) {
    // the form is reached from a request's or a grant's page, which says what the dispute is about
    show(h('p', {}, h('a', { href: '#/disputes' }, '← 争议 / disputes')),
      h('p', { class: 'empty', id: 'dispute-without-subject' }, '请在被拒绝的申请或被暂停、终止的授权页面上提请协调。 / Open a '
        + 'dispute from the page of the refused request or of the suspended or terminated grant.'),
      h('p', {}, h('a', { href: '#/requests' }, '申请 / requests'), ' · ', h('a', { href: '#/grants' }, '授权 / grants')));
    return;
  }
  const key = newKey();
  const about = grantId ? h('a', { href: `#/grants/${grantId}` }, `授权 / grant #${grantId}`)
    : h('a', { href: `#/requests/${requestId}` }, `申请 / request #${requestId}`);
  show(h('p', {}, h('a', { href: '#/disputes' }, '← 争议 / disputes')),
    h('h2', {}, '提请协调 / Open a dispute'),
    h('p', { class: 'meta' }, '争议事项 / about: ', label(DISPUTE_SUBJECT, subject), ' · ', about),
    h('p', { class: 'meta' }, '先由双方协商；协商不成的，由共同所在地的主管部门协调（条例第二十八条）。请写明协商情况。 / The parties '
      + 'negotiate first; the competent authority decides when that fails. Record the negotiation.'),
    decisionForm('dispute-form', '争议 / Dispute', [
      field('reason', '理由 / reason', h('textarea', { name: 'reason', rows: 3 })),
      field('negotiation.date', '协商日期 / negotiated on', h('input', { type: 'date', name: 'negotiationDate',
        value: today() })),
      field('negotiation.participants', '参加人员（每行一位） / who took part (one a line)',
        h('textarea', { name: 'negotiationParticipants', rows: 3 })),
      field('negotiation.outcome', '协商结果 / outcome', h('textarea', { name: 'negotiationOutcome', rows: 2 })),
    ], '提请协调 / Open the dispute', (f) => {
      const participants = (valueOf(f, 'negotiationParticipants') || '').split('\n').map((p) => p.trim())
        .filter((p) => p);
      return api('POST', `${EXCHANGE}/disputes`, { subject, requestId: requestId ? Number(requestId) : null,
        grantId: grantId ? Number(grantId) : null, reason: valueOf(f, 'reason'),
        negotiation: { date: valueOf(f, 'negotiationDate'), participants, outcome: valueOf(f, 'negotiationOutcome') } },
      { 'Idempotency-Key': key });
    }, (d) => {
      state.nextNotice = `已提请协调 / dispute opened: #${d.id}`;
      location.hash = '#/disputes';
    }));
}

function openDispute(d) {
  return h('span', { class: 'decide', 'data-dispute-request': d.requestId },
    h('a', { href: '#/disputes', class: 'dispute-open' }, `协调中 / dispute #${d.id} open`));
}

const DISPUTE_STATUS = { OPEN: '协调中 / open', RESOLVED_SHARE: '协调共享 / decided: share',
  RESOLVED_UPHELD: '维持不予共享 / decided: refusal upheld' };
const DISPUTE_LEVEL = { COMPETENT_AUTHORITY: '主管部门 / competent authority',
  PEOPLES_GOVERNMENT: '本级人民政府 / people\'s government' };

async function disputesView(params = new URLSearchParams()) {
  const { items: disputes, total } = await listPage('disputes', params, ['status']);
  show(h('h2', {}, '共享争议 / Disputes'),
    filterForm('dispute-filter', '#/disputes', params, [
      field('status', '状态 / status', select('status', DISPUTE_STATUS, null, '全部 / all'))]),
    h('p', { class: 'meta' }, '先由双方协商，协商不成由共同所在地的主管部门协调，仍不能解决的报本级人民政府决定。 / The '
      + 'parties negotiate; failing that the competent authority of the region containing both decides, then that '
      + 'region\'s government.'),
    disputes.length ? table(['编号 / id', '事项 / about', '申请方 / consumer', '提供方 / provider', '理由 / reason',
      '协商 / negotiation', '协调层级 / level', '区划 / region', '状态 / status', '结论 / resolution', ''],
    disputes.map((d) => [
      String(d.id), [label(DISPUTE_SUBJECT, d.subject || 'REFUSAL'), ' ', d.grantId
        ? h('a', { href: `#/grants/${d.grantId}` }, `授权 / grant #${d.grantId}`)
        : h('a', { href: `#/requests/${d.requestId}` }, '#' + d.requestId)],
      departmentCell(d.consumerDepartmentCode), departmentCell(d.providerDepartmentCode), d.reason || '',
      d.negotiation ? h('span', { class: 'negotiation' }, `${d.negotiation.date} · `
        + `${(d.negotiation.participants || []).join('、')} · ${d.negotiation.outcome}`) : '—',
      label(DISPUTE_LEVEL, d.level), d.regionCode ? regionCell(d.regionCode) : '',
      h('span', { class: 'dispute-status' }, label(DISPUTE_STATUS, d.status)), d.resolution || '',
      competentReviewer() && d.status === 'OPEN' ? decideDispute(d, params) : '']))
      : emptyList(params, '#/disputes', null, 'no-disputes', [], total),
    pager(params, '#/disputes', disputes.length, total));
}

function decideDispute(d, params) {
  const base = `${EXCHANGE}/disputes/${d.id}`;
  const text = h('input', { name: 'resolution', placeholder: '协调意见 / decision and reasons' });
  const post = (control, path, body) => act(control, () => api('POST', `${base}/${path}`, body),
    thenShow(() => disputesView(params), (done) => `争议 #${done.id}：${label(DISPUTE_STATUS, done.status)} · `
      + label(DISPUTE_LEVEL, done.level)));
  const share = h('button', { type: 'button', onclick: () => post(share, 'resolve',
    { version: d.version, outcome: 'SHARE', resolution: text.value || null }) }, '应予共享 / share');
  const uphold = h('button', { type: 'button', onclick: () => post(uphold, 'resolve',
    { version: d.version, outcome: 'UPHOLD', resolution: text.value || null }) }, '维持 / uphold refusal');
  const escalate = d.level === 'COMPETENT_AUTHORITY' ? h('button', { type: 'button', onclick: () => post(escalate,
    'escalate', { version: d.version, reason: text.value || null }) }, '报人民政府 / refer up') : null;
  return h('span', { class: 'decide', 'data-dispute': d.id }, text, share, uphold, escalate);
}

// ------------------------------------------------------------------ data security incidents (数据安全事件)

const INCIDENT_TYPE = { LEAK: '泄露 / leak', MISUSE: '滥用 / misuse', TAMPERING: '篡改 / tampering',
  UNAVAILABILITY: '不可用 / unavailability' };
const INCIDENT_STATUS = { REPORTED: '已报告 / reported', RECTIFYING: '整改中 / rectifying',
  RECTIFIED: '已整改 / rectified', CLOSED: '已结案 / closed' };
// The lists' "overdue only" filter (the service's overdue=true); absent: every one.
const OVERDUE_ONLY = { true: '仅已超期 / overdue only' };
const SEVERITY = { GENERAL: '一般 / general', SERIOUS: '较大 / serious', MAJOR: '重大 / major',
  EXTRAORDINARY: '特别重大 / extraordinary' };

async function incidentsView(params = new URLSearchParams()) {
  const { items: incidents, total } = await listPage('incidents', params, ['status', 'overdue']);
  await namedCases(incidents);
  const again = () => incidentsView(params);
  const report = has('operator', 'reviewer', 'admin') ? incidentForm(again) : null;
  show(h('h2', {}, '数据安全事件 / Data security incidents'),
    h('p', { class: 'meta' }, '谁管理谁负责、谁使用谁负责（条例第三十四条、第三十五条）：发现即报告，主管部门可暂停相关授权、'
      + '责令限期整改。 / Report at once; the competent authority may suspend the grants concerned and require '
      + 'rectification within working days.'),
    report ? h('div', { class: 'actions' }, report) : null,
    filterForm('incident-filter', '#/incidents', params, [
      field('status', '状态 / status', select('status', INCIDENT_STATUS, null, '全部 / all')),
      field('overdue', '整改报告 / rectification report', select('overdue', OVERDUE_ONLY, null, '全部 / all'))]),
    incidents.length ? table(['编号 / id', '报告 / reported', '类型 / type', '数据 / data', '等级 / severity',
      '经过 / what happened', '状态 / status', '整改期限 / due', '整改报告 / report', '结论 / conclusion', ''],
    incidents.map((i) => [String(i.id), beijingTime(i.reportedAt, 'day'), label(INCIDENT_TYPE, i.type),
      named(i.resourceName, i.resourceCode), label(SEVERITY, i.severity), i.description || '',
      h('span', { class: 'incident-status' }, label(INCIDENT_STATUS, i.status)),
      [i.rectificationDueOn || '', i.overdue ? h('strong', { class: 'overdue' }, ' 已超期 / overdue') : null],
      i.rectificationReport || '', i.conclusion || '', decideIncident(i, again)]))
      : emptyList(params, '#/incidents', null, 'no-incidents', [], total),
    pager(params, '#/incidents', incidents.length, total));
}

/**
 * 报告数据安全事件: when it was discovered is entered in Beijing time (now, by default) and sent with its offset; the
 * form's Idempotency-Key files the report once however often it is sent.
 */
function incidentForm(again) {
  const key = newKey();
  const title = '报告数据安全事件 / Report a data security incident';
  const text = (name, rows) => h('textarea', { name, rows });
  return decisionForm('incident-form', title, [
    field('type', '类型 / type', select('type', INCIDENT_TYPE, 'LEAK')),
    field('resourceCode', '资源代码 / resource code', h('input', { name: 'resourceCode' })),
    field('discoveredAt', '发现时间（北京时间） / discovered (Beijing time)', h('input', { name: 'discoveredAt',
      type: 'datetime-local', value: beijingTime(new Date().toISOString()).replace(' ', 'T') })),
    field('description', '事件经过 / what happened', text('description', 3)),
    field('measuresTaken', '已采取的措施 / measures taken', text('measuresTaken', 2)),
  ], '报告 / Report', (f) => {
    return api('POST', `${EXCHANGE}/incidents`, { type: valueOf(f, 'type'), resourceCode: valueOf(f, 'resourceCode'),
      discoveredAt: beijingLocal(valueOf(f, 'discoveredAt')), description: valueOf(f, 'description'),
      measuresTaken: valueOf(f, 'measuresTaken') }, { 'Idempotency-Key': key });
  }, thenShow(again, `${title}：已完成 / done`));
}

/** The 主管部门 suspends the grants concerned, requires rectification and closes; the responsible department
 * reports. Grants are named by the 主管部门 when it suspends them (all those concerned by default). */
function decideIncident(i, again) {
  const base = `${EXCHANGE}/incidents/${i.id}`;
  const text = h('input', { name: 'incident-text', placeholder: '意见、整改要求、整改报告或结论 / text' });
  const post = (control, path, body) => act(control, () => api('POST', `${base}/${path}`,
    { version: i.version, ...body }), thenShow(again, (done) => `事件 #${done.id}：`
      + label(INCIDENT_STATUS, done.status)));
  const buttons = [];
  const open = i.status !== 'CLOSED';
  if (open && competentReviewer()) {
    const suspend = h('button', { type: 'button', onclick: () => post(suspend, 'suspend-grants',
      { reason: text.value || null }) }, '暂停相关授权 / suspend grants');
    const require = h('button', { type: 'button', onclick: () => post(require, 'require-rectification',
      { requirement: text.value || null }) }, '责令整改 / require rectification');
    const close = h('button', { type: 'button', onclick: () => post(close, 'close',
      { conclusion: text.value || null }) }, '结案 / close');
    buttons.push(suspend, require, close);
  }
  if (i.status === 'RECTIFYING' && has('operator') && i.responsibleDepartmentCode === state.me.department) {
    const file = h('button', { type: 'button', onclick: () => post(file, 'rectification-report',
      { report: text.value || null }) }, '报送整改报告 / file the report');
    buttons.push(file);
  }
  return buttons.length ? h('span', { class: 'decide', 'data-incident': i.id }, text, buttons) : '';
}

// ------------------------------------------------------------------ one request (共享申请的办理)

const REQUEST_ACTIONS = { FILE: '提出申请 / filed', HEAD_APPROVE: '负责人审核同意 / approved by the head',
  HEAD_RETURN: '负责人退回 / returned by the head', ASK_SUPPLEMENT: '一次性告知补充 / supplement asked',
  RESUBMIT: '补充后重新提交 / resubmitted', APPROVE: '同意 / approved', REFUSE: '不予共享 / refused',
  REQUEST_EXTENSION: '申请延期 / extension asked', APPROVE_EXTENSION: '批准延期 / extension approved',
  REFUSE_EXTENSION: '不予延期 / extension refused', WITHDRAW: '撤回申请 / request withdrawn',
  ESCALATE_OVERDUE: '逾期督办 / escalated as overdue', REOPEN_AFTER_DISPUTE: '协调后重新答复 / reopened after a dispute',
  PROPOSE_ANSWER: '拟答复，报负责人审核 / answer proposed to the head',
  ANSWER_RETURN: '负责人退回拟答复 / answer returned by the head' };
const GRANT_ACTIONS = { CREATE: '授权 / granted', SUSPEND: '暂停 / suspended', RESUME: '恢复 / resumed',
  CHANGE: '变更 / changed', TERMINATE: '终止 / terminated', RELINQUISH: '使用部门放弃 / given up by the consumer', EXPIRE: '到期 / expired',
  CONFIRM_DISPOSAL: '确认处置 / disposal confirmed',
  ESCALATE_DISPOSAL_OVERDUE: '逾期未处置，报主管部门 / disposal overdue, escalated',
  ESCALATE_RECTIFICATION_OVERDUE: '逾期未整改，报主管部门 / rectification overdue, escalated' };
const DELIVERY = { API: '接口 / API', BULK: '批量 / bulk', FILE: '文件 / file', SUBSCRIPTION: '订阅 / subscription' };

/** The legal basis of a refusal: the catalogue's for 不予共享, else the one the provider cited (if any). */
function refusalBasis(r) {
  const b = r.refusalLegalBasis;
  if (b) return [b.title, b.article].filter(Boolean).join(' ');
  const d = r.lastDecision;
  return r.status === 'REFUSED' && d && d.action === 'REFUSE' ? d.legalBasis : null;
}

function basisNote(r) {
  const basis = refusalBasis(r);
  return basis ? h('small', { class: 'legal-basis' }, ' 依据 / legal basis: ' + basis) : null;
}

/** The link from a list's row to the page of its object (the id cell keeps the bare id other pages look for). */
export const openLink = (href) => h('a', { href, class: 'open' }, '详情 / open');

/** Label/value pairs as a definition list; pairs without a value are left out. */
export function facts(pairs) {
  return h('dl', {}, pairs.filter(([, v]) => v != null && v !== '' && !(Array.isArray(v) && !v.length))
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** An object's append-only history: when, what, who (name, department, role), from → to, why. */
export function historyTable(events, actions, statuses) {
  return [h('h3', {}, '办理记录 / history'), events.length ? table(['时间 / at', '操作 / action', '人员 / by',
    '状态 / status', '理由或意见 / reason', '依据 / legal basis'], events.map((ev) => [beijingTime(ev.at, 'second'),
    label(actions, ev.action), ev.automatic ? '系统 / automatic' : [ev.actorName ? ev.actorName + ' · ' : '',
      ev.actor && ev.actor.departmentCode ? departmentCell(ev.actor.departmentCode) : '',
      ev.actor && ev.actor.role ? ` (${label(ACTOR_ROLES, ev.actor.role)})` : ''],
    `${label(statuses, ev.fromStatus) || '—'} → ${label(statuses, ev.toStatus)}`, ev.reason || '',
    ev.legalBasis || ''])) : h('p', {}, '无 / none')];
}

/**
 * A form sending send(form)'s call; the service's answer goes to done, its messages beside the fields. ask: the
 * question put first when the action cannot be undone (confirmFirst).
 */
export function decisionForm(id, title, fields, button, send, done, ask) {
  const f = h('form', { id, class: 'action' }, h('h4', {}, title), fields, h('button', { type: 'submit' }, button));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const control = f.querySelector('button[type=submit]');
    const run = () => act(control, () => send(f), done, f);
    if (ask) confirmFirst(control, ask, run);
    else run();
  });
  return f;
}

/** A form field's trimmed value, null when empty; as a number for number inputs. */
export function valueOf(f, name) {
  const el = f.elements[name];
  const v = el.value.trim();
  if (v === '') return null;
  return el.type === 'number' ? Number(v) : v;
}

const checkedOf = (f, name) => [...f.querySelectorAll(`input[name="${name}"]:checked`)].map((c) => c.value);

/** A checkbox per data item, named as the view or the catalogue names it (names: viewNames' answer) beside its code. */
function codeChecks(name, codes, checked, names) {
  return h('span', { class: 'checks' }, codes.map((code) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name, value: code, checked: checked == null || checked.includes(code) }),
    ' ' + itemsText(names, [code]))));
}

const reasonField = (text) => field('reason', text, h('textarea', { name: 'reason', rows: 2 }));

async function requestView(id) {
  const [r, events] = await Promise.all([api('GET', `${EXCHANGE}/requests/${id}`),
    api('GET', `${EXCHANGE}/requests/${id}/history`)]);
  // who decides sees what they decide on: the resource and its items by name (the request's own names, else the
  // catalogue's; the bare codes if neither has them)
  const names = await viewNames(r);
  const mine = (code) => has('operator') && code === state.me.department;
  const provider = mine(r.providerDepartmentCode);
  const consumer = mine(r.consumerDepartmentCode);
  const awaiting = r.status === 'AWAITING_HEAD_APPROVAL';
  // 本部门负责人审核 (R7): the head of the requesting department, not the filer, approves or returns it
  const head = awaiting && has('head') && r.consumerDepartmentCode === state.me.department
    && r.filedBy !== state.me.subject;
  // 提供部门负责人审核答复 (条例第二十条第三款): the provider's head, not the operator who prepared it, decides the answer
  const answerAwaiting = r.status === 'ANSWER_AWAITING_HEAD';
  const proposal = r.proposedAnswer;
  const answerHead = answerAwaiting && proposal && has('head') && r.providerDepartmentCode === state.me.department
    && proposal.proposedBy !== state.me.subject;
  const basis = refusalBasis(r);
  show(h('p', {}, h('a', { href: '#/requests' }, '← 共享申请 / requests')),
    h('h2', {}, `共享申请 / Share request #${r.id}`),
    h('p', { class: 'meta' }, h('span', { id: 'request-status' }, label(REQUEST_STATUS, r.status)),
      r.dueOn && ['PENDING', 'ANSWER_AWAITING_HEAD', 'SUPPLEMENT_REQUESTED'].includes(r.status) ? [' · 答复期限 / answer due ',
        due(r.dueOn, r.dueOnProvisional)] : '',
      r.extended ? ' · 已延期 / extended' : '', r.escalated ? h('strong', { class: 'overdue' }, ' 已督办 / escalated') : ''),
    awaiting ? h('p', { id: 'head-approval-pending' }, '待本部门负责人审核同意后送提供部门，提供部门尚未收到 / the provider '
      + 'receives the request once the department\'s head approves it') : null,
    answerAwaiting ? h('p', { id: 'answer-approval-pending' }, '提供部门已拟答复，待其负责人审核同意后生效；答复期限不变 / the '
      + 'provider\'s answer takes effect once its head approves it; the answer is still due by the date above') : null,
    proposal ? proposedAnswer(proposal, names) : null,
    r.status === 'RETURNED_BY_HEAD' ? h('p', { id: 'head-returned' }, h('strong', {}, '负责人退回理由 / returned: '),
      r.decisionReason || '') : null,
    r.status === 'SUPPLEMENT_REQUESTED' ? h('p', { id: 'supplement-note' },
      h('strong', {}, '需补充 / to supply: '), r.supplementNote || '') : null,
    ['REFUSED', 'NOT_SHARED'].includes(r.status) ? h('p', { id: 'refusal' },
      h('strong', {}, '不予共享理由 / reasons: '), r.decisionReason || '',
      basis ? h('span', { id: 'refusal-basis' }, ' · 法律依据 / legal basis: ' + basis) : null) : null,
    facts([['资源 / resource', h('span', { id: 'request-resource' }, resourceText(names, r.resourceCode))],
      ['提供方 / provider', departmentCell(r.providerDepartmentCode)],
      ['申请方 / consumer', departmentCell(r.consumerDepartmentCode)],
      ['数据项 / items', h('span', { id: 'request-items' }, itemsText(names, r.items))],
      ['申请依据 / legal basis', r.legalBasis], ['应用场景 / scenario', r.scenario], ['用途 / purpose', r.purpose],
      ['使用范围 / scope', r.scope], ['共享方式 / delivery', label(DELIVERY, r.deliveryMethod)],
      ['使用期限 / period', `${r.periodFrom || ''} – ${r.periodTo || ''}`],
      ['隐蔽查询 / covert use', r.covertUse ? h('span', { id: 'request-covert' },
        `申请允许隐蔽查询（依法不告知当事人）/ declared · ${r.covertUse.legalBasis} · 最长 / at most `
        + label(COVERT_PERIOD, r.covertUse.maxPeriod))
        : null],
      ['本部门负责人审核 / approved by the department head', r.officeHeadApprover],
      ['提供部门负责人审核答复 / answer approved by the provider head', r.providerHeadApprover],
      ['收到 / received', awaiting ? null : r.receivedOn],
      ['延期 / extension', r.extensionDays ? `${r.extensionDays} 个工作日 / working days：${r.extensionReason || ''}`
        + (r.extended ? '（已批准 / approved）' : r.extensionRefused ? '（不予延期 / refused）'
          : '（待主管部门批准 / awaiting the 主管部门）') : null],
      ['决定 / decision', r.decisionReason],
      ['授权 / grant', r.grantId ? h('a', { href: `#/grants/${r.grantId}`, id: 'request-grant' }, `#${r.grantId}`)
        : null]]),
    h('div', { class: 'actions' }, provider && r.status === 'PENDING' ? providerForms(r, names) : null,
      head ? headForms(r) : null,
      answerHead ? answerHeadForms(r) : null,
      consumer && r.status === 'SUPPLEMENT_REQUESTED' ? resubmitForm(r) : null,
      consumer && ['AWAITING_HEAD_APPROVAL', 'PENDING', 'ANSWER_AWAITING_HEAD', 'SUPPLEMENT_REQUESTED']
        .includes(r.status) ? withdrawForm(r) : null,
      competentReviewer() && !party(r) && ['PENDING', 'ANSWER_AWAITING_HEAD'].includes(r.status)
        && r.extensionDays && !r.extended && !r.extensionRefused
        ? [extensionApproval(r), extensionRefusal(r)] : null),
    historyTable(events, REQUEST_ACTIONS, REQUEST_STATUS));
}

const requestDone = (id) => thenShow(() => requestView(id),
  (r) => `申请 #${r.id}：${label(REQUEST_STATUS, r.status)}`);

/**
 * The provider's answers to a pending request: approve (narrowing), refuse, ask once for more, ask for time. An
 * operator without head proposes the approval or refusal: it takes effect once the department's head approves it.
 */
function providerForms(r, names) {
  const base = `${EXCHANGE}/requests/${r.id}`;
  const items = r.items || [];
  const toHead = !has('head');
  const forms = [toHead ? h('p', { id: 'answer-to-head' }, '同意或不予共享的答复报本部门负责人审核同意后生效（条例第二十条）；'
    + '答复期限不变。 / An approval or refusal goes to the department\'s head and takes effect once the head approves it; '
    + 'it is still due by the answer date.') : null,
  r.covertUse ? h('p', { id: 'answer-covert' }, '本申请声明了隐蔽查询：同意即同时同意隐蔽查询；不同意的，请不予共享并说明理由。 / '
    + 'This request declares covert use: approving it approves the covert use; if you do not agree, refuse with reasons.')
    : null,
  decisionForm('request-approve', toHead ? '拟同意共享，报负责人审核 / Propose approval to the head'
    : '同意共享 / Approve', [
    field('items', '授权数据项（可缩减） / items granted (fewer allowed)', codeChecks('items', items, null, names)),
    field('clearItems', '明文提供的敏感项 / sensitive items unmasked', codeChecks('clearItems', items, [], names)),
    field('periodTo', '使用期限至（可缩短） / until (may be shortened)', h('input', { type: 'date', name: 'periodTo',
      value: r.periodTo || '' })),
    field('quotaPerSecond', '每秒调用上限 / calls a second', h('input', { type: 'number', min: 1, name: 'quotaPerSecond' })),
    field('quotaPerDay', '每日调用上限 / calls a day', h('input', { type: 'number', min: 1, name: 'quotaPerDay' })),
    field('note', '意见 / note', h('input', { name: 'note' })),
    disposalFields(null),
  ], toHead ? '报负责人审核 / Send to the head' : '同意 / Approve', (f) => {
    const chosen = checkedOf(f, 'items');
    const periodTo = valueOf(f, 'periodTo');
    return api('POST', `${base}/approve`, { version: r.version, note: valueOf(f, 'note'),
      items: chosen.length === items.length ? null : chosen, clearItems: checkedOf(f, 'clearItems'),
      periodTo: periodTo === r.periodTo ? null : periodTo, quotaPerSecond: valueOf(f, 'quotaPerSecond'),
      quotaPerDay: valueOf(f, 'quotaPerDay'), disposalRequirement: disposalRequirement(f) });
  }, requestDone(r.id)),
  decisionForm('request-refuse', toHead ? '拟不予共享，报负责人审核 / Propose refusal to the head'
    : '不予共享 / Refuse', [
    reasonField('理由（必填） / reasons (required)'),
    field('legalBasis', '法律依据（如有） / legal basis cited, if any', h('input', { name: 'legalBasis',
      placeholder: '例如：《中华人民共和国个人信息保护法》第三十四条' })),
  ], toHead ? '报负责人审核 / Send to the head' : '不予共享 / Refuse', (f) => api('POST', `${base}/refuse`, { version: r.version, reason: valueOf(f, 'reason'),
    legalBasis: valueOf(f, 'legalBasis') }), requestDone(r.id))];
  if (!r.supplementAsked) {
    forms.push(decisionForm('request-supplement', '一次性告知补充材料 / Ask once for what is missing',
      [reasonField('需补充的全部内容 / everything that is missing')], '告知补充 / Ask',
      (f) => api('POST', `${base}/supplement`, { version: r.version, reason: valueOf(f, 'reason') }),
      requestDone(r.id)));
  }
  if (r.extensionDays == null && !r.extended) {
    forms.push(decisionForm('request-extension', '申请延期（须主管部门批准） / Ask for an extension', [
      reasonField('延期理由 / why'),
      field('days', '延长工作日（1–10） / working days (1–10)', h('input', { type: 'number', name: 'days', min: 1,
        max: 10, value: 10 })),
    ], '申请延期 / Ask', (f) => api('POST', `${base}/extension`, { version: r.version, reason: valueOf(f, 'reason'),
      days: valueOf(f, 'days') }), requestDone(r.id)));
  }
  return forms;
}

/**
 * A head's two forms on what waits for it: approve with an optional opinion, or return with reasons. ids: the
 * forms' ids; paths: the two actions under the request; titles: the two forms' headings.
 */
function headDecision(r, [approveId, returnId], [approvePath, returnPath], [approveTitle, returnTitle]) {
  const base = `${EXCHANGE}/requests/${r.id}`;
  return [decisionForm(approveId, approveTitle,
    [field('opinion', '意见（可选） / opinion (optional)', h('input', { name: 'opinion' }))], '同意 / Approve',
    (f) => api('POST', `${base}/${approvePath}`, { version: r.version, opinion: valueOf(f, 'opinion') }),
    requestDone(r.id)),
  decisionForm(returnId, returnTitle, [reasonField('退回理由（必填） / reasons (required)')],
    '退回 / Return', (f) => api('POST', `${base}/${returnPath}`, { version: r.version, reason: valueOf(f, 'reason') }),
    requestDone(r.id))];
}

/** 负责人审核: the head approves (the request then goes to the provider) or returns it with reasons. */
function headForms(r) {
  return headDecision(r, ['head-approve', 'head-return'], ['head-approval', 'head-return'],
    ['审核同意，提交提供部门 / Approve and send to the provider', '退回申请 / Return the request']);
}

/** The answer the provider's operator proposed, as its department sees it (the requester is not shown it). */
function proposedAnswer(p, names) {
  const approve = p.decision === 'APPROVE';
  return h('div', { id: 'proposed-answer' }, h('h3', {}, approve ? '拟同意共享 / Proposed: approve'
    : '拟不予共享 / Proposed: refuse'), facts([
    ['授权数据项 / items', approve ? itemsText(names, p.items) : null],
    ['明文提供 / unmasked', approve ? itemsText(names, p.clearItems) : null],
    ['使用期限至 / until', approve ? p.periodTo || '（按申请 / as requested）' : null],
    ['每秒调用上限 / calls a second', count(p.quotaPerSecond)], ['每日调用上限 / calls a day', count(p.quotaPerDay)],
    ['意见 / note', p.note], ['理由 / reasons', p.reason], ['法律依据 / legal basis', p.legalBasis],
    ['拟答复时间 / proposed at', p.proposedAt ? beijingTime(p.proposedAt, 'second') : null]]));
}

/** 提供部门负责人审核答复: the provider's head approves the proposed answer (it is then given) or returns it. */
function answerHeadForms(r) {
  return headDecision(r, ['answer-approve', 'answer-return'], ['answer-approval', 'answer-return'],
    ['审核同意，按拟答复办理 / Approve the answer', '退回拟答复 / Return the answer']);
}

/**
 * A head's work list, newest first, one page at a time: the requests the filters (set on the list's query) find, in
 * the element whose id is also the list's address.
 */
async function headWorkList(params, filters, id, side, title, meta) {
  const query = new URLSearchParams(params);
  for (const [k, v] of Object.entries(filters)) query.set(k, v);
  const { items: list, total } = await listPage('requests', query, Object.keys(filters));
  const names = await viewsNames(list);
  show(h('h2', {}, title), h('p', { class: 'meta' }, meta),
    list.length ? h('div', { id }, requestTable(list, side, null, params, names))
      : h('p', { id: `${id}-none` }, '无 / none'),
    pager(params, `#/${id}`, list.length, total));
}

/** Requests of the head's department awaiting its approval. */
function headApprovalsView(params = new URLSearchParams()) {
  return headWorkList(params, { side: 'consumer', status: 'AWAITING_HEAD_APPROVAL' }, 'request-approvals', 'consumer',
    '待我审核的共享申请 / Requests awaiting my approval', '本部门经办人提出的共享申请，经部门负责人审核同意后方送提供部门'
      + '（条例第二十条）。 / Requests filed by the department\'s operators go to the provider once its head approves them.');
}

/** Answers of the provider head's department awaiting its approval (条例第二十条第三款). */
function answerApprovalsView(params = new URLSearchParams()) {
  return headWorkList(params, { awaiting: 'answer-approval' }, 'answer-approvals', 'provider',
    '待我审核的答复 / Answers awaiting my approval', '本部门经办人对共享申请的拟答复，经部门负责人审核同意后方生效'
      + '（条例第二十条）。 / Answers the department\'s operators prepared take effect once its head approves them.');
}

/** The requester supplies what was asked for: only the fields it changes are sent. */
function resubmitForm(r) {
  const names = [['legalBasis', '申请依据 / legal basis'], ['scenario', '应用场景 / scenario'],
    ['purpose', '用途 / purpose'], ['scope', '使用范围 / scope']];
  return decisionForm('request-resubmit', '补充材料后重新提交 / Resubmit with what was asked for', [
    names.map(([name, text]) => field(name, text, h('input', { name, value: r[name] || '' }))),
    field('note', '补充说明 / what was supplied', h('textarea', { name: 'note', rows: 2 })),
  ], '重新提交 / Resubmit', (f) => {
    const body = { version: r.version, note: valueOf(f, 'note') };
    for (const [name] of names) {
      const v = valueOf(f, name);
      body[name] = v === r[name] ? null : v;
    }
    return api('POST', `${EXCHANGE}/requests/${r.id}/resubmit`, body);
  }, requestDone(r.id));
}

/** 撤回申请: the requester takes back a request nobody has decided yet. */
function withdrawForm(r) {
  return decisionForm('request-withdraw', '撤回申请 / Withdraw the request',
    [field('reason', '撤回原因（可选） / why (optional)', h('input', { name: 'reason' }))], '撤回 / Withdraw',
    (f) => api('POST', `${EXCHANGE}/requests/${r.id}/withdraw`, { version: r.version, reason: valueOf(f, 'reason') }),
    requestDone(r.id), `确定撤回申请 #${r.id}？撤回后不能恢复，如仍需要数据须重新申请。 / Withdraw request #${r.id}? This `
      + 'cannot be undone: to get the data later, file a new request.');
}

/** 不予延期: the request keeps its original answer date. */
function extensionRefusal(r) {
  return decisionForm('extension-refuse', '不予延期 / Refuse the extension',
    [reasonField('理由（必填） / reasons (required)')], '不予延期 / Refuse',
    (f) => api('POST', `${EXCHANGE}/requests/${r.id}/extension/refuse`, { version: r.version,
      reason: valueOf(f, 'reason') }), requestDone(r.id));
}

function extensionApproval(r) {
  return decisionForm('extension-approve', `批准延期 ${r.extensionDays} 个工作日 / Approve the extension`,
    [field('reason', '意见（可选） / opinion (optional)', h('input', { name: 'reason' }))], '批准延期 / Approve',
    (f) => api('POST', `${EXCHANGE}/requests/${r.id}/extension/approve`, { version: r.version,
      reason: valueOf(f, 'reason') }), requestDone(r.id));
}

// ------------------------------------------------------------------ grants (共享授权)

/** The bases of grants issued by rule, not by the provider's decision (条例第十五条、第二十四条). */
const BY_RULE = ['无条件共享', '回流 (条例第二十四条)'];

/**
 * The caller's department is the consumer or the provider: its reviewers do not decide the matter. The 主管部门's
 * decisions are offered to reviewers only (the exchange refuses them to admins, and to reviewers of a department that
 * is not its region's 主管部门, with a 403 the page shows).
 */
const party = (x) => [x.consumerDepartmentCode, x.providerDepartmentCode].includes(state.me.department);


/**
 * One page of a paged list (grants, disputes, objections, complaints, incidents): the page and the filters kept in
 * the section's address, PAGE_SIZE rows, and the total the service counts (X-Total-Count) for the pager.
 */
export function listPage(path, params, filters = []) {
  const query = new URLSearchParams();
  for (const k of [...filters, 'page']) if (params.get(k)) query.set(k, params.get(k));
  query.set('size', String(PAGE_SIZE));
  return apiPage(`${EXCHANGE}/${path}?${query}`);
}

async function grantsView(params) {
  const { items: grants, total } = await listPage('grants', params, ['status', 'resourceCode']);
  const names = await viewsNames(grants);
  const filter = filterForm('grant-filter', '#/grants', params, [
    field('status', '状态 / status', select('status', GRANT_STATUS, null, '全部 / all')),
    field('resourceCode', '资源代码 / resource code', h('input', { name: 'resourceCode' }))]);
  show(h('h2', {}, '共享授权 / Grants'), filter,
    grants.length ? table(['编号 / id', '', '资源 / resource', '使用方 / consumer', '提供方 / provider',
      '用途 / purpose', '有效期 / valid', '状态 / status'], grants.map((g) => [String(g.id),
      openLink(`#/grants/${g.id}`), resourceText(names.get(g.resourceCode), g.resourceCode),
      departmentCell(g.consumerDepartmentCode),
      departmentCell(g.providerDepartmentCode), g.purpose || '', `${g.validFrom || ''} – ${g.validTo || ''}`,
      label(GRANT_STATUS, g.status)]))
      : emptyList(params, '#/grants', '暂无授权 / no grants', 'no-grants', [], total),
    pager(params, '#/grants', grants.length, total));
}

async function grantView(id, params = new URLSearchParams()) {
  const [g, events] = await Promise.all([api('GET', `${EXCHANGE}/grants/${id}`),
    api('GET', `${EXCHANGE}/grants/${id}/history`)]);
  const names = await viewNames(g);
  // R14/R15: the provider's operators and the 主管部门 (its reviewers; never those of a party's own department)
  // govern a grant; the consumer confirms disposal. The provider neither ends nor narrows a grant issued by rule
  // (无条件共享, 回流: it may only raise the quotas) and lifts only a suspension it imposed itself.
  const provider = has('operator') && g.providerDepartmentCode === state.me.department;
  const authority = !provider && competentReviewer() && !party(g);
  const byRule = BY_RULE.includes(g.basis);
  const consumer = has('operator') && g.consumerDepartmentCode === state.me.department;
  // 放弃授权 (条例第二十七条第一款): the consumer department's operators and heads end their own grant in force
  const relinquisher = has('operator', 'head') && g.consumerDepartmentCode === state.me.department;
  const forms = [];
  if ((provider || authority) && g.status === 'ACTIVE') {
    forms.push(grantSuspend(g), grantChange(g, provider && byRule, names));
  }
  if (g.status === 'SUSPENDED' && (authority || (provider && g.suspendedBy === 'PROVIDER'))) {
    forms.push(grantReasoned(g, 'resume', '恢复授权 / Resume'));
  }
  if (['ACTIVE', 'SUSPENDED'].includes(g.status) && (authority || (provider && !byRule))) {
    forms.push(grantTerminate(g, provider));
  }
  if (relinquisher && ['ACTIVE', 'SUSPENDED'].includes(g.status)) {
    forms.push(grantRelinquish(g));
  }
  if (consumer && ['TERMINATED', 'EXPIRED'].includes(g.status) && !g.disposalConfirmedAt) {
    forms.push(grantReasoned(g, 'disposal', '确认已按要求处置数据 / Confirm disposal of the data'));
  }
  // 争议 (条例 Art. 28): the consumer disputes the provider's suspension or termination, or data not delivered
  const disputeAbout = !consumer ? null : g.status === 'SUSPENDED' && g.suspendedBy === 'PROVIDER' ? 'SUSPENSION'
    : g.status === 'TERMINATED' && terminatedByProvider(g) ? 'TERMINATION'
      : g.status === 'ACTIVE' && g.deliveryDue && !g.firstDeliveredAt && g.deliveryDue < today() ? 'NON_DELIVERY' : null;
  show(h('p', {}, h('a', { href: '#/grants' }, '← 共享授权 / grants')),
    h('h2', {}, `共享授权 / Grant #${g.id}`),
    h('p', { class: 'meta' }, h('span', { id: 'grant-status' }, label(GRANT_STATUS, g.status)),
      g.statusReason ? h('span', { id: 'grant-reason' }, ' · ' + g.statusReason) : null),
    facts([['资源 / resource', h('span', { id: 'grant-resource' }, resourceText(names, g.resourceCode))],
      ['提供方 / provider', departmentCell(g.providerDepartmentCode)],
      ['使用方 / consumer', departmentCell(g.consumerDepartmentCode)],
      ['数据项 / items', h('span', { id: 'grant-items' }, itemsText(names, g.items))],
      ['明文项 / unmasked items', itemsText(names, g.clearItems) || '无 / none'],
      ['用途 / purpose', g.purpose], ['依据 / legal basis', g.legalBasis], ['共享类型 / basis', g.basis],
      ['共享方式 / delivery', label(DELIVERY, g.deliveryMethod)],
      ['允许隐蔽查询 / covert use', h('span', { id: 'grant-covert' }, g.covertUsePermitted && g.covertUse
        ? `允许 / permitted · ${g.covertUse.legalBasis} · 最长 / at most ${label(COVERT_PERIOD,
          g.covertUse.maxPeriod)}`
        : '不允许 / not permitted')],
      ['有效期 / valid', h('span', { id: 'grant-period' }, `${g.validFrom || ''} – ${g.validTo || ''}`)],
      ['调用上限 / quota', h('span', { id: 'grant-quota' }, `${count(g.quotaPerSecond)} 次/秒 / a second · `
        + `${count(g.quotaPerDay)} 次/日 / a day`)],
      ['区域范围 / records of region', g.regionScope ? regionCell(g.regionScope) : null],
      ['交付期限 / delivery due', g.deliveryDue ? h('span', { id: 'grant-delivery' }, g.firstDeliveredAt
        ? `${g.deliveryDue} · 已交付 / delivered ${beijingTime(g.firstDeliveredAt)}`
        : [due(g.deliveryDue, g.deliveryDueProvisional),
          g.deliveryEscalated ? h('strong', { class: 'overdue' }, ' 逾期未交付 / overdue') : null])
        : null],
      ['申请 / request', g.requestId ? h('a', { href: `#/requests/${g.requestId}` }, `#${g.requestId}`) : null],
      ['整改期限 / rectify by', g.rectificationDue ? h('span', { id: 'grant-rectification' }, [due(g.rectificationDue, g.rectificationDueProvisional),
        g.rectificationEscalated ? h('strong', { class: 'overdue' }, ' 逾期未整改 / overdue') : null]) : null],
      ['处置要求 / disposal required', g.disposalRequirement ? h('span', { id: 'grant-disposal-requirement' },
        label(DISPOSAL_METHOD, g.disposalRequirement.method)
        + (g.disposalRequirement.instructions ? ` · ${g.disposalRequirement.instructions}` : '')
        + (g.disposalRequirement.statedByProvider === false ? '（提供部门未另行要求 / none stated: deletion）' : ''))
        : null],
      ['处置期限 / dispose by', g.disposalDue && !g.disposalConfirmedAt ? h('span', { id: 'grant-disposal-due' },
        [due(g.disposalDue, g.disposalDueProvisional), g.disposalOverdue ? h('strong', { class: 'overdue' }, ' 逾期未确认 / overdue') : null]) : null],
      ['已确认处置 / disposal confirmed', g.disposalConfirmedAt ? beijingTime(g.disposalConfirmedAt) : null]]),
    disputeAbout ? h('p', {}, h('a', { href: `#/disputes/new?grantId=${g.id}&subject=${disputeAbout}`,
      id: 'grant-dispute', class: 'dispute-new' }, `就${label(DISPUTE_SUBJECT, disputeAbout).split(' / ')[0]}提请协调 / `
      + 'dispute this')) : null,
    consumer ? h('p', {}, h('a', { href: `#/objections?resourceCode=${encodeURIComponent(g.resourceCode)}`,
      id: 'grant-objection' }, '对数据质量提出异议 / object to a record\'s quality')) : null,
    forms.length ? h('div', { class: 'actions' }, forms) : null,
    await usageRecords(g, consumer, params).catch((e) => h('p', { id: 'usage-records-error', class: 'overdue' },
      '使用记录暂时无法加载 / the usage records could not be loaded: ' + (e.message || e))),
    historyTable(events, GRANT_ACTIONS, GRANT_STATUS));
}

const grantDone = (id) => thenShow(() => grantView(id), (g) => `授权 #${g.id}：${label(GRANT_STATUS, g.status)}`
  + (g.statusReason ? ` · ${g.statusReason}` : ''));

const DISPOSAL_METHOD = { DELETE: '删除 / delete', RETURN: '退回提供部门 / return to the provider',
  ARCHIVE_SEALED: '封存归档 / archive under seal', OTHER: '其他（见说明） / other (see instructions)' };

/** The grant's last decision was a termination by the provider's operator (not the 主管部门, not a rule). */
const terminatedByProvider = (g) => g.lastDecision && g.lastDecision.action === 'TERMINATE'
  && !g.lastDecision.automatic && g.lastDecision.actor && g.lastDecision.actor.departmentCode === g.providerDepartmentCode;

/** The provider's disposal requirement (R14): how, and instructions; both optional, the method defaulting to deletion. */
function disposalFields(current) {
  return [field('disposalRequirement.method', '数据处置要求 / disposal required', select('disposalMethod',
    DISPOSAL_METHOD, current && current.statedByProvider !== false ? current.method : null, '删除（默认） / delete (default)')),
  field('disposalRequirement.instructions', '处置说明 / instructions', h('input', { name: 'disposalInstructions',
    value: current && current.instructions ? current.instructions : '' }))];
}

function disposalRequirement(f) {
  const method = valueOf(f, 'disposalMethod');
  const instructions = valueOf(f, 'disposalInstructions');
  return method || instructions ? { method: method || 'DELETE', instructions } : null;
}

/** 暂停授权 with its reason and, optionally, a rectification deadline in working days (整改期限). */
function grantSuspend(g) {
  return decisionForm('grant-suspend', '暂停授权 / Suspend', [
    reasonField('理由（必填，记录在案并通知对方） / reason (recorded)'),
    field('rectificationWorkingDays', '整改期限（工作日，可选） / working days to rectify (optional)',
      h('input', { type: 'number', min: 1, max: 60, name: 'rectificationWorkingDays' })),
  ], '暂停授权 / Suspend', (f) => api('POST', `${EXCHANGE}/grants/${g.id}/suspend`, { version: g.version,
    reason: valueOf(f, 'reason'), rectificationWorkingDays: valueOf(f, 'rectificationWorkingDays') }), grantDone(g.id));
}

/** 终止授权; the provider may state or change how the data is to be disposed of (R14). */
function grantTerminate(g, provider) {
  return decisionForm('grant-terminate', '终止授权 / Terminate', [
    reasonField('理由（必填，记录在案并通知对方） / reason (recorded)'),
    provider ? disposalFields(g.disposalRequirement) : null,
  ], '终止授权 / Terminate', (f) => api('POST', `${EXCHANGE}/grants/${g.id}/terminate`, { version: g.version,
    reason: valueOf(f, 'reason'), disposalRequirement: provider ? disposalRequirement(f) : null }), grantDone(g.id),
  `确定终止授权 #${g.id}？终止后不能恢复，使用方须按要求处置数据。 / Terminate grant #${g.id}? This cannot be undone; the `
    + 'consumer must dispose of the data.');
}

/**
 * 放弃授权: the consumer gives its grant up once the purpose is achieved or the data is no longer needed; the grant
 * ends, the provider is told and the disposal is then due as after any end.
 */
function grantRelinquish(g) {
  return decisionForm('grant-relinquish', '放弃授权 / Give up the grant', [
    h('p', { class: 'meta' }, '使用目的已实现、无法实现或不再需要该数据时，使用部门放弃授权并按要求处置数据（条例第二十七条）。 / '
      + 'Once the purpose is achieved, can no longer be achieved or the data is no longer needed, give the grant up '
      + 'and dispose of the data as required.'),
    reasonField('放弃理由（必填，记录在案并通知提供部门） / reason (recorded, the provider is told)'),
  ], '放弃授权 / Give up', (f) => api('POST', `${EXCHANGE}/grants/${g.id}/relinquish`, { version: g.version,
    reason: valueOf(f, 'reason') }), grantDone(g.id),
  `确定放弃授权 #${g.id}？放弃后授权即终止、不能恢复，须按要求处置数据。 / Give up grant #${g.id}? It ends at once and `
    + 'cannot be restored; the data must then be disposed of as required.');
}

/** Suspend, resume, terminate or confirm disposal: each with its recorded reason. */
function grantReasoned(g, action, title) {
  return decisionForm(`grant-${action}`, title, [reasonField('理由（必填，记录在案并通知对方） / reason (recorded)')],
    title, (f) => api('POST', `${EXCHANGE}/grants/${g.id}/${action}`, { version: g.version,
      reason: valueOf(f, 'reason') }), grantDone(g.id));
}

/**
 * 授权变更 (R15): fewer items, another end date or quota; only what changes is sent. {@code quotasOnly}: the provider
 * on a grant issued by rule, which may only raise the quotas.
 */
function grantChange(g, quotasOnly, names) {
  const items = g.items || [];
  return decisionForm('grant-change', quotasOnly ? '提高调用上限 / Raise the quotas' : '变更授权 / Change', [
    quotasOnly ? h('p', { id: 'grant-change-by-rule' }, '依规则产生的授权（' + g.basis + '），提供部门只能提高调用上限；'
      + '其他变更须变更目录并报主管部门审核备案 / a grant issued by rule: the provider may only raise its quotas; '
      + 'anything else is a change of the catalogue entry, reviewed and filed with the 主管部门') : null,
    quotasOnly ? null : field('items', '数据项（只能缩减） / items (fewer only)', codeChecks('items', items, null, names)),
    quotasOnly ? null : field('validTo', '有效期至 / valid until', h('input', { type: 'date', name: 'validTo',
      value: g.validTo || '' })),
    field('quotaPerSecond', '每秒调用上限 / calls a second', h('input', { type: 'number',
      min: quotasOnly ? g.quotaPerSecond : 1, name: 'quotaPerSecond', value: g.quotaPerSecond })),
    field('quotaPerDay', '每日调用上限 / calls a day', h('input', { type: 'number',
      min: quotasOnly ? g.quotaPerDay : 1, name: 'quotaPerDay', value: g.quotaPerDay })),
    reasonField('变更理由（必填） / reason (required)'),
  ], '变更 / Change', (f) => {
    const chosen = checkedOf(f, 'items');
    const changed = (name) => (valueOf(f, name) === g[name] ? null : valueOf(f, name));
    return api('POST', `${EXCHANGE}/grants/${g.id}/change`, { version: g.version, reason: valueOf(f, 'reason'),
      items: quotasOnly || chosen.length === items.length ? null : chosen,
      validTo: quotasOnly ? null : changed('validTo'),
      quotaPerSecond: changed('quotaPerSecond'), quotaPerDay: changed('quotaPerDay') });
  }, grantDone(g.id));
}

// ------------------------------------------------------------------ usage records (使用记录, R16)

const RECORD_KIND = { SCENARIO: '使用场景 / scenario', PROCESSING: '使用过程（加工处理） / processing',
  STORAGE: '存储 / storage', OUTCOME: '应用成效 / outcome', DESTRUCTION: '销毁 / destruction' };
// The fields each kind asks for besides the description (the service refuses those of another kind).
const RECORD_FIELDS = { STORAGE: ['location', 'safeguards'], OUTCOME: ['periodFrom', 'periodTo', 'outcome'],
  DESTRUCTION: ['method', 'destroyedOn'] };

/**
 * 条例第二十九条: the consumer records how it uses a grant's data (scenario, processing, storage, outcomes,
 * destruction); the provider and the 主管部门 read the records. Newest first, one page; overdue outcome statement marked.
 */
async function usageRecords(g, consumer, params) {
  const page = Number(params.get('page') || 0);
  const [{ items: records, total }, standing] = await Promise.all([
    apiPage(`${EXCHANGE}/grants/${g.id}/usage-records?page=${page}&size=${PAGE_SIZE}`),
    api('GET', `${EXCHANGE}/grants/${g.id}/usage-records/summary`)]);
  const detail = (r) => [r.location && `存储位置 / location: ${r.location}`,
    r.safeguards && `安全措施 / safeguards: ${r.safeguards}`,
    r.periodFrom && `期间 / period: ${r.periodFrom} – ${r.periodTo}`, r.outcome && `成效 / outcome: ${r.outcome}`,
    r.method && `销毁方式 / method: ${r.method}`, r.destroyedOn && `销毁日期 / destroyed on: ${r.destroyedOn}`]
    .filter(Boolean).map((x) => h('div', {}, x));
  return h('section', { id: 'usage-records' }, h('h3', {}, '使用记录 / usage records (条例第二十九条)'),
    h('p', { class: 'meta', id: 'usage-outcome' }, standing.outcomeDueAt
      ? ['应用成效下次应于 / next outcome statement due ', beijingTime(standing.outcomeDueAt, 'day'),
        standing.outcomeOverdue ? h('strong', { class: 'overdue' }, ' 已逾期 / overdue') : null]
      : (g.status === 'SUSPENDED' ? '授权暂停期间无须报送应用成效 / no outcome statement is due while the grant is '
        + 'suspended' : '授权已结束，无须再报送应用成效 / the grant has ended: no further outcome statement is due')),
    records.length ? table(['时间 / at', '类别 / kind', '内容 / description', '详情 / details', '记录人 / by',
      '存证 / evidence'], records.map((r) => [beijingTime(r.recordedAt, 'second'), label(RECORD_KIND, r.kind),
      r.description, detail(r), r.automatic ? '系统 / automatic' : (r.recordedByName || r.recordedBy),
      h('span', { class: r.intact ? '' : 'overdue' }, `#${r.usageLogSeq} `
        + (r.intact ? '完整 / intact' : '与存证不符 / does not match its log entry'))]))
      : h('p', { id: 'no-usage-records' }, '暂无记录 / no records yet'),
    total > PAGE_SIZE ? pager(params, `#/grants/${g.id}`, records.length, total) : null,
    consumer ? usageRecordForm(g) : null);
}

function usageRecordForm(g) {
  const kind = select('kind', RECORD_KIND, 'SCENARIO');
  const text = (name, label) => field(name, label, h('textarea', { name, rows: 2 }));
  const extra = { location: field('location', '存储位置 / location', h('input', { name: 'location' })),
    safeguards: text('safeguards', '安全措施 / safeguards'),
    periodFrom: field('periodFrom', '期间起 / period from', h('input', { name: 'periodFrom', type: 'date' })),
    periodTo: field('periodTo', '期间止 / period to', h('input', { name: 'periodTo', type: 'date' })),
    outcome: text('outcome', '应用成效 / outcome'),
    method: field('method', '销毁方式 / method', h('input', { name: 'method' })),
    destroyedOn: field('destroyedOn', '销毁日期 / destroyed on', h('input', { name: 'destroyedOn', type: 'date' })) };
  // only the chosen kind's fields are shown and sent
  const showFields = () => Object.entries(extra).forEach(([name, el]) => {
    el.hidden = !(RECORD_FIELDS[kind.value] || []).includes(name);
  });
  kind.addEventListener('change', showFields);
  showFields();
  return decisionForm('usage-record', '添加使用记录 / Add a usage record', [field('kind', '类别 / kind', kind),
    text('description', '说明（必填） / description'), Object.values(extra)], '记录 / Record', (f) => {
    const body = { kind: f.elements.kind.value, description: valueOf(f, 'description') };
    for (const name of RECORD_FIELDS[body.kind] || []) body[name] = valueOf(f, name);
    return api('POST', `${EXCHANGE}/grants/${g.id}/usage-records`, body);
  }, thenShow(() => grantView(g.id), (r) => `已记录 / recorded: ${label(RECORD_KIND, r.kind)}`));
}

// ------------------------------------------------------------------ notices (通知)
// The words for what the exchange tells a department; the 通知 page itself is inbox.js's.

export const NOTICE_KIND = { REQUEST_RECEIVED: '收到申请 / request received', REQUEST_APPROVED: '申请已同意 / approved',
  REQUEST_REFUSED: '申请被拒绝 / refused', REQUEST_RESUBMITTED: '已补充材料 / resubmitted',
  REQUEST_UNDER_REVIEW: '待提供部门审核 / under review', REQUEST_OVERDUE: '申请逾期 / request overdue',
  SUPPLEMENT_REQUESTED: '要求补充 / supplement asked', EXTENSION_REQUESTED: '申请延期 / extension asked',
  EXTENSION_APPROVED: '延期已批准 / extension approved', RETURN_FLOW_GRANTED: '回流授权 / return-flow grant',
  GRANT_SUSPENDED: '授权暂停 / grant suspended', GRANT_ACTIVE: '授权恢复或变更 / grant resumed or changed',
  GRANT_TERMINATED: '授权终止 / grant terminated', GRANT_RELINQUISHED: '使用部门放弃授权 / grant given up by the consumer', GRANT_EXPIRED: '授权到期 / grant expired',
  DISPOSAL_CONFIRMED: '已确认处置 / disposal confirmed', DISPUTE_OPENED: '争议 / dispute opened',
  DISPOSAL_DUE_SOON: '即将到处置期限 / disposal due soon', DISPOSAL_OVERDUE: '逾期未处置 / disposal overdue',
  DISPOSAL_DUE_AFTER_DISPUTE: '争议后处置期限 / disposal due after the dispute',
  RECTIFICATION_OVERDUE: '逾期未整改 / rectification overdue',
  DATASET_STALE: '数据逾期未更新 / dataset not updated at its cycle',
  DISPUTE_ESCALATED: '争议上报 / dispute referred up', DISPUTE_RESOLVED: '争议已协调 / dispute decided',
  OBJECTION_FILED: '质量异议 / objection filed', OBJECTION_ANSWERED: '异议已答复 / objection answered',
  OBJECTION_OVERDUE: '异议逾期 / objection overdue', COMPLAINT_FILED: '投诉 / complaint',
  COMPLAINT_ANSWERED: '投诉已说明 / complaint explained', COMPLAINT_UPHELD: '投诉成立 / complaint upheld',
  COMPLAINT_DISMISSED: '投诉不成立 / complaint dismissed', COMPLAINT_OVERDUE: '投诉逾期 / complaint overdue',
  INCIDENT_REPORTED: '安全事件 / incident reported', INCIDENT_RECTIFICATION_REQUIRED: '责令整改 / rectify',
  INCIDENT_RECTIFIED: '已整改 / rectified', INCIDENT_CLOSED: '事件结案 / incident closed',
  EXTENSION_REFUSED: '不予延期 / extension refused', REQUEST_WITHDRAWN: '申请已撤回 / request withdrawn',
  HEAD_APPROVAL_REQUESTED: '待负责人审核 / awaiting the head\'s approval', HEAD_APPROVED: '负责人已同意 / approved by the head',
  HEAD_RETURNED: '负责人退回 / returned by the head',
  ANSWER_HEAD_APPROVAL_REQUESTED: '答复待负责人审核 / answer awaiting the head', ANSWER_RETURNED: '拟答复被退回 / answer returned by the head',
  DEADLINE_RECOUNTED: '期限已重新计算 / deadline counted again',
  GRANT_CHANGED: '授权已变更 / grant changed', DELIVERY_OVERDUE: '逾期未交付 / delivery overdue',
  USAGE_OUTCOME_OVERDUE: '应用成效逾期未记录 / outcome statement overdue',
  WEBHOOK_FAILING: '推送失败 / webhook failing', WEBHOOK_STOPPED: '推送已停止 / webhook stopped',
  EXTENSION_LAPSED: '延期申请无需审批 / extension no longer needs a decision',
  CORRECTION_FILED: '更正补充申请 / correction requested', CORRECTION_ANSWERED: '更正申请已答复 / correction answered',
  CORRECTION_OVERDUE: '更正申请逾期 / correction overdue',
  RECORD_CORRECTED: '已用数据已更正 / data you received was corrected',
  WITNESS_FAILING: '使用记录见证推送失败 / usage-log witness failing',
  WITNESS_CHANGED: '使用记录见证已变更 / usage-log witness changed' };
// Where a notice's subject is shown: its own page, or the section that lists it; a webhook subscription has none.
export const SUBJECT = { REQUEST: ['申请 / request', (id) => `#/requests/${id}`],
  GRANT: ['授权 / grant', (id) => `#/grants/${id}`],
  OBJECTION: ['异议 / objection', (id) => `#/objections/${id}`], DISPUTE: ['争议 / dispute', () => '#/disputes'],
  INCIDENT: ['事件 / incident', () => '#/incidents'], COMPLAINT: ['投诉 / complaint', () => '#/complaints'],
  CORRECTION: ['更正申请 / correction', (id) => `#/corrections/${id}`],
  WITNESS: ['使用记录见证 / usage-log witness', () => '#/usage-log/witnesses'],
  DATASET_UPLOAD: ['数据上传 / dataset upload', () => '#/datasets'],
  SUBSCRIPTION: ['订阅 / subscription', null] };

// ------------------------------------------------------------------ data-quality objections (质量异议，校核)

const OBJECTION_STATUS = { OPEN: '待核实 / open', ANSWERED: '已答复 / answered' };
/** What the provider found when it answered (核实结果). */
const OBJECTION_OUTCOME = { CORRECTED: '已更正 / corrected', CONFIRMED_CORRECT: '经核实无误 / verified as correct',
  PARTIALLY_CORRECTED: '部分更正 / partly corrected' };
const OBJECTION_ACTIONS = { FILE: '提出异议 / filed', ANSWER: '答复 / answered',
  ESCALATE_OVERDUE: '逾期督办 / escalated as overdue' };

async function objectionsView(params) {
  const [{ items: objections, total }, held] = await Promise.all([listPage('objections', params, ['status']),
    has('operator') ? api('GET', `${EXCHANGE}/grants?size=200`) : []]);
  // Only a department holding a grant on an entry may object to its records (R13).
  const ours = held.filter((g) => g.consumerDepartmentCode === state.me.department);
  const codes = [...new Set(ours.map((g) => g.resourceCode))];
  const names = await viewsNames([...objections, ...ours]);
  show(h('h2', {}, '数据质量异议 / Objections to data quality'),
    filterForm('objection-filter', '#/objections', params, [
      field('status', '状态 / status', select('status', OBJECTION_STATUS, null, '全部 / all'))]),
    h('p', { class: 'meta' }, '使用部门发现共享数据有误可提出校核，提供部门十个工作日内核实、更正并答复。 / A consumer flags a '
      + 'wrong record; the provider verifies, corrects and answers within ten working days.'),
    codes.length ? h('div', { class: 'actions' }, objectionForm(codes, params.get('resourceCode'), names)) : null,
    objections.length ? table(['编号 / id', '', '资源 / resource', '记录主键 / record key', '使用方 / consumer',
      '提供方 / provider', '异议 / objection', '状态 / status', '答复期限 / due', '答复 / answer', ''],
    objections.map((o) => [
      String(o.id), openLink(`#/objections/${o.id}`), resourceText(names.get(o.resourceCode), o.resourceCode),
      recordKeyCell(o),
      departmentCell(o.consumerDepartmentCode), departmentCell(o.providerDepartmentCode), o.description || '',
      h('span', { class: 'objection-status' }, label(OBJECTION_STATUS, o.status)),
      [due(o.dueOn, o.dueOnProvisional), o.escalated ? h('strong', { class: 'overdue' }, ' 已督办 / escalated') : null],
      answerCell(o), answerObjection(o, () => objectionsView(params))]))
      : emptyList(params, '#/objections', '暂无质量异议 / no objections', 'no-objections', ['resourceCode'],
        total),
    pager(params, '#/objections', objections.length, total));
}

/**
 * 校核申请: the record key may be an ID number — never put in the page's address; the objection's own page and the list
 * show it to whoever reads the objection, as the service does.
 */
function objectionForm(codes, chosen, names) {
  const key = newKey();
  const f = decisionForm('objection-form', '提出质量异议 / Object to a record', [
    field('resourceCode', '资源（本部门已获授权） / resource (granted to us)', h('select', { name: 'resourceCode' },
      codes.map((c) => h('option', { value: c, selected: c === chosen }, resourceText(names.get(c), c))))),
    field('recordKey', '记录主键（如公民身份号码） / record key (e.g. ID number)', h('input', { name: 'recordKey',
      autocomplete: 'off', spellcheck: 'false' })),
    field('description', '错误内容 / what is wrong', h('textarea', { name: 'description', rows: 3 })),
  ], '提出异议 / Object', (form) => api('POST', `${EXCHANGE}/objections`, { resourceCode: valueOf(form, 'resourceCode'),
    recordKey: valueOf(form, 'recordKey'), description: valueOf(form, 'description') }, { 'Idempotency-Key': key }),
  (o) => {
    f.elements.recordKey.value = '';
    state.nextNotice = `已提出异议 / objection filed: #${o.id}，答复期限 / due ${o.dueOn}`;
    location.hash = `#/objections/${o.id}`;
  });
  return f;
}

/**
 * The key of the record objected to: the provider finds its record by it (objections filed before keys were kept, whose
 * key no hosted record had, have none).
 */
function recordKeyCell(o) {
  return o.recordKey ? h('code', { class: 'record-key' }, o.recordKey)
    : h('span', { class: 'meta' }, '未留存 / not kept');
}

/** What the provider found, in words, then what it wrote. */
function answerCell(o) {
  if (!o.answer) return '';
  return [o.outcome ? h('strong', { class: 'objection-outcome' }, label(OBJECTION_OUTCOME, o.outcome)) : null,
    o.outcome ? '：' : null, o.answer];
}

/** The provider answers an open objection: what it found, and what it verified and corrected. */
function answerObjection(o, again) {
  if (!(has('operator') && o.status === 'OPEN' && o.providerDepartmentCode === state.me.department)) return '';
  const outcome = select('outcome', OBJECTION_OUTCOME, null, '核实结果 / outcome');
  outcome.setAttribute('aria-label', '核实结果 / outcome');
  const answer = h('input', { name: 'answer', placeholder: '核实和更正情况 / what was verified and corrected',
    'aria-label': '核实和更正情况 / what was verified and corrected' });
  const send = h('button', { type: 'button', onclick: () => act(send, () => api('POST',
    `${EXCHANGE}/objections/${o.id}/answer`, { version: o.version, outcome: outcome.value || null,
      reason: answer.value.trim() || null }),
  thenShow(again, (done) => `异议 #${done.id}：${label(OBJECTION_STATUS, done.status)}，`
    + label(OBJECTION_OUTCOME, done.outcome))) }, '答复 / answer');
  return h('span', { class: 'decide', 'data-objection': o.id }, outcome, answer, send);
}

async function objectionView(id) {
  const [o, events] = await Promise.all([api('GET', `${EXCHANGE}/objections/${id}`),
    api('GET', `${EXCHANGE}/objections/${id}/history`)]);
  const names = await viewNames(o);
  show(h('p', {}, h('a', { href: '#/objections' }, '← 质量异议 / objections')),
    h('h2', {}, `质量异议 / Objection #${o.id}`),
    h('p', { class: 'meta' }, h('span', { id: 'objection-status' }, label(OBJECTION_STATUS, o.status)),
      o.escalated ? h('strong', { class: 'overdue' }, ' 已督办 / escalated') : ''),
    facts([['资源 / resource', h('span', { id: 'objection-resource' }, resourceText(names, o.resourceCode))],
      ['记录主键 / record key', h('span', { id: 'objection-record-key' }, recordKeyCell(o))],
      ['使用方 / consumer', departmentCell(o.consumerDepartmentCode)],
      ['提供方 / provider', departmentCell(o.providerDepartmentCode)], ['异议 / objection', o.description],
      ['收到 / received', o.receivedOn], ['答复期限 / due', due(o.dueOn, o.dueOnProvisional)],
      ['核实结果 / outcome', o.outcome ? h('strong', { id: 'objection-outcome' }, label(OBJECTION_OUTCOME, o.outcome))
        : null],
      ['答复 / answer', o.answer ? h('span', { id: 'objection-answer' }, o.answer) : null]]),
    answerObjection(o, () => objectionView(id)),
    historyTable(events, OBJECTION_ACTIONS, OBJECTION_STATUS));
}

// ------------------------------------------------------------------ citizens (我的数据被谁使用)

/** What the citizens' own views open, for the words below the real-name level they need (ui.js ownView). */
const MY_DATA = { title: '我的数据使用记录 / Who used my data', zh: '查看谁使用了您的数据、提交和查看投诉',
  en: 'see who used your data and to complain' };
const MY_COMPLAINTS_WORDS = { title: '我的投诉 / My complaints', zh: '提交和查看投诉', en: 'complain and to see your complaints' };

async function myDataView(params = new URLSearchParams()) {
  const loaded = await ownView(MY_DATA, () => Promise.all([listPage('me/data-accesses', params),
    apiPage(`${EXCHANGE}/me/complaints?size=${LATEST_COMPLAINTS}`)]));
  if (!loaded) return;
  const [{ items: rows, total }, complaints] = loaded;
  await namedCases(complaints.items);
  const slot = h('div', { id: 'complaint-slot' });
  const complain = (r) => h('button', { type: 'button', class: 'link', 'data-seq': r.seq,
    onclick: () => slot.replaceChildren(complaintForm(r)) }, '投诉 / complain');
  show(h('h2', {}, '我的数据使用记录 / Who used my data'),
    h('p', {}, '政务部门每次使用您的数据都记录在案（保存不少于三年）。 / Every use of your data by a government '
      + 'department is recorded (kept at least three years).'),
    rows.length ? table(['时间 / when', '使用部门 / department', '数据 / data', '信息项 / items',
      '用途 / purpose', '依据 / legal basis', ''], rows.map((r) => [beijingTime(r.loggedAt),
      departmentCell(r.consumerDepartmentCode),
      [r.resourceName || r.resourceCode, NOT_DELIVERED[r.outcome]
        ? h('small', { class: 'outcome' }, h('br'), NOT_DELIVERED[r.outcome]) : null],
      NOT_DELIVERED[r.outcome] ? '—' : itemsCell(r), purposeCell(r), r.legalBasis || '', complain(r)]))
      : h('p', { id: 'no-accesses' }, '暂无记录 / nobody has used your data yet'),
    pager(params, '#/my-data', rows.length, total),
    slot,
    h('h3', {}, '我的投诉 / My complaints'),
    h('p', { class: 'meta' }, '认为数据使用侵犯您的权益，可以投诉（条例第三十七条）；使用部门须在十个工作日内说明，'
      + '主管部门作出处理。 / If a use of your data infringed your rights you may complain: the department explains '
      + 'within ten working days, the competent authority decides.'),
    complaints.items.length ? complaintTable(complaints.items, false) : h('p', { id: 'no-complaints' }, '无 / none'),
    complaints.total > complaints.items.length ? h('p', {}, h('a', { href: '#/my-complaints', id: 'all-my-complaints' },
      `全部 ${count(complaints.total)} 条投诉 / all ${count(complaints.total)} complaints →`)) : null);
}

/** The items used, by their names in the catalogue (姓名, not XM); an item the entry no longer lists by its code. */
const itemsCell = (r) => h('span', { class: 'access-items', title: (r.items || []).join('、') },
  (r.items || []).map((code) => (r.itemNames && r.itemNames[code]) || code).join('、'));

/**
 * A lookup by the citizen's own number that delivered nothing: the number was processed all the same, so it is listed,
 * saying what happened.
 */
const NOT_DELIVERED = { NOT_FOUND: '查询（无记录） / looked up: no record', EMPTY: '查询（无记录） / looked up: no record',
  OUT_OF_REGION: '查询（不属本地区，未提供） / looked up: refused, outside the requester\'s region' };

/** The citizen's page shows its newest complaints; every one, a page at a time, is under #/my-complaints. */
const LATEST_COMPLAINTS = 5;

async function myComplaintsView(params = new URLSearchParams()) {
  const page = await ownView(MY_COMPLAINTS_WORDS, () => listPage('me/complaints', params));
  if (!page) return;
  const { items: complaints, total } = page;
  await namedCases(complaints);
  show(h('h2', {}, '我的投诉 / My complaints'),
    complaints.length ? complaintTable(complaints, false) : h('p', { id: 'no-complaints' }, '无 / none'),
    pager(params, '#/my-complaints', complaints.length, total));
}

/** 投诉: what was wrong with this access, and what the citizen asks for. */
function complaintForm(access) {
  return h('section', { class: 'actions' }, actionForm('complaint-form',
    `投诉 / Complain: ${access.resourceName || access.resourceCode} · ${beijingTime(access.loggedAt, 'day')}`,
    `${EXCHANGE}/me/complaints`, [
      ['description', '投诉事由 / what was wrong', h('textarea', { name: 'description', rows: 3, maxlength: 2000 })],
      ['requestedRemedy', '诉求（可选） / what you ask for (optional)', h('input', { name: 'requestedRemedy' })],
    ], '提交投诉 / Complain', () => myDataView(), { usageLogSeq: access.seq }, { idempotent: true }));
}

const COMPLAINT_STATUS = { OPEN: '待说明 / awaiting explanation', ANSWERED: '已说明 / explained',
  UPHELD: '投诉成立 / upheld', DISMISSED: '不成立 / dismissed' };
const COMPLAINT_ACTIONS = { FILE: '提出投诉 / filed', ANSWER: '说明 / explained', ESCALATE_OVERDUE:
  '逾期督办 / escalated as overdue', UPHOLD: '投诉成立 / upheld', DISMISS: '投诉不成立 / dismissed',
  RECOUNT_DEADLINE: '重新计算期限 / deadline recounted' };
const MY_COMPLAINTS = '#/my-complaints';

/**
 * One complaint as its complainant sees it: the access complained about, what was asked, the department's explanation,
 * the 主管部门's decision, and the history (the service leaves out the department's staff's account ids and names).
 */
async function myComplaintView(id) {
  const loaded = await ownView(MY_COMPLAINTS_WORDS, () => Promise.all([api('GET', `${EXCHANGE}/complaints/${id}`),
    api('GET', `${EXCHANGE}/complaints/${id}/history`)]));
  if (!loaded) return;
  const [c, events] = loaded;
  await namedCases([c]);
  const decided = ['UPHELD', 'DISMISSED'].includes(c.status);
  show(h('p', {}, h('a', { href: MY_COMPLAINTS }, '← 我的投诉 / my complaints')),
    h('h2', {}, `投诉 / Complaint #${c.id}`),
    h('p', { class: 'meta', id: 'complaint-meta' }, h('span', { class: 'complaint-status' },
      label(COMPLAINT_STATUS, c.status)), ' · 说明期限 / due ', due(c.dueOn, c.dueOnProvisional),
    c.overdue ? h('strong', { class: 'overdue' }, ' 已超期 / overdue') : null,
    c.escalated ? h('strong', { class: 'overdue' }, ' 已督办 / escalated') : null),
    facts([['数据 / data', [c.resourceName || c.resourceCode, h('small', { class: 'code' },
      ' ' + (c.currentResourceCode || c.resourceCode))]],
    ['使用部门 / department', departmentCell(c.consumerDepartmentCode)],
    ['使用时间 / accessed', beijingTime(c.accessedAt, 'second')], ['用途 / purpose', c.purpose],
    ['请求编号 / request id', c.accessRequestId],
    ['投诉事由 / complaint', h('span', { id: 'complaint-description' }, c.description || '')],
    ['诉求 / remedy asked', c.requestedRemedy], ['收到 / received', c.receivedOn],
    ['说明 / explanation', c.answer ? h('span', { id: 'complaint-answer' }, c.answer) : null],
    ['说明时间 / explained', beijingTime(c.answeredAt)],
    ['处理结果 / decision', decided ? h('span', { id: 'complaint-decision' }, label(COMPLAINT_STATUS, c.status), '：',
      c.outcomeReason || '', c.grantSuspended ? h('small', {}, h('br'), '已暂停授权 / grant suspended') : null) : null],
    ['处理时间 / decided', beijingTime(c.decidedAt)]]),
    h('section', { id: 'complaint-history' }, historyTable(events, COMPLAINT_ACTIONS, COMPLAINT_STATUS)));
}

function complaintTable(complaints, staff, params) {
  return table(['编号 / id', '收到 / received', '数据 / data', '使用部门 / department', '事由 / complaint',
    '状态 / status', '说明期限 / due', '说明 / explanation', '处理结果 / outcome', ''], complaints.map((c) => [
    String(c.id), c.receivedOn || '', c.resourceName || c.resourceCode, departmentCell(c.consumerDepartmentCode),
    [c.description, c.requestedRemedy ? h('small', {}, '诉求 / asks: ' + c.requestedRemedy) : null],
    h('span', { class: 'complaint-status' }, label(COMPLAINT_STATUS, c.status)),
    [due(c.dueOn, c.dueOnProvisional), c.overdue ? h('strong', { class: 'overdue' }, ' 已超期 / overdue') : null],
    c.answer || '', [c.outcomeReason || '', c.grantSuspended ? h('small', {}, '已暂停授权 / grant suspended') : null],
    staff ? decideComplaint(c, params) : openLink(`${MY_COMPLAINTS}/${c.id}`)]));
}

/** The consumer department explains; the competent authority upholds (optionally suspending the grant) or dismisses. */
function decideComplaint(c, params) {
  const base = `${EXCHANGE}/complaints/${c.id}`;
  const reason = h('input', { name: 'reason', placeholder: '说明或处理意见 / explanation or decision' });
  const post = (control, path, extra) => act(control, () => api('POST', `${base}/${path}`,
    { version: c.version, reason: reason.value || null, ...(extra || {}) }),
  thenShow(() => complaintsView(params), (done) => `投诉 #${done.id}：${label(COMPLAINT_STATUS, done.status)}`));
  const buttons = [];
  if (has('operator') && c.status === 'OPEN' && c.consumerDepartmentCode === state.me.department) {
    const answer = h('button', { type: 'button', onclick: () => post(answer, 'answer') }, '说明 / explain');
    buttons.push(answer);
  }
  if (competentReviewer() && ['OPEN', 'ANSWERED'].includes(c.status)) {
    const suspend = h('input', { type: 'checkbox', name: 'suspendGrant' });
    const uphold = h('button', { type: 'button', onclick: () => post(uphold, 'uphold',
      { suspendGrant: suspend.checked }) }, '成立 / uphold');
    const dismiss = h('button', { type: 'button', onclick: () => post(dismiss, 'dismiss') }, '不成立 / dismiss');
    buttons.push(uphold, h('label', { class: 'check' }, suspend, ' 暂停授权 / suspend the grant'), dismiss);
  }
  return buttons.length ? h('span', { class: 'decide', 'data-complaint': c.id }, reason, buttons) : '';
}

async function complaintsView(params = new URLSearchParams()) {
  const { items: complaints, total } = await listPage('complaints', params, ['status', 'overdue']);
  await namedCases(complaints);
  show(h('h2', {}, '数据使用投诉 / Complaints about uses of data'),
    filterForm('complaint-filter', '#/complaints', params, [
      field('status', '状态 / status', select('status', COMPLAINT_STATUS, null, '全部 / all')),
      field('overdue', '说明期限 / explanation due', select('overdue', OVERDUE_ONLY, null, '全部 / all'))]),
    h('p', { class: 'meta' }, has('operator') ? '针对本部门数据使用的投诉；投诉人身份不向本部门披露。 / Complaints about '
      + 'your department\'s uses of data; who complained is not disclosed to you.'
      : '全部投诉 / every complaint'),
    complaints.length ? complaintTable(complaints, true, params)
      : emptyList(params, '#/complaints', null, 'no-complaints', [], total),
    pager(params, '#/complaints', complaints.length, total));
}

export const CITIZEN_SECTIONS = [
  { hash: '#/my-data', text: '我的数据使用记录 / Who used my data', when: () => has('citizen', 'enterprise'),
    render: (id, sub, params) => myDataView(params) },
  { hash: '#/my-complaints', text: '我的投诉 / My complaints', when: () => has('citizen', 'enterprise'),
    render: (id, sub, params) => (id ? myComplaintView(Number(id)) : myComplaintsView(params)) },
];

export const EXCHANGE_SECTIONS = [
  { hash: '#/requests', text: '共享申请 / Share requests',
    when: () => has('operator', 'head', 'reviewer', 'admin', 'auditor'),
    render: (id, sub, params) => (id ? requestView(Number(id)) : requestsView(params)) },
  { hash: '#/request-approvals', text: '待我审核的申请 / Requests awaiting my approval', when: () => has('head'),
    render: (id, sub, params) => headApprovalsView(params) },
  { hash: '#/answer-approvals', text: '待我审核的答复 / Answers awaiting my approval', when: () => has('head'),
    render: (id, sub, params) => answerApprovalsView(params) },
  { hash: '#/grants', text: '共享授权 / Grants', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: (id, sub, params) => (id ? grantView(Number(id), params) : grantsView(params)) },
  { hash: '#/objections', text: '质量异议 / Objections', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: (id, sub, params) => (id ? objectionView(Number(id)) : objectionsView(params)) },
  { hash: '#/disputes', text: '争议 / Disputes', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: (id, sub, params) => (id === 'new' ? disputeForm(params) : disputesView(params)) },
  { hash: '#/incidents', text: '安全事件 / Incidents', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: (id, sub, params) => incidentsView(params) },
  { hash: '#/complaints', text: '投诉 / Complaints', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: (id, sub, params) => complaintsView(params) },
];
