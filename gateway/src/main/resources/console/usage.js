// 一网通办 控制台: the exchange's usage log (使用记录) — the tamper-evident record of every use of shared data, kept at
// least three years (R16). A provider's operator inspects the uses of its own resources; the 主管部门 (reviewer,
// admin, auditor) inspects all, checks the hash chain and signs checkpoints; the auditors alone see covert queries.
// Personal data stays out of the page: no subject hashes, no user ids, only what an inspection needs.
// Witnesses (见证): department systems outside the exchange that keep every signed checkpoint; the platform's admins
// register them, admins and auditors follow how far each acknowledged and who changed each (变更记录).

import {
  EXCHANGE, IDENTITY, has, label, h, table, field, show, api, act, notify, thenShow, values, departmentCell,
  beijingTime, filterForm, emptyList, pager, PAGE_SIZE, ApiError, fill, namesOf, resourceText, itemsText,
} from './ui.js';

const BASE = '#/usage-log';
const COVERT = `${BASE}/covert-hidings`;
const WITNESSES = `${BASE}/witnesses`;
const WITNESS_API = `${EXCHANGE}/usage-log/witnesses`;
const authority = () => has('reviewer', 'admin', 'auditor');
/** The whole chain (verification, evidence bundles) holds every region's entries: auditors' and admins', not reviewers'. */
const wholeChain = () => has('admin', 'auditor');

// Every operation and outcome the exchange writes to the log has words here (ServiceCodeWordsConsoleTest reads them
// from the exchange's sources); an unknown one shows its code.
export const OPERATION = { LOOKUP: '按主键查询 / lookup', QUERY: '批量查询 / query', FEED: '变更订阅 / change feed',
  WEBHOOK: '推送 / webhook', EXPORT: '导出 / export',
  // the log's own export (its period's entries, for an inspection) is logged as a use too
  USAGE_LOG_EXPORT: '使用记录导出 / usage-log export',
  // the consumer's usage records (条例 Art. 29), each chained as it is recorded
  USAGE_RECORD_SCENARIO: '登记使用场景 / usage record: scenario',
  USAGE_RECORD_PROCESSING: '登记使用过程（加工处理） / usage record: processing',
  USAGE_RECORD_STORAGE: '登记存储情况 / usage record: storage',
  USAGE_RECORD_OUTCOME: '登记应用成效 / usage record: outcome',
  USAGE_RECORD_DESTRUCTION: '登记销毁情况 / usage record: destruction',
  USAGE_RECORD_VOID: '使用记录未保存，登记作废 / usage record not kept, entry void',
  // a grant's terms as they stand after each change, chained as evidence of what each call was allowed
  GRANT: '授权条款 / grant terms' };
export const OUTCOME = { DELIVERED: '已提供 / delivered', EMPTY: '无结果 / nothing found', NOT_FOUND: '无此记录 / not found',
  OUT_OF_REGION: '区划外，未提供 / out of region, not delivered', NOT_SENT: '未发出 / not sent',
  // A webhook attempt's follow-up: the receiver refused it, or it repeated a notification already counted.
  NOT_ACCEPTED: '对方未接收 / not accepted', REPEATED: '重复发送 / repeated',
  RECORDED: '已登记 / recorded', EXPORTED: '已导出 / exported',
  // a grant-terms entry's outcome is the change that gave the terms (the grant history's action)
  TERMS_AS_OF_MIGRATION: '启用存证时的授权条款 / terms when chaining began', CREATE: '授权 / granted',
  SUSPEND: '暂停 / suspended', RESUME: '恢复 / resumed', CHANGE: '变更 / changed', TERMINATE: '终止 / terminated',
  RELINQUISH: '使用部门放弃 / given up by the consumer', EXPIRE: '到期 / expired',
  CONFIRM_DISPOSAL: '确认处置 / disposal confirmed',
  ESCALATE_DISPOSAL_OVERDUE: '逾期未处置，报主管部门 / disposal overdue, escalated',
  ESCALATE_RECTIFICATION_OVERDUE: '逾期未整改，报主管部门 / rectification overdue, escalated',
  MOVE_RESOURCE_CODE: '资源代码变更 / resource code moved' };
// The resource code of the entry that logs an export of the log itself.
const USAGE_LOG_RESOURCE = 'usage-log';

/** A code in words, the code as its title. */
const coded = (vocabulary, code) => h('span', { title: code || '' }, label(vocabulary, code));

/**
 * The resource used, by its entry's name and code (names: namesOf's answer), and (for the 主管部门) its provider; the
 * log's own export names no provider.
 */
