// 一网通办 控制台: the exchange — share requests, grants, disputes, data security incidents, complaints, and the
// citizens' "who used my data" (data-exchange-service). Every decision is the service's own for the logged-in user;
// the console only shows its answer.

import {
  EXCHANGE, state, has, label, h, table, select, show, api, act, thenShow, departmentCell, actionForm, beijingTime,
} from './ui.js';

export const REQUEST_STATUS = { PENDING: '待审核 / pending', SUPPLEMENT_REQUESTED: '待补充 / supplement requested',
  APPROVED: '已同意 / approved', GRANTED: '已授权 / granted', REFUSED: '不予共享 / refused',
  NOT_SHARED: '不予共享 / not shared', WITHDRAWN: '已撤回 / withdrawn' };
const GRANT_STATUS = { ACTIVE: '有效 / active', SUSPENDED: '暂停 / suspended', TERMINATED: '终止 / terminated',
  EXPIRED: '到期 / expired' };

// ------------------------------------------------------------------ the exchange (共享申请、授权)

async function requestsView() {
  const sides = has('operator') ? [['provider', '向本部门提出的申请 / requests to us'],
    ['consumer', '本部门提出的申请 / our requests']] : [[null, '全部申请 / all requests']];
  const blocks = [];
  // A refusal under dispute links to its dispute instead of offering a second one (the service would answer 409).
  let disputed = null;
  for (const [side, title] of sides) {
    const list = await api('GET', `${EXCHANGE}/requests?size=100${side ? '&side=' + side : ''}`);
    if (side === 'consumer' && list.some((r) => ['REFUSED', 'NOT_SHARED'].includes(r.status))) {
      disputed = new Map((await api('GET', `${EXCHANGE}/disputes?status=OPEN`)).map((d) => [d.requestId, d]));
    }
    blocks.push(h('h3', {}, `${title} (${list.length})`), list.length ? table(['编号 / id', '资源 / resource',
      '申请方 / consumer', '提供方 / provider', '用途 / purpose', '状态 / status', '答复期限 / due', ''],
    list.map((r) => [String(r.id), r.resourceCode, departmentCell(r.consumerDepartmentCode),
      departmentCell(r.providerDepartmentCode), r.purpose || '', label(REQUEST_STATUS, r.status), r.dueOn || '',
      side === 'provider' && r.status === 'PENDING' ? decideRequest(r)
        : side === 'consumer' && ['REFUSED', 'NOT_SHARED'].includes(r.status)
          ? [r.decisionReason || '', disputed && disputed.has(r.id) ? openDispute(disputed.get(r.id))
            : disputeRequest(r)]
          : r.decisionReason || '']))
      : h('p', {}, '无 / none'));
  }
  show(h('h2', {}, '共享申请 / Share requests'), blocks);
}

function decideRequest(r) {
  const reason = h('input', { name: 'reason', placeholder: '意见或不予共享的理由 / note or reason' });
  const decided = thenShow(requestsView, (done) => `申请 #${done.id}：${label(REQUEST_STATUS, done.status)}`);
  const approve = h('button', { type: 'button', onclick: () => act(approve,
    () => api('POST', `${EXCHANGE}/requests/${r.id}/approve`, { version: r.version, note: reason.value || null }),
    decided) }, '同意 / approve');
  const refuse = h('button', { type: 'button', onclick: () => act(refuse,
    () => api('POST', `${EXCHANGE}/requests/${r.id}/refuse`, { version: r.version, reason: reason.value || null }),
    decided) }, '不予共享 / refuse');
  return h('span', { class: 'decide', 'data-request': r.id }, reason, approve, refuse);
}

/** 争议协调 (条例 Art. 28): a refused requester asks the competent authority to decide. */
function disputeRequest(r) {
  const reason = h('input', { name: 'dispute-reason', placeholder: '不服理由 / why the refusal is wrong' });
  const open = h('button', { type: 'button', onclick: () => act(open,
    () => api('POST', `${EXCHANGE}/disputes`, { requestId: r.id, reason: reason.value || null }), (d) => {
      state.nextNotice = `已提请协调 / dispute opened: #${d.id}`;
      location.hash = '#/disputes';
    }) }, '提请协调 / dispute');
  return h('span', { class: 'decide', 'data-dispute-request': r.id }, reason, open);
}

