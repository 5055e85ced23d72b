// 一网通办 控制台: the exchange's usage log (使用记录) — the tamper-evident record of every use of shared data, kept at
// least three years (R16). A provider's operator inspects the uses of its own resources; the 主管部门 (reviewer,
// admin, auditor) inspects all, checks the hash chain and signs checkpoints; the auditors alone see covert queries.
// Personal data stays out of the page: no subject hashes, no user ids, only what an inspection needs.

import {
  EXCHANGE, has, label, h, table, field, show, api, act, notify, departmentCell, beijingTime, filterForm, pager,
  PAGE_SIZE, ApiError,
} from './ui.js';

const BASE = '#/usage-log';
const COVERT = `${BASE}/covert-hidings`;
const authority = () => has('reviewer', 'admin', 'auditor');
/** The whole chain (verification, evidence bundles) holds every region's entries: auditors' and admins', not reviewers'. */
const wholeChain = () => has('admin', 'auditor');

const OPERATION = { LOOKUP: '按主键查询 / lookup', QUERY: '批量查询 / query', FEED: '变更订阅 / change feed',
  WEBHOOK: '推送 / webhook', EXPORT: '导出 / export' };
const OUTCOME = { DELIVERED: '已提供 / delivered', EMPTY: '无结果 / nothing found', NOT_FOUND: '无此记录 / not found',
  OUT_OF_REGION: '区划外，未提供 / out of region, not delivered' };

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
    authority() ? chainTools() : null,
    filter, evidence,
    rows.length ? table(['序号 / seq', '时间 / time', '使用部门 / consumer', '资源 / resource',
      '信息项 / items', '用途 / purpose', '依据 / legal basis', '方式 / operation', '结果 / outcome', ''],
    rows.map((r) => [String(r.seq), beijingTime(r.loggedAt, 'second'), departmentCell(r.consumerDepartmentCode),
      [r.resourceCode, authority() ? h('small', {}, ' · ', departmentCell(r.providerDepartmentCode)) : null],
      (r.items || []).join('、'), purposeCell(r), r.legalBasis || '', label(OPERATION, r.operation),
      // The bundle holds every field of the chained entries, of every region: auditors' and admins' alone.
      label(OUTCOME, r.outcome), wholeChain() ? evidenceButton(r.seq, evidence) : '']))
      : h('p', { id: 'no-usage' }, '无 / none'),
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
      result.replaceChildren(h('p', { id: 'usage-verification', class: v.valid ? 'intact' : 'broken' }, words),
        v.valid ? null : brokenList(v), latestLink(v.lastSeq));
      notify(words, v.valid ? 'ok' : 'error');
    }) }, '校验哈希链 / Verify the chain');
  const sign = h('button', { type: 'button', id: 'usage-checkpoint', onclick: () => act(sign,
    () => api('POST', `${EXCHANGE}/usage-log/checkpoints`), (cp) => {
      result.replaceChildren(checkpointFacts(cp), latestLink(cp.lastSeq));
      notify(`已签名检查点 / checkpoint signed: #${cp.id}，链头第 ${cp.lastSeq} 号 / head #${cp.lastSeq}`, 'ok');
    }) }, '签名检查点 / Sign a checkpoint');
  return h('section', { class: 'actions', id: 'usage-chain' },
    h('div', {}, wholeChain() ? [verify, ' '] : null, sign), result);
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

export const USAGE_SECTIONS = [
  { hash: BASE, text: '使用记录 / Usage log', when: () => has('operator', 'reviewer', 'admin', 'auditor'),
    render: (id, sub, params) => (id === 'covert-hidings' && has('auditor') ? covertView(params) : logView(params)) },
];