function resourceCell(r, names) {
  const resource = r.resourceCode === USAGE_LOG_RESOURCE
    ? h('span', { title: r.resourceCode }, '使用记录 / the usage log')
    : h('span', { class: 'usage-resource' }, resourceText(names.get(r.resourceCode), r.resourceCode));
  return [resource, authority() && r.providerDepartmentCode
    ? h('small', {}, ' · ', departmentCell(r.providerDepartmentCode)) : null];
}

// ------------------------------------------------------------------ the log (使用记录)

/**
 * The newest entries first, paging back to older ones; from a given sequence number on (after) in sequence order.
 * Optionally of one resource.
 */
async function logView(params) {
  const after = Math.max(0, Number(params.get('after')) || 0);
  const before = Math.max(0, Number(params.get('before')) || 0);
  // In order from a number when one is given (0: from the first entry); newest first otherwise.
  const ascending = (params.get('after') || '') !== '';
  const resourceCode = params.get('resourceCode');
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (ascending) query.set('after', String(after));
  else query.set('order', 'desc');
  if (!ascending && before > 0) query.set('before', String(before));
  if (resourceCode) query.set('resourceCode', resourceCode);
  const rows = await api('GET', `${EXCHANGE}/usage-log?${query}`);
  // the catalogue's names of the resources and items (名称（代码）), as on the request and grant pages
  const names = await namesOf(rows.filter((r) => r.resourceCode !== USAGE_LOG_RESOURCE).map((r) => r.resourceCode));
  const evidence = h('section', { id: 'usage-evidence' });
  const filter = filterForm('usage-filter', BASE, params, [
    field('resourceCode', '资源代码 / resource code', h('input', { name: 'resourceCode' })),
    field('after', '从序号之后（按序） / after sequence number (in order)',
      h('input', { type: 'number', min: 0, name: 'after' })),
  ]);
  const order = ascending ? '按序号排列 / in sequence order' : '最新在前 / newest first';
  show(h('h2', {}, '使用记录 / Usage log'),
    h('p', { class: 'meta' }, wholeChain() ? `全部共享数据的使用记录，${order}，记录保存不少于三年。 / Every use of shared `
      + 'data; kept at least three years.' : authority() ? `本区划及本部门共享数据的使用记录，${order}，记录保存不少于三年。 / `
      + 'The uses of shared data in your region and of your department; kept at least three years.'
      : `本部门提供的数据被使用的记录，${order}。 / The uses of the data your department provides.`),
    has('auditor') ? h('p', {}, h('a', { href: COVERT, id: 'covert-link' }, '隐蔽查询 / Covert queries →')) : null,
    wholeChain() ? h('p', {}, h('a', { href: WITNESSES, id: 'witnesses-link' }, '见证系统 / Witnesses →')) : null,
    authority() ? chainTools() : null,
    filter, evidence,
    rows.length ? table(['序号 / seq', '时间 / time', '使用部门 / consumer', '资源 / resource',
      '信息项 / items', '用途 / purpose', '依据 / legal basis', '方式 / operation', '结果 / outcome', ''],
    rows.map((r) => [String(r.seq), beijingTime(r.loggedAt, 'second'), departmentCell(r.consumerDepartmentCode),
      resourceCell(r, names), h('span', { class: 'usage-items' }, itemsText(names.get(r.resourceCode), r.items)),
      purposeCell(r), r.legalBasis || '', coded(OPERATION, r.operation),
      // The bundle holds every field of the chained entries, of every region: auditors' and admins' alone.
      coded(OUTCOME, r.outcome), wholeChain() ? evidenceButton(r.seq, evidence) : '']))
      : emptyList(params, BASE, null, 'no-usage'),
    logPager(params, ascending, rows));
}

/** The grant's purpose and, below it, the reason (事由) the consumer stated for the call, if it stated one. */
export function purposeCell(r) {
  return [r.purpose || '', r.reason ? h('small', { class: 'reason' }, h('br'), '事由 / reason: ', r.reason) : null];
}

/** Newest first: the next page is older than this page's last entry; in order: it starts after the last entry. */
function logPager(params, ascending, rows) {
  const link = (key, seq, text) => {
    const next = new URLSearchParams(params);
    next.delete('after');
    next.delete('before');
    if (seq) next.set(key, String(seq));
    return h('a', { href: `${BASE}?${next}`, class: 'chip' }, text);
  };
  const last = rows.length ? rows[rows.length - 1].seq : null;
  const full = rows.length === PAGE_SIZE;
  return h('p', { class: 'pager' }, rows.length ? `第 ${rows[0].seq}–${last} 号 / entries #${rows[0].seq}–#${last} `
    : '',
  ascending || params.get('before') ? link('before', 0, '⇤ 最新 / newest') : null,
  full ? (ascending ? link('after', last, '下一页 / next →')
    : last > 1 ? link('before', last, '更早 / older →') : null) : null);
}