function openDispute(d) {
  return h('span', { class: 'decide', 'data-dispute-request': d.requestId },
    h('a', { href: '#/disputes', class: 'dispute-open' }, `协调中 / dispute #${d.id} open`));
}

const DISPUTE_STATUS = { OPEN: '协调中 / open', RESOLVED_SHARE: '协调共享 / decided: share',
  RESOLVED_UPHELD: '维持不予共享 / decided: refusal upheld' };
const DISPUTE_LEVEL = { COMPETENT_AUTHORITY: '主管部门 / competent authority',
  PEOPLES_GOVERNMENT: '本级人民政府 / people\'s government' };

async function disputesView() {
  const disputes = await api('GET', `${EXCHANGE}/disputes`);
  show(h('h2', {}, '共享争议 / Disputes over refusals'),
    h('p', { class: 'meta' }, '先由双方协商，协商不成由共同所在地的主管部门协调，仍不能解决的报本级人民政府决定。 / The '
      + 'parties negotiate; failing that the competent authority of the region containing both decides, then that '
      + 'region\'s government.'),
    disputes.length ? table(['编号 / id', '申请 / request', '申请方 / consumer', '提供方 / provider', '理由 / reason',
      '协调层级 / level', '区划 / region', '状态 / status', '结论 / resolution', ''], disputes.map((d) => [
      String(d.id), '#' + d.requestId, departmentCell(d.consumerDepartmentCode),
      departmentCell(d.providerDepartmentCode), d.reason || '', label(DISPUTE_LEVEL, d.level), d.regionCode || '',
      h('span', { class: 'dispute-status' }, label(DISPUTE_STATUS, d.status)), d.resolution || '',
      has('reviewer', 'admin') && d.status === 'OPEN' ? decideDispute(d) : '']))
      : h('p', {}, '无 / none'));
}