// ------------------------------------------------------------------ chain verification and checkpoints (主管部门)

function chainTools() {
  const result = h('div', { id: 'usage-chain-result' });
  const verify = h('button', { type: 'button', id: 'usage-verify', onclick: () => act(verify,
    () => api('GET', `${EXCHANGE}/usage-log/verify`), (v) => {
      const words = verification(v);
      fill(result, h('p', { id: 'usage-verification', class: v.valid ? 'intact' : 'broken' }, words),
        v.valid ? null : brokenList(v), latestLink(v.lastSeq));
      notify(words, v.valid ? 'ok' : 'error');
    }) }, '校验哈希链 / Verify the chain');
  const sign = signButton('usage-checkpoint', (cp) => fill(result, checkpointFacts(cp), latestLink(cp.lastSeq)));
  return h('section', { class: 'actions', id: 'usage-chain' },
    h('div', {}, wholeChain() ? [verify, ' '] : null, sign), result);
}

/** Signs a checkpoint of the current head (the head already signed answers its checkpoint), then says which. */
function signButton(id, done) {
  const sign = h('button', { type: 'button', id, onclick: () => act(sign,
    () => api('POST', `${EXCHANGE}/usage-log/checkpoints`), async (cp) => {
      await done(cp);
      notify(`已签名检查点 / checkpoint signed: #${cp.id}，链头第 ${cp.lastSeq} 号 / head #${cp.lastSeq}`, 'ok');
    }) }, '签名检查点 / Sign a checkpoint');
  return sign;
}

/** The service's verdict in words: intact, or the first entry that does not fit and why. */
function verification(v) {
  if (v.valid) {
    return `链完整 / chain intact：已核对 ${v.checked} 条记录至第 ${v.lastSeq} 号，${v.checkpointsChecked} 个检查点签名有效`
      + ` / ${v.checked} entries checked up to #${v.lastSeq}, ${v.checkpointsChecked} signed checkpoints valid`;
  }
  const count = v.brokenCount == null ? 1 : v.brokenCount;
  return `链已损坏 / chain broken：${count} 处不符，首处第 ${v.firstBadSeq} 号（${v.problem || ''}），已核对 ${v.checked} 条`
    + ` / ${count} entries do not fit, the first #${v.firstBadSeq} (${v.checked} entries checked)`;
}

/** Every entry that does not fit, each linking to the log from that entry on; says so when the list is cut. */
function brokenList(v) {
  const entries = v.brokenEntries || [];
  if (!entries.length) return null;
  return [h('ul', { id: 'usage-broken' }, entries.map((b) => h('li', { 'data-broken-seq': b.seq },
    h('a', { href: `${BASE}?after=${Math.max(0, b.seq - 1)}` }, `第 ${b.seq} 号 / #${b.seq}`), `：${b.problem || ''}`))),
  v.brokenCapped ? h('p', { id: 'usage-broken-capped', class: 'meta' }, `仅列出前 ${entries.length} 处，共 ${v.brokenCount}`
    + ` 处 / the first ${entries.length} of ${v.brokenCount} are listed`) : null];
}

function checkpointFacts(cp) {
  const seal = sealHeader(cp.signature);
  return h('dl', { id: 'usage-checkpoint-result' },
    h('dt', {}, '检查点 / checkpoint'), h('dd', {}, `#${cp.id} · ${beijingTime(cp.createdAt, 'second')}`),
    h('dt', {}, '链头 / signed head'), h('dd', {}, `第 ${cp.lastSeq} 号 / entry #${cp.lastSeq} · `,
      h('code', { class: 'head-hash' }, cp.lastHash)),
    seal ? [h('dt', {}, '签名 / seal'), h('dd', {}, `${seal.alg || ''} · ${seal.kid || ''}`)] : null);
}

/** The protected header of the checkpoint's detached JWS (algorithm and key id), if it reads as one. */
function sealHeader(jws) {
  try {
    const part = String(jws || '').split('.')[0].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(window.atob(part + '='.repeat((4 - (part.length % 4)) % 4)));
  } catch {
    return null;
  }
}

function latestLink(lastSeq) {
  return lastSeq > 0 ? h('a', { href: BASE, class: 'chip' }, '最新记录 / latest entries') : null;
}

// ------------------------------------------------------------------ evidence bundles (证据包)

let bundleUrl = null;

/**
 * Fetches the entry's evidence bundle; offers it as a JSON file and says what it holds. While no signed checkpoint
 * covers the entry (409), offers to sign one and then fetches the bundle again.
 */
function evidenceButton(seq, slot) {
  const url = `${EXCHANGE}/usage-log/${seq}/evidence`;
  const button = h('button', { type: 'button', class: 'link', 'data-evidence': seq, onclick: () => act(button,
    () => api('GET', url).catch((e) => {
      if (e instanceof ApiError && e.status === 409) return { uncovered: e };
      throw e;
    }), (answer) => (answer.uncovered ? offerCheckpoint(seq, slot, answer.uncovered, url)
      : showBundle(seq, slot, answer))) }, '证据包 / evidence');
  return button;
}

/** The entry is newer than the last signed checkpoint: the service says so; the 主管部门 may sign one here. */
function offerCheckpoint(seq, slot, problem, url) {
  const sign = h('button', { type: 'button', id: 'evidence-sign', onclick: () => act(sign,
    () => api('POST', `${EXCHANGE}/usage-log/checkpoints`).then(() => api('GET', url)),
    (bundle) => showBundle(seq, slot, bundle)) }, '签署检查点 / Sign a checkpoint');
  slot.replaceChildren(h('h3', {}, `证据包 / Evidence bundle #${seq}`),
    h('p', { id: 'evidence-uncovered' }, problem.message),
    h('p', {}, sign, ' ', h('small', {}, '签署后将自动重新生成证据包。 / The bundle is fetched again once signed.')));
  notify([h('strong', {}, 'HTTP 409 '), problem.message], 'error');
}

function showBundle(seq, slot, bundle) {
  if (bundleUrl) URL.revokeObjectURL(bundleUrl);
  bundleUrl = URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' }));
  const name = `usage-log-${seq}-evidence.json`;
  slot.replaceChildren(h('h3', {}, `证据包 / Evidence bundle #${seq}`), evidenceSummary(bundle),
    h('p', {}, h('a', { href: bundleUrl, download: name, id: 'evidence-download' }, `下载 / download ${name}`)),
    h('p', { class: 'meta' }, '可离线核验：逐条核对哈希与链接，再用公钥验证检查点签名。 / Verifiable offline: each '
      + 'entry\'s hash and link, then the checkpoint\'s seal with the public keys.'));
  notify(`证据包已生成 / evidence bundle ready: #${seq}`, 'ok');
}

/** What the bundle contains, without its personal data (subject hashes, user ids stay in the file only). */
function evidenceSummary(bundle) {
  const e = bundle.entry || {};
  const cp = bundle.checkpoint || {};
  const keys = ((bundle.jwks || {}).keys || []);
  return h('dl', { id: 'evidence-summary' },
    h('dt', {}, '记录 / entry'), h('dd', {}, `第 ${e.seq} 号 / #${e.seq} · ${beijingTime(e.loggedAt, 'second')} · `,
      e.resourceCode || '', ' · ', departmentCell(e.consumerDepartmentCode)),
    h('dt', {}, '链 / chain'), h('dd', {}, `${(bundle.chain || []).length} 条记录，至检查点 #${cp.id}（第 ${cp.lastSeq} 号）`
      + ` / ${(bundle.chain || []).length} entries up to checkpoint #${cp.id} (entry #${cp.lastSeq}), signed `
      + beijingTime(cp.createdAt, 'second')),
    h('dt', {}, '公钥 / keys'), h('dd', {}, `${keys.length} 个 / ${keys.length}: `,
      keys.map((k) => `${k.kid || '?'} (${k.alg || k.kty || ''})`).join('、')));
}

// ------------------------------------------------------------------ witnesses (见证, admins register, auditors read)

const WITNESS_STATUS = { ACTIVE: '正常 / active', FAILING: '推送失败 / FAILING' };
const WITNESS_ERROR = { CONNECT_FAILED: '无法连接 / could not connect', TLS_FAILED: 'TLS 握手失败 / TLS failed',
  TIMEOUT: '超时 / timed out', REFUSED_ADDRESS: '地址不再允许 / address no longer allowed' };

/** The last failed attempt's category in words (HTTP_<status>: what the witness answered); none after a success. */
function witnessError(code) {
  if (!code) return '—';
  const http = /^HTTP_(\d+)$/.exec(code);
  return http ? `应答 HTTP ${http[1]} / answered HTTP ${http[1]}` : label(WITNESS_ERROR, code);
}

const WITNESS_CHANGE = { REGISTERED: '登记 / registered', REPOINTED: '改址 / re-pointed',
  RESUMED: '恢复推送 / resumed', REMOVED: '移除 / removed' };

/**
 * The witnesses: how far each acknowledged and who changed each last, FAILING ones first in a warning; admins
 * register, change, resume and remove them. With ?receipts=<department code> also what that witness acknowledged,
 * with ?changes=<department code> who changed its registration (both also of a witness since removed); below, the
 * recent checkpoints and how many witnesses acknowledged each.
 */