function decideDispute(d) {
  const base = `${EXCHANGE}/disputes/${d.id}`;
  const text = h('input', { name: 'resolution', placeholder: '协调意见 / decision and reasons' });
  const post = (control, path, body) => act(control, () => api('POST', `${base}/${path}`, body),
    thenShow(disputesView, (done) => `争议 #${done.id}：${label(DISPUTE_STATUS, done.status)} · `
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
const SEVERITY = { GENERAL: '一般 / general', SERIOUS: '较大 / serious', MAJOR: '重大 / major',
  EXTRAORDINARY: '特别重大 / extraordinary' };

async function incidentsView() {
  const incidents = await api('GET', `${EXCHANGE}/incidents`);
  const report = has('operator', 'reviewer', 'admin') ? actionForm('incident-form',
    '报告数据安全事件 / Report a data security incident', `${EXCHANGE}/incidents`, [
      ['type', '类型 / type', select('type', INCIDENT_TYPE, 'LEAK')],
      ['resourceCode', '资源代码 / resource code', h('input', { name: 'resourceCode' })],
      // ISO 8601 with its offset, as the service records it (now, by default)
      ['discoveredAt', '发现时间 / discovered (ISO 8601)', h('input', { name: 'discoveredAt',
        value: new Date().toISOString().slice(0, 19) + 'Z' })],
      ['description', '事件经过 / what happened', h('textarea', { name: 'description', rows: 3 })],
      ['measuresTaken', '已采取的措施 / measures taken', h('textarea', { name: 'measuresTaken', rows: 2 })],
    ], '报告 / Report', incidentsView) : null;
  show(h('h2', {}, '数据安全事件 / Data security incidents'),
    h('p', { class: 'meta' }, '谁管理谁负责、谁使用谁负责（条例第三十四条、第三十五条）：发现即报告，主管部门可暂停相关授权、'
      + '责令限期整改。 / Report at once; the competent authority may suspend the grants concerned and require '
      + 'rectification within working days.'),
    report ? h('div', { class: 'actions' }, report) : null,
    incidents.length ? table(['编号 / id', '报告 / reported', '类型 / type', '数据 / data', '等级 / severity',
      '经过 / what happened', '状态 / status', '整改期限 / due', '整改报告 / report', '结论 / conclusion', ''],
    incidents.map((i) => [String(i.id), beijingTime(i.reportedAt, 'day'), label(INCIDENT_TYPE, i.type),
      i.resourceName || i.resourceCode, label(SEVERITY, i.severity), i.description || '',
      h('span', { class: 'incident-status' }, label(INCIDENT_STATUS, i.status)),
      [i.rectificationDueOn || '', i.overdue ? h('strong', { class: 'overdue' }, ' 已超期 / overdue') : null],
      i.rectificationReport || '', i.conclusion || '', decideIncident(i)]))
      : h('p', {}, '无 / none'));
}

/** The 主管部门 suspends the grants concerned, requires rectification and closes; the responsible department
 * reports. Grants are named by the 主管部门 when it suspends them (all those concerned by default). */
function decideIncident(i) {
  const base = `${EXCHANGE}/incidents/${i.id}`;
  const text = h('input', { name: 'incident-text', placeholder: '意见、整改要求、整改报告或结论 / text' });
  const post = (control, path, body) => act(control, () => api('POST', `${base}/${path}`,
    { version: i.version, ...body }), thenShow(incidentsView, (done) => `事件 #${done.id}：`
      + label(INCIDENT_STATUS, done.status)));
  const buttons = [];
  const open = i.status !== 'CLOSED';
  if (open && has('reviewer', 'admin')) {
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

async function grantsView() {
  const grants = await api('GET', `${EXCHANGE}/grants?size=100`);
  show(h('h2', {}, '共享授权 / Grants'), grants.length ? table(['编号 / id', '资源 / resource', '使用方 / consumer',
    '提供方 / provider', '用途 / purpose', '有效期 / valid', '状态 / status'], grants.map((g) => [String(g.id),
    g.resourceCode, departmentCell(g.consumerDepartmentCode), departmentCell(g.providerDepartmentCode),
    g.purpose || '', `${g.validFrom || ''} – ${g.validTo || ''}`, label(GRANT_STATUS, g.status)]))
    : h('p', {}, '暂无授权 / no grants'));
}

// ------------------------------------------------------------------ citizens (我的数据被谁使用)

async function myDataView() {
  const [rows, complaints] = await Promise.all([api('GET', `${EXCHANGE}/me/data-accesses`),
    api('GET', `${EXCHANGE}/me/complaints`)]);
  const slot = h('div', { id: 'complaint-slot' });
  const complain = (r) => h('button', { type: 'button', class: 'link', 'data-seq': r.seq,
    onclick: () => slot.replaceChildren(complaintForm(r)) }, '投诉 / complain');
  show(h('h2', {}, '我的数据使用记录 / Who used my data'),
    h('p', {}, '政务部门每次使用您的数据都记录在案（保存不少于三年）。 / Every use of your data by a government '
      + 'department is recorded (kept at least three years).'),
    rows.length ? table(['时间 / when', '使用部门 / department', '数据 / data', '信息项 / items',
      '用途 / purpose', '依据 / legal basis', ''], rows.map((r) => [beijingTime(r.loggedAt),
      departmentCell(r.consumerDepartmentCode), r.resourceName || r.resourceCode,
      (r.items || []).join('、'), r.purpose || '', r.legalBasis || '', complain(r)]))
      : h('p', { id: 'no-accesses' }, '暂无记录 / nobody has used your data yet'),
    slot,
    h('h3', {}, '我的投诉 / My complaints'),
    h('p', { class: 'meta' }, '认为数据使用侵犯您的权益，可以投诉（条例第三十七条）；使用部门须在十个工作日内说明，'
      + '主管部门作出处理。 / If a use of your data infringed your rights you may complain: the department explains '
      + 'within ten working days, the competent authority decides.'),
    complaints.length ? complaintTable(complaints, false) : h('p', { id: 'no-complaints' }, '无 / none'));
}

/** 投诉: what was wrong with this access, and what the citizen asks for. */
function complaintForm(access) {
  return h('section', { class: 'actions' }, actionForm('complaint-form',
    `投诉 / Complain: ${access.resourceName || access.resourceCode} · ${beijingTime(access.loggedAt, 'day')}`,
    `${EXCHANGE}/me/complaints`, [
      ['description', '投诉事由 / what was wrong', h('textarea', { name: 'description', rows: 3, maxlength: 2000 })],
      ['requestedRemedy', '诉求（可选） / what you ask for (optional)', h('input', { name: 'requestedRemedy' })],
    ], '提交投诉 / Complain', myDataView, { usageLogSeq: access.seq }));
}

const COMPLAINT_STATUS = { OPEN: '待说明 / awaiting explanation', ANSWERED: '已说明 / explained',
  UPHELD: '投诉成立 / upheld', DISMISSED: '不成立 / dismissed' };

function complaintTable(complaints, staff) {
  return table(['编号 / id', '收到 / received', '数据 / data', '使用部门 / department', '事由 / complaint',
    '状态 / status', '说明期限 / due', '说明 / explanation', '处理结果 / outcome', ''], complaints.map((c) => [
    String(c.id), c.receivedOn || '', c.resourceName || c.resourceCode, departmentCell(c.consumerDepartmentCode),
    [c.description, c.requestedRemedy ? h('small', {}, '诉求 / asks: ' + c.requestedRemedy) : null],
    h('span', { class: 'complaint-status' }, label(COMPLAINT_STATUS, c.status)),
    [c.dueOn || '', c.overdue ? h('strong', { class: 'overdue' }, ' 已超期 / overdue') : null],
    c.answer || '', [c.outcomeReason || '', c.grantSuspended ? h('small', {}, '已暂停授权 / grant suspended') : null],
    staff ? decideComplaint(c) : '']));
}

/** The consumer department explains; the competent authority upholds (optionally suspending the grant) or dismisses. */
function decideComplaint(c) {
  const base = `${EXCHANGE}/complaints/${c.id}`;
  const reason = h('input', { name: 'reason', placeholder: '说明或处理意见 / explanation or decision' });
  const post = (control, path, extra) => act(control, () => api('POST', `${base}/${path}`,
    { version: c.version, reason: reason.value || null, ...(extra || {}) }),
  thenShow(complaintsView, (done) => `投诉 #${done.id}：${label(COMPLAINT_STATUS, done.status)}`));
  const buttons = [];
  if (has('operator') && c.status === 'OPEN' && c.consumerDepartmentCode === state.me.department) {
    const answer = h('button', { type: 'button', onclick: () => post(answer, 'answer') }, '说明 / explain');
    buttons.push(answer);
  }
  if (has('reviewer', 'admin') && ['OPEN', 'ANSWERED'].includes(c.status)) {
    const suspend = h('input', { type: 'checkbox', name: 'suspendGrant' });
    const uphold = h('button', { type: 'button', onclick: () => post(uphold, 'uphold',
      { suspendGrant: suspend.checked }) }, '成立 / uphold');
    const dismiss = h('button', { type: 'button', onclick: () => post(dismiss, 'dismiss') }, '不成立 / dismiss');
    buttons.push(uphold, h('label', { class: 'check' }, suspend, ' 暂停授权 / suspend the grant'), dismiss);
  }
  return buttons.length ? h('span', { class: 'decide', 'data-complaint': c.id }, reason, buttons) : '';
}

async function complaintsView() {
  const complaints = await api('GET', `${EXCHANGE}/complaints`);
  show(h('h2', {}, '数据使用投诉 / Complaints about uses of data'),
    h('p', { class: 'meta' }, has('operator') ? '针对本部门数据使用的投诉；投诉人身份不向本部门披露。 / Complaints about '
      + 'your department\'s uses of data; who complained is not disclosed to you.'
      : '全部投诉 / every complaint'),
    complaints.length ? complaintTable(complaints, true) : h('p', {}, '无 / none'));
}

export const CITIZEN_SECTIONS = [
  { hash: '#/my-data', text: '我的数据使用记录 / Who used my data', when: () => has('citizen', 'enterprise'),
    render: myDataView },
];

export const EXCHANGE_SECTIONS = [
  { hash: '#/requests', text: '共享申请 / Share requests', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: requestsView },
  { hash: '#/grants', text: '共享授权 / Grants', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: grantsView },
  { hash: '#/disputes', text: '争议 / Disputes', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: disputesView },
  { hash: '#/incidents', text: '安全事件 / Incidents', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: incidentsView },
  { hash: '#/complaints', text: '投诉 / Complaints', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: complaintsView },
];