async function witnessesView(params) {
  const heading = [h('p', {}, h('a', { href: BASE }, '← 使用记录 / usage log')),
    h('h2', {}, '使用记录见证 / Witnesses of the usage log')];
  if (!wholeChain()) {
    show(heading, h('p', { id: 'witnesses-denied', class: 'refused' }, '仅平台管理员和审计员可查看使用记录见证。 / Only '
      + 'the platform\'s admins and auditors may see the witnesses of the usage log.'));
    return;
  }
  const receiptsOf = params.get('receipts');
  const changesOf = params.get('changes');
  const [witnesses, checkpoints, records] = await Promise.all([
    api('GET', WITNESS_API).then(withLastChange),
    api('GET', `${EXCHANGE}/usage-log/checkpoints?size=10`),
    receiptsOf ? witnessReceipts(receiptsOf, params) : changesOf ? witnessChanges(changesOf, params) : null,
  ]);
  const render = () => witnessesView(params);
  const failing = witnesses.filter((w) => w.status === 'FAILING');
  const confirm = h('div', { id: 'witness-confirm' });
  const form = has('admin') ? await witnessForm(witnesses, render) : null;
  const refresh = h('button', { type: 'button', id: 'witness-refresh', onclick: () => act(refresh, render) },
    '刷新 / Refresh');
  show(heading,
    h('p', { class: 'meta' }, '见证系统是交换平台之外的部门系统：每个签名的检查点按顺序推送给它，由它留存并回执；日后若有人改写使用'
      + '记录并重新签名，与见证留存的检查点即不相符。 / Witnesses are department systems outside the exchange: each signed '
      + 'checkpoint is pushed to them in order, and they keep it and answer with a receipt; a rewritten log no longer '
      + 'agrees with what they kept.'),
    failing.length ? h('div', { id: 'witness-failing', class: 'secret', role: 'alert' },
      h('p', { class: 'warning overdue' }, `⚠ ${failing.length} 个见证系统推送失败 / ${failing.length} witness(es) `
        + 'FAILING'),
      h('ul', {}, failing.map((w) => h('li', {}, departmentCell(w.departmentCode), `：${w.statusReason
        || witnessError(w.lastError)}，${w.pending} 个检查点待推送 / ${w.pending} checkpoint(s) waiting`))),
      h('p', {}, '其后签名的检查点暂停向其推送（不会跳过）；接收端修复后，由管理员重新登记即可从中断处恢复。 / Later checkpoints '
        + 'wait for it, none is skipped; once its endpoint is fixed, an admin registers it again and it resumes where '
        + 'it stopped.')) : null,
    // auditors read here; they sign checkpoints on the usage log's page
    h('p', {}, refresh, ' ', has('admin') ? signButton('witness-sign', render) : null),
    witnesses.length ? witnessTable(witnesses, confirm, render) : h('p', { id: 'no-witnesses' }, '尚无见证系统 / no '
      + 'witness registered'),
    confirm, form ? h('section', { class: 'actions' }, form) : null, recordsForm(changesOf || receiptsOf), records,
    checkpointList(checkpoints));
}

/**
 * The name of who changed each witness last, from the newest row of its history (the list holds the subject only);
 * the subject where the history has no such row (registered before changes were kept).
 */
function withLastChange(witnesses) {
  return Promise.all(witnesses.map((w) => api('GET', `${WITNESS_API}/${encodeURIComponent(w.departmentCode)}`
    + '/history?size=1').then((page) => {
    const last = (page.changes || [])[0];
    return { ...w, updatedByName: last && last.actorSubject === w.updatedBy ? last.actorName : null };
  }).catch((e) => {
    if (e instanceof ApiError) return w;
    throw e;
  })));
}

/** A removed witness is no longer listed: its receipts and changes are opened by its department's code. */
function recordsForm(code) {
  const form = h('form', { id: 'witness-records', class: 'filters' },
    field('code', '见证部门（统一社会信用代码） / witness department (code)', h('input', { name: 'code', required: true,
      autocomplete: 'off' }), '也可查看已移除的见证 / also of a witness since removed'),
    h('button', { type: 'submit', name: 'changes' }, '变更记录 / Changes'), ' ',
    h('button', { type: 'submit', name: 'receipts' }, '回执 / Receipts'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const which = ev.submitter && ev.submitter.name === 'receipts' ? 'receipts' : 'changes';
    location.hash = `${WITNESSES}?${new URLSearchParams({ [which]: values(form).code || '' })}`;
  });
  form.elements.code.value = code || '';
  return form;
}

function witnessTable(witnesses, confirm, render) {
  const headers = ['部门 / department', '地址 / URL', '状态 / status', '最近确认 / last acknowledged',
    '已确认 / acknowledged', '待推送 / pending', '最近错误 / last error', '更新 / updated', ''];
  return h('table', { id: 'witness-list' }, h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))),
    h('tbody', {}, witnesses.map((w) => h('tr', { 'data-witness': w.departmentCode, class: w.status === 'FAILING'
      ? 'failing' : null }, [
      [departmentCell(w.departmentCode), h('br'), h('small', {}, w.departmentCode)],
      h('code', { class: 'witness-url' }, w.url),
      w.status === 'FAILING' ? [h('strong', { class: 'overdue witness-status' }, `⚠ ${label(WITNESS_STATUS, w.status)}`),
        w.statusReason ? h('small', {}, h('br'), w.statusReason) : null]
        : h('span', { class: 'state witness-status' }, label(WITNESS_STATUS, w.status)),
      h('span', { class: 'witness-last' }, w.lastAcknowledgedSeq == null ? '尚无 / none yet'
        : `第 ${w.lastAcknowledgedSeq} 号 / #${w.lastAcknowledgedSeq}`),
      h('span', { class: 'witness-acknowledged' }, String(w.acknowledged)),
      h('span', { class: 'witness-pending' }, String(w.pending)),
      h('span', { class: 'witness-error' }, witnessError(w.lastError)),
      [beijingTime(w.updatedAt), h('br'), h('small', { class: 'witness-updated-by', title: w.updatedBy },
        w.updatedByName || w.updatedBy || '')],
      witnessActions(w, confirm, render),
    ].map((c) => h('td', {}, c))))));
}

/** The links to a witness's receipts and to its changes (变更记录). */
function recordLinks(code) {
  const link = (which, text) => h('a', { href: `${WITNESSES}?${which}=${encodeURIComponent(code)}`,
    [`data-witness-${which}`]: code }, text);
  return [link('receipts', '回执 / receipts'), ' · ', link('changes', '变更记录 / changes')];
}

/** Receipts and changes for everyone who reads the list; changing, resuming (a FAILING one) and removing for admins. */
function witnessActions(w, confirm, render) {
  const code = w.departmentCode;
  const receipts = recordLinks(code);
  if (!has('admin')) return receipts;
  const edit = h('button', { type: 'button', class: 'link', 'data-witness-edit': code, onclick: () => {
    const form = document.getElementById('witness-form');
    form.elements.departmentCode.value = code;
    form.elements.url.value = w.url;
    form.elements.url.focus();
  } }, '修改 / change');
  // PUT again with the same URL: what was given up is queued again, in order
  const resume = w.status === 'FAILING' ? h('button', { type: 'button', 'data-witness-resume': code, onclick: () => act(
    resume, () => api('PUT', `${WITNESS_API}/${encodeURIComponent(code)}`, { url: w.url }),
    thenShow(render, `已恢复推送 / resumed: ${code}`)) }, '恢复推送 / Resume') : null;
  const remove = h('button', { type: 'button', class: 'link', 'data-witness-remove': code,
    onclick: () => confirmRemoval(w, confirm, render) }, '移除 / remove');
  return [receipts, ' · ', edit, ' · ', remove, resume ? [' ', resume] : null];
}

/** Removal asks first: nothing more is sent to the witness, what was queued for it is dropped; its receipts stay. */
function confirmRemoval(w, slot, render) {
  const code = w.departmentCode;
  const yes = h('button', { type: 'button', id: 'witness-remove-confirm', onclick: () => act(yes,
    () => api('DELETE', `${WITNESS_API}/${encodeURIComponent(code)}`),
    thenShow(render, `已移除见证 / witness removed: ${code}`)) }, '确认移除 / Remove');
  const no = h('button', { type: 'button', class: 'link', id: 'witness-remove-cancel',
    onclick: () => slot.replaceChildren() }, '取消 / cancel');
  slot.replaceChildren(h('div', { class: 'secret', role: 'alertdialog', 'aria-labelledby': 'witness-confirm-text' },
    h('p', { id: 'witness-confirm-text', class: 'warning' }, '确定移除 ', departmentCell(code), ` (${code}) 的见证？此后的`
      + '检查点不再推送给它，待推送的将被丢弃；已有回执保留。 / Remove this witness? Later checkpoints are no longer sent to '
      + 'it and what is queued is dropped; its receipts are kept.'), h('p', {}, yes, ' ', no)));
  yes.focus();
}

/** 登记或修改: PUT creates the witness (201) or re-points and resumes it (200); the service names a bad field. */
async function witnessForm(witnesses, render) {
  const departments = await api('GET', `${IDENTITY}/departments`, undefined, undefined, true).catch(() => []);
  const form = h('form', { id: 'witness-form', class: 'action wide' },
    h('h4', {}, '登记或修改见证 / Register or change a witness'),
    field('departmentCode', '见证部门（统一社会信用代码） / witness department (code)',
      h('input', { name: 'departmentCode', list: 'witness-departments', required: true, autocomplete: 'off' }),
      '须为部门名录中的在用部门 / an active department of the register'),
    h('datalist', { id: 'witness-departments' }, (departments || []).filter((d) => d.active !== false)
      .map((d) => h('option', { value: d.code }, d.name))),
    field('url', '接收地址 / endpoint URL', h('input', { name: 'url', required: true, inputmode: 'url',
      placeholder: 'https://audit.example.gov.cn/usage-log-witness' }),
    'https，公网地址；检查点以 POST 送达，2xx 应答即确认，可附 {"receipt": "…"} / https, a public address; each '
      + 'checkpoint is POSTed, a 2xx answer acknowledges it, optionally with {"receipt": "…"}'),
    h('button', { type: 'submit' }, '登记 / Register'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = values(form);
    const known = witnesses.some((w) => w.departmentCode === v.departmentCode);
    act(form.querySelector('button[type=submit]'), () => api('PUT',
      `${WITNESS_API}/${encodeURIComponent(v.departmentCode || '')}`, { url: v.url }),
    thenShow(render, (w) => `${known ? '已更新见证 / witness changed' : '已登记见证 / witness registered'}: `
      + `${w.departmentCode} · ${label(WITNESS_STATUS, w.status)}`), form);
  });
  return form;
}

/**
 * One page of a witness's records (receipts or history), newest first; null when the exchange knows none (404). A
 * code that is no 统一社会信用代码 (400) is said in the section, not as a failed page.
 */
async function witnessRecords(code, params, which) {
  const page = Math.max(0, Number(params.get('page')) || 0);
  return api('GET', `${WITNESS_API}/${encodeURIComponent(code)}/${which}?page=${page}&size=${PAGE_SIZE}`)
    .catch((e) => {
      if (e instanceof ApiError && (e.status === 404 || e.status === 400)) return { problem: e };
      throw e;
    });
}

/** The section's heading: whose records, and the link to the other kind. */
function recordsTitle(text, code) {
  return [h('h3', {}, text, departmentCell(code), ` (${code})`), h('p', {}, recordLinks(code))];
}

/** One page of what the witness acknowledged, newest first; also of a witness since removed. */
async function witnessReceipts(code, params) {
  const result = await witnessRecords(code, params, 'receipts');
  const title = recordsTitle('回执 / Receipts: ', code);
  if (result.problem) {
    return h('section', { id: 'witness-receipts' }, title, h('p', { id: 'no-receipts' }, result.problem.status === 404
      ? '该部门不是见证系统，也从未确认过检查点。 / This department is no witness and never acknowledged a checkpoint.'
      : result.problem.message));
  }
  const rows = result.receipts || [];
  return h('section', { id: 'witness-receipts' }, title,
    rows.length ? table(['检查点 / checkpoint', '链头 / signed head', '确认时间 / acknowledged', '回执 / receipt'],
      rows.map((r) => [`#${r.checkpointId}`, `第 ${r.lastSeq} 号 / #${r.lastSeq}`, beijingTime(r.acknowledgedAt, 'second'),
        r.receipt == null ? h('small', {}, '（无回执 / no receipt）') : h('code', { class: 'receipt' }, r.receipt)]))
      : h('p', { id: 'no-receipts' }, '尚无回执 / nothing acknowledged yet'),
    pager(params, WITNESSES, rows.length, result.total));
}

/**
 * Who changed the witness's registration (变更记录), newest first: registered, re-pointed, resumed, removed, with the
 * URL before and after and the status before; also of a witness since removed.
 */
async function witnessChanges(code, params) {
  const result = await witnessRecords(code, params, 'history');
  const title = recordsTitle('变更记录 / Changes: ', code);
  if (result.problem) {
    return h('section', { id: 'witness-changes' }, title, h('p', { id: 'no-changes' }, result.problem.status === 404
      ? '该部门从未登记为见证系统。 / This department was never registered as a witness.' : result.problem.message));
  }
  const rows = result.changes || [];
  const url = (u) => (u ? h('code', {}, u) : '—');
  return h('section', { id: 'witness-changes' }, title,
    rows.length ? h('table', {}, h('thead', {}, h('tr', {}, ['时间 / time', '操作 / action', '操作人 / by',
      '地址 / URL (before → after)', '原状态 / status before'].map((x) => h('th', {}, x)))),
    h('tbody', {}, rows.map((c) => h('tr', { 'data-change': c.id, 'data-change-action': c.action }, [
      [beijingTime(c.changedAt, 'second'), c.requestId ? [h('br'), h('small', { class: 'request-id' },
        `请求编号 / request id: ${c.requestId}`)] : null],
      h('span', { class: 'change-action' }, label(WITNESS_CHANGE, c.action)),
      h('span', { class: 'change-by', title: c.actorSubject }, c.actorName || c.actorSubject || ''),
      h('span', { class: 'change-url' }, url(c.previousUrl), ' → ', url(c.url)),
      h('span', { class: 'change-status' }, c.previousStatus ? label(WITNESS_STATUS, c.previousStatus) : '—'),
    ].map((x) => h('td', {}, x))))))
      : h('p', { id: 'no-changes' }, '尚无变更记录 / no change recorded'),
    pager(params, WITNESSES, rows.length, result.total));
}

/** The newest checkpoints and how many witnesses acknowledged each. */
function checkpointList(page) {
  const rows = page.checkpoints || [];
  return h('section', { id: 'witness-checkpoints' }, h('h3', {}, '最近的检查点 / Recent checkpoints'),
    rows.length ? h('table', {}, h('thead', {}, h('tr', {}, ['检查点 / checkpoint', '链头 / signed head',
      '签名时间 / signed', '见证确认 / witnessed by'].map((x) => h('th', {}, x)))),
    h('tbody', {}, rows.map((c) => h('tr', { 'data-checkpoint': c.id }, [`#${c.id}`,
      `第 ${c.lastSeq} 号 / #${c.lastSeq}`, beijingTime(c.createdAt, 'second'),
      h('span', { class: 'witnessed' }, `${c.witnessAcknowledgements} 个见证 / ${c.witnessAcknowledgements} `
        + 'witness(es)')].map((x) => h('td', {}, x))))))
      : h('p', {}, '尚无检查点 / no checkpoint yet'),
    page.total > rows.length ? h('p', { class: 'meta' }, `共 ${page.total} 个，仅列最新 ${rows.length} 个 / the newest `
      + `${rows.length} of ${page.total}`) : null);
}

// ------------------------------------------------------------------ covert queries (隐蔽查询, auditors only)

async function covertView(params) {
  const page = Math.max(0, Number(params.get('page')) || 0);
  const query = new URLSearchParams({ page: String(page), size: String(PAGE_SIZE) });
  for (const name of ['department', 'from', 'to']) if (params.get(name)) query.set(name, params.get(name));
  const result = await api('GET', `${EXCHANGE}/usage-log/covert-hidings?${query}`);
  const hidings = result.hidings || [];
  show(h('p', {}, h('a', { href: BASE }, '← 使用记录 / usage log')),
    h('h2', {}, '隐蔽查询 / Covert queries'),
    h('p', { class: 'meta' }, '依法隐蔽的查询在期限届满前不向本人显示；期限仅向主管部门披露。 / Lawful covert queries are '
      + 'hidden from the citizen until the date below, which only the 主管部门 learns.'),
    filterForm('covert-filter', COVERT, params, [
      field('department', '申请部门代码 / department code', h('input', { name: 'department' })),
      field('from', '登记日起 / recorded from', h('input', { type: 'date', name: 'from' })),
      field('to', '登记日止 / recorded to', h('input', { type: 'date', name: 'to' })),
    ]),
    hidings.length ? table(['记录 / entry', '登记时间 / recorded', '申请部门 / department', '系统 / client',
      '资源 / resource', '授权 / grant', '法律依据 / legal basis', '隐蔽至 / hidden until'], hidings.map((c) => [
      `#${c.usageLogSeq}`, beijingTime(c.hiddenAt, 'second'), departmentCell(c.departmentCode), c.clientId || '',
      c.resourceCode || '', c.grantId == null ? '' : `#${c.grantId}`, c.legalBasis || '',
      h('span', { class: 'hidden-until' }, c.hiddenUntil || '')]))
      : h('p', { id: 'no-covert' }, '无 / none'),
    pager(params, COVERT, hidings.length, result.total));
}

function usageRoute(id, sub, params) {
  if (id === 'witnesses') return witnessesView(params);
  return id === 'covert-hidings' && has('auditor') ? covertView(params) : logView(params);
}

export const USAGE_SECTIONS = [
  { hash: BASE, text: '使用记录 / Usage log', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: usageRoute },
  // The witnesses' page is part of the usage log's; operators and reviewers opening it are told it is not theirs.
  { hash: WITNESSES, text: '使用记录见证 / Usage-log witnesses', when: wholeChain, render: usageRoute },
];
