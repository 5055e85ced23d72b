// 一网通办 控制台: administration — accounts, clients and departments (identity-service), the identity audit log
// (auditors), the legal-person reference (法人库), the working-day calendar and the search synonyms (catalog-service).
// Every change is the service's own decision for the logged-in user; the console only shows its answer.

import {
  CATALOG, IDENTITY, state, has, label, h, table, field, select, show, api, apiPage, act, departmentCell,
  today, thenShow, beijingTime, values, pager, filterForm, emptyList, notify, PAGE_SIZE, beijingInstant, confirmFirst,
  ApiError, LEVEL_METHOD, mistake, named,
} from './ui.js';

const ACCOUNT_TYPE = { NATURAL_PERSON: '自然人 / citizen', LEGAL_PERSON: '法人 / enterprise',
  CIVIL_SERVANT: '政务工作人员 / civil servant' };
// The views carry the type as the claim value (natural_person …); forms send the enum name.
const ACCOUNT_CLAIM = { natural_person: ACCOUNT_TYPE.NATURAL_PERSON, legal_person: ACCOUNT_TYPE.LEGAL_PERSON,
  civil_servant: ACCOUNT_TYPE.CIVIL_SERVANT };
export const STAFF_ROLES = { operator: '共享专员 / operator', 'catalog-editor': '目录编制 / catalogue editor',
  reviewer: '审核员（主管部门） / reviewer', head: '部门负责人 / department head', auditor: '审计员 / auditor', admin: '管理员 / admin' };
// Who recorded a step of a history: staff roles, the department systems' own, the exchange's own jobs, and the
// citizens and enterprises who file (a complaint, a correction).
export const ACTOR_ROLES = { ...STAFF_ROLES, system: '部门系统 / department system',
  scheduler: '系统自动 / automatic', citizen: '自然人 / citizen', enterprise: '法人 / enterprise' };
const ACCOUNT_STATUS = { ACTIVE: '正常 / active', DISABLED: '已停用 / disabled' };
const AUDIT_OUTCOME = { SUCCESS: '成功 / success', FAILURE: '失败 / failure' };
// The methods an administrator may name when setting a level (the others are recorded by the service itself).
const LEVEL_FORM_METHOD = Object.fromEntries([['format-check', 'L2'], ['population-register', 'L3'],
  ['in-person', 'L4'], ['certificate', 'L4']].map(([method, level]) => [method, `${LEVEL_METHOD[method]} (${level})`]));
const ADMIN_LEVEL = { PROVINCE: '省 / province', CITY: '市 / city', COUNTY: '县 / county', TOWNSHIP: '乡 / township',
  VILLAGE: '村 / village' };
const DEPARTMENT_KIND = { GOVERNMENT_DEPARTMENT: '政府部门 / government department',
  AUTHORISED_ORGANISATION: '授权组织 / authorised organisation' };
const AUTH_METHOD = { client_secret_basic: 'client_secret_basic', client_secret_post: 'client_secret_post',
  private_key_jwt: 'private_key_jwt', none: 'none (public, PKCE)' };
const GRANT_TYPE = { authorization_code: 'authorization_code', refresh_token: 'refresh_token',
  client_credentials: 'client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange': 'token-exchange' };
const DAY_KIND = { holiday: '节假日 / holiday', workday: '调休上班 / make-up working day' };
// The identity audit's event types, as the auditor reads them: every type identity-service writes has its words
// here (AdminChangeConsoleTest compares them with the service's sources); the code stays in the cell's title.
export const AUDIT_TYPE = {
  // signing in and out
  LOGIN: '登录 / login', LOGIN_LOCKOUT: '登录锁定 / lockout', LOGIN_UNLOCKED: '解除登录锁定 / login lock lifted',
  LOGOUT: '退出 / logout', SIGNED_OUT_ELSEWHERE: '退出其他登录 / signed out elsewhere',
  BACKCHANNEL_LOGOUT: '通知各系统退出 / back-channel logout',
  // authorisation, consent, codes and tokens
  AUTHORIZE_REFUSED: '拒绝授权请求 / authorization refused', CONSENT_GIVEN: '同意授权 / consent given',
  CONSENT_DENIED: '拒绝授权 / consent denied', CONSENT_REFUSED: '拒绝无效的授权确认 / consent answer refused',
  CONSENT_WITHDRAWN: '撤回授权 / consent withdrawn',
  CONSENT_APPLICATION_SIGNED_OUT: '退出政府部门应用 / signed out of an application',
  CODE_ISSUED: '签发授权码 / code issued', CODE_REFUSED: '拒绝兑换授权码 / code refused',
  CODE_REUSE: '授权码重放 / code reused', TOKEN_ISSUED: '签发令牌 / token issued',
  TOKEN_REFUSED: '拒绝签发令牌 / token refused', TOKEN_REVOKED: '撤销令牌 / token revoked',
  REFRESH_REUSE: '刷新令牌重放 / refresh token reused', KEYS_ROTATED: '轮换签名密钥 / signing keys rotated',
  // accounts
  ACCOUNT_CREATED: '创建账户 / account created', ACCOUNT_DISABLED: '停用账户 / account disabled',
  ACCOUNT_ENABLED: '启用账户 / account enabled', ROLES_CHANGED: '变更角色 / roles changed',
  LEVEL_CHANGED: '变更实名等级 / level changed', LEVEL_VERIFICATION: '实名核验 / level verification',
  COUNTER_VERIFICATION: '柜台核验 / counter verification', REGISTRATION: '注册 / registration',
  ACCOUNT_ID_NUMBER_LOOKUP: '按公民身份号码查找账户 / account looked up by ID number',
  REGISTRATION_CONFIRMED: '确认注册 / registration confirmed', RECOVERY_REQUESTED: '申请找回账户 / recovery requested',
  PASSWORD_CHANGED: '修改密码 / password changed', PASSWORD_RESET: '重置密码 / password reset',
  TOTP_ENROLLED: '启用动态口令 / TOTP enrolled', TOTP_REMOVED: '关闭动态口令 / TOTP turned off',
  TOTP_RESET: '重置动态口令 / TOTP reset', CONTACT_CHANGE_REQUESTED: '申请更换联系方式 / contact change asked',
  CONTACT_CHANGE_CONFIRMED: '确认更换联系方式 / contact change confirmed',
  CONTACT_CHANGE_CANCELLED: '撤销更换联系方式 / contact change cancelled',
  CONTACT_CHANGED: '联系方式已更换 / contact changed', DATA_EXPORTED: '下载个人信息副本 / copy of data downloaded',
  ACCOUNT_CLOSURE_REQUESTED: '申请注销账户 / closure requested',
  ACCOUNT_CLOSURE_CANCELLED: '撤销注销账户 / closure cancelled', ACCOUNT_CLOSED: '账户已注销 / account closed',
  // 双人复核 of administrators' accounts
  ADMIN_CHANGE_REQUESTED: '提出管理员账户变更（待复核） / admin change requested',
  ADMIN_CHANGE_CONFIRMED: '复核确认管理员账户变更 / admin change confirmed',
  ADMIN_CHANGE_REJECTED: '驳回或撤回管理员账户变更 / admin change rejected or withdrawn',
  ADMIN_CHANGE_EXPIRED: '管理员账户变更过期 / admin change expired',
  ADMIN_CHANGE_APPLIED_ALONE: '唯一可操作的管理员直接生效的变更（无人可复核） / admin change applied by the only administrator',
  // delegations (经办授权)
  DELEGATION_CREATED: '委托经办人 / agent authorised', DELEGATION_ACCEPTED: '经办人接受委托 / delegation accepted',
  DELEGATION_DECLINED: '经办人拒绝委托 / delegation declined', DELEGATION_REVOKED: '撤销委托 / delegation revoked',
  DELEGATION_EXPIRED: '委托到期 / delegation expired',
  // enterprises and the legal-person reference (法人库)
  ENTERPRISE_REGISTRATION: '法人注册被拒 / enterprise registration refused',
  ENTERPRISE_REGISTERED: '法人自助注册 / enterprise registered',
  LEGAL_PERSON_REGISTRY_LOADED: '载入法人库 / legal-person reference loaded',
  LEGAL_PERSON_STATUS_CHANGE_RECORDED: '记录企业登记状态变更 / registry status change recorded',
  LEGAL_REPRESENTATIVE_CHANGE_RECORDED: '记录法定代表人变更 / representative change recorded',
  LEGAL_REPRESENTATIVE_CHANGE_ENDED: '法定代表人变更已恢复 / representative change ended',
  LEGAL_REPRESENTATIVE_TAKEN_OVER: '新法定代表人接管 / representative took over',
  // clients and departments
  CLIENT_REGISTERED: '注册接入应用 / client registered', CLIENT_UPDATED: '修改接入应用 / client changed',
  CLIENT_ENABLED: '启用接入应用 / client enabled', CLIENT_DISABLED: '停用接入应用 / client disabled',
  CLIENT_SECRET_ROTATED: '更换应用密钥 / client secret rotated', CLIENT_AUTH: '应用认证 / client authentication',
  DEPARTMENT_CREATED: '登记部门 / department registered', DEPARTMENT_UPDATED: '修改部门 / department changed',
  DEPARTMENT_DEACTIVATED: '停用部门 / department deactivated', DEPARTMENT_REACTIVATED: '恢复部门 / department reactivated',
};

/** An event type in words, its code in the title (what the auditor filters and searches by). */
const auditType = (type) => h('span', { class: 'event-type', title: type, 'data-type': type }, label(AUDIT_TYPE, type));

// ------------------------------------------------------------------ form helpers

/** One line (or comma) per value. */
const list = (text) => (text || '').split(/[\n,，]/).map((s) => s.trim()).filter(Boolean);

/** A group of checkboxes named name, one per vocabulary key; the checked ones come back as a list. */
function checks(name, vocabulary, chosen) {
  const selected = new Set(chosen || []);
  return h('span', { class: 'checks' }, Object.entries(vocabulary).map(([k, v]) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name, value: k, 'data-group': name, checked: selected.has(k) }), ' ' + v)));
}

const input = (name, value, attrs) => h('input', { name, value: value ?? '', ...(attrs || {}) });
const when = (at) => beijingTime(at, 'second');

/** A form whose submit runs send(values); its fields get the service's messages beside them. */
function form(id, title, fields, button, send, after, wide) {
  const f = h('form', { id, class: wide ? 'action wide' : 'action' }, title ? h('h4', {}, title) : null,
    fields, h('button', { type: 'submit' }, button));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(f.querySelector('button[type=submit]'), () => send(values(f)), after, f);
  });
  return f;
}

/** A button running one call, then after(result). */
function button(id, text, call, after) {
  const b = h('button', { type: 'button', id, onclick: () => act(b, call, after) }, text);
  return b;
}

function details(rows) {
  return h('dl', {}, rows.filter(([, v]) => v !== undefined).map(([k, v]) => [h('dt', {}, k),
    h('dd', {}, v == null || v === '' ? '—' : v)]));
}

let departmentList = null;
/** Every department (deactivated ones too), for pickers; loaded once per page. */
async function allDepartments() {
  if (!departmentList) {
    departmentList = api('GET', `${IDENTITY}/departments?includeInactive=true`, undefined, undefined, true)
      .catch((e) => {
        departmentList = null;
        throw e;
      });
  }
  return departmentList;
}

/** A department picker; new staff, clients and parents may only be active departments (all of them for filters). */
async function departmentPicker(name, value, blank, everyDepartment) {
  const departments = (await allDepartments()).filter((d) => everyDepartment || d.active || d.code === value);
  return h('select', { name }, h('option', { value: '' }, blank || '—'), departments.map((d) => h('option',
    { value: d.code, selected: d.code === value }, `${d.name}${d.active ? '' : '（已撤销 / deactivated）'}`)));
}

// ------------------------------------------------------------------ accounts (账户)

async function accountsRoute(id, sub, params) {
  if (id === 'new' && has('admin')) return accountForm();
  if (id) return accountView(id);
  return accountList(params);
}

async function accountList(params) {
  const query = new URLSearchParams(params);
  query.set('size', String(PAGE_SIZE));
  const { items, total } = await apiPage(`${IDENTITY}/accounts?${query}`);
  show(h('h2', {}, '账户 / Accounts'),
    filterForm('account-filter', '#/accounts', params, [
      field('q', '用户名或姓名 / username or name', input('q', '', { type: 'search' }),
        '公民身份号码请用下方的精确查找 / for an ID number use the exact lookup below'),
      field('type', '类型 / type', select('type', ACCOUNT_TYPE, null, '全部 / all')),
      field('department', '部门 / department', await departmentPicker('department', null, '全部 / all', true)),
      field('role', '角色 / role', select('role', STAFF_ROLES, null, '全部 / all')),
      field('status', '状态 / status', select('status', ACCOUNT_STATUS, null, '全部 / all'))]),
    idNumberLookup(),
    has('admin') ? h('p', {}, h('a', { href: '#/accounts/new', class: 'button', id: 'new-account' },
      '新建账户 / New account')) : null,
    items.length ? accountTable(items)
      : emptyList(params, '#/accounts', '暂无账户 / no accounts yet', 'no-accounts', [], total),
    pager(params, '#/accounts', items.length, total));
}

function accountTable(items) {
  return table(['用户名 / username', '姓名 / name', '类型 / type', '部门 / department', '角色 / roles',
    '实名等级 / level', '状态 / status'], items.map((a) => [h('a', { href: `#/accounts/${a.id}` }, a.username),
    a.displayName || '', label(ACCOUNT_CLAIM, a.type), a.departmentCode ? departmentCell(a.departmentCode) : '',
    (a.roles || []).map((r) => label(STAFF_ROLES, r)).join('、'), `L${a.level}`, label(ACCOUNT_STATUS, a.status)]));
}

/**
 * 公民身份号码精确查找: at the counter a citizen gives their number, and a name alone finds hundreds of 张伟. The
 * service compares the whole number (a part of one is refused beside the field) and audits each lookup. The number
 * stays out of the address (history, bookmarks) and out of the drafts kept over a new login; the answer shows it
 * masked, as the list does.
 */
function idNumberLookup() {
  const result = h('div', { id: 'id-lookup-result', 'aria-live': 'polite' });
  const lookup = form('id-lookup', '公民身份号码精确查找 / Find by ID number', [
    field('idNumber', '公民身份号码 / ID number', input('idNumber', '', { autocomplete: 'off', spellcheck: 'false',
      'data-no-draft': 'true' }), '完整的18位号码，每次查找记入审计日志 / all 18 characters; every lookup is audited')],
  '查找 / Find', (v) => {
    result.replaceChildren();
    return api('GET', `${IDENTITY}/accounts?idNumber=${encodeURIComponent(v.idNumber ?? '')}`);
  }, (found) => {
    // the page stays: an answer takes the place of a refusal shown beside the field before
    lookup.querySelectorAll('.field.invalid').forEach((f) => f.classList.remove('invalid'));
    lookup.querySelectorAll('.error').forEach((e) => { e.textContent = ''; });
    lookup.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
    result.replaceChildren(found.length ? accountTable(found)
      : h('p', { id: 'id-lookup-none' }, '没有持该公民身份号码的账户 / no account holds this ID number'));
  });
  return h('section', { id: 'id-lookup-section' }, lookup, result);
}

async function accountForm() {
  const fields = [
    field('type', '类型 / type', select('type', ACCOUNT_TYPE, 'CIVIL_SERVANT')),
    field('username', '用户名（工作人员） / username (staff)', input('username')),
    field('displayName', '姓名或名称 / name', input('displayName')),
    field('idNumber', '公民身份号码（自然人） / ID number (citizens)', input('idNumber', '', { autocomplete: 'off' })),
    field('uscc', '统一社会信用代码（法人） / USCC (enterprises)', input('uscc')),
    field('departmentCode', '所在部门（工作人员） / department (staff)', await departmentPicker('departmentCode')),
    field('roles', '角色 / roles', checks('roles', STAFF_ROLES)),
    field('password', '初始密码 / initial password', input('password', '', { type: 'password',
      autocomplete: 'new-password' })),
    field('email', '电子邮箱 / email', input('email', '', { type: 'email' })),
    field('phone', '手机号码 / phone', input('phone')),
  ];
  show(h('h2', {}, '新建账户 / New account'), form('account-form', null, fields, '创建 / Create',
    (v) => api('POST', `${IDENTITY}/accounts`, v), (created) => {
      if (created.kind === 'CREATE' && created.status === 'PENDING') {
        // 双人复核: a new administrator (202) is a change waiting for a second one, not an account yet; its id is the
        // change's, so the notice leads to the change instead of an account page that does not exist
        state.nextNotice = [`新管理员账户 ${created.username} 须由另一位管理员确认后才创建。 / The new administrator `
          + `${created.username} is created once another administrator confirms it. `,
        h('a', { href: `${ADMIN_CHANGES}/${created.id}`, id: 'see-admin-change' }, '查看复核 / see the change')];
        location.hash = '#/accounts';
        return;
      }
      state.nextNotice = `已创建账户 / account created: ${created.username}`;
      location.hash = `#/accounts/${created.id}`;
    }, true), h('p', {}, h('a', { href: '#/accounts' }, '← 返回 / back')));
}

async function accountView(id) {
  const a = await api('GET', `${IDENTITY}/accounts/${encodeURIComponent(id)}`);
  const events = has('auditor')
    ? await api('GET', `${IDENTITY}/audit?subject=${encodeURIComponent(a.id)}&size=50`) : [];
  // 双人复核: the roles, level and contacts of another administrator's account wait for a second one (202, PENDING)
  const done = (text) => thenShow(() => accountView(id), (r) => (r && r.status === 'PENDING'
    ? ['已提交，等待另一位管理员确认 / submitted: waiting for another administrator to confirm. ',
      h('a', { href: `${ADMIN_CHANGES}?account=${a.id}`, id: 'see-admin-change' }, '查看复核 / see the change')] : text));
  // a change of this administrator's account already waiting: said on the page, with the way to it
  const waiting = has('admin', 'auditor') && (a.roles || []).includes('admin')
    ? await api('GET', `${IDENTITY}/admin-changes?status=PENDING&account=${encodeURIComponent(a.id)}`) : [];
  const actions = [];
  // 四眼原则: the service refuses an administrator's own roles, level, second factor and contacts (403), so their
  // own account page offers none of these and says who does them.
  const own = a.id === state.me.subject;
  if (has('admin') && own) {
    actions.push(h('section', { class: 'action', id: 'own-account' }, h('h4', {}, '本人账户 / Your own account'),
      h('p', {}, '本人账户的角色、实名等级、柜台核验（联系方式）和动态口令重置须由另一位管理员办理。'),
      h('p', { lang: 'en' }, 'Another administrator does the roles, real-name level, counter verification (contacts) '
        + 'and TOTP reset of your own account.')));
  }
  if (has('admin') && !own) {
    if (a.type === 'civil_servant') {
      actions.push(form('account-roles', '角色 / Roles', [field('roles', '', checks('roles', STAFF_ROLES, a.roles))],
        '保存 / Save', (v) => api('PUT', `${IDENTITY}/accounts/${a.id}/roles`, v.roles),
        done('角色已更新 / roles saved')));
    }
    actions.push(form('account-level', '实名等级核验 / Real-name level', [
      field('level', '等级 / level', select('level', { 2: 'L2', 3: 'L3', 4: 'L4' }, String(Math.max(2, a.level)))),
      field('method', '核验方式 / method', select('method', LEVEL_FORM_METHOD, 'population-register')),
      // not stored by the service, and not kept in the browser either (a draft kept over a new login leaves it out)
      field('evidence', '核验材料（不保存） / evidence (not stored)', input('evidence', '',
        { autocomplete: 'off', 'data-no-draft': true }))],
    '核验 / Verify', (v) => api('POST', `${IDENTITY}/accounts/${a.id}/level`, { ...v, level: Number(v.level) }),
    done('实名等级已更新 / level set')));
    // 柜台核验: the holder checked in person gets the account back (contacts replaced, every sign-in, factor and
    // delegation ended, the password to be set through recovery); the service audits who did it and why.
    actions.push(form('account-counter', '柜台核验 / Counter verification', [
      field('phone', '核验后的手机号 / verified phone', input('phone', '', { autocomplete: 'off' })),
      field('email', '或电子邮箱 / or e-mail', input('email', '', { autocomplete: 'off' })),
      field('reason', '事由（受理单号、所查验证件） / reason (case number, documents checked)', input('reason', ''))],
    '核验并更换联系方式 / Verify and set the contacts',
    (v) => api('POST', `${IDENTITY}/accounts/${a.id}/counter-verification`, v),
    done('联系方式已更换，原有登录、动态口令和经办授权均已失效；请持有人通过“忘记密码”设置密码 / contacts set; every '
      + 'sign-in, the second factor and the delegations ended; the holder sets a password with "Forgot password"')));
  }
  if (has('admin')) {
    actions.push(h('section', { class: 'action' }, h('h4', {}, '状态 / Status'),
      a.status === 'DISABLED'
        ? button('enable-account', '启用 / Enable', () => api('POST', `${IDENTITY}/accounts/${a.id}/enable`),
          done('已启用 / enabled'))
        : button('disable-account', '停用（并注销其全部会话） / Disable (signs it out everywhere)',
          () => api('POST', `${IDENTITY}/accounts/${a.id}/disable`), done('已停用 / disabled')),
      a.totp && !own ? [' ', button('reset-totp', '重置动态口令 / Reset TOTP',
        () => api('DELETE', `${IDENTITY}/accounts/${a.id}/totp`), done('动态口令已重置 / TOTP reset'))] : null));
  }
  show(h('p', {}, h('a', { href: '#/accounts' }, '← 账户 / accounts')),
    h('h2', { id: 'account-name' }, a.displayName || a.username),
    details([
      ['用户名 / username', a.username], ['类型 / type', label(ACCOUNT_CLAIM, a.type)],
      ['公民身份号码 / ID number', a.idNumberMasked], ['统一社会信用代码 / USCC', a.uscc],
      ['英文名称 / English name', a.englishName || undefined],
      ['法人库登记状态 / reference status', a.registryStatus
        ? h('span', { id: 'account-registry-status' }, label(REGISTRY_STATUS, a.registryStatus)) : undefined],
      ['手机 / phone', a.phoneMasked], ['电子邮箱 / e-mail', a.emailMasked],
      ['部门 / department', a.departmentCode ? departmentCell(a.departmentCode) : null],
      ['角色 / roles', (a.roles || []).map((r) => label(STAFF_ROLES, r)).join('、')],
      ['实名等级 / level', `L${a.level}${a.levelMethod ? ' · ' + label(LEVEL_METHOD, a.levelMethod) : ''}`
        + (a.levelVerifiedAt ? ' · ' + when(a.levelVerifiedAt) : '')],
      ['动态口令 / TOTP', a.totp ? '已启用 / enrolled' : '未启用 / none'],
      ['状态 / status', h('span', { id: 'account-status' }, label(ACCOUNT_STATUS, a.status))],
      ['锁定至 / locked until', a.lockedUntil ? when(a.lockedUntil) : null]]),
    waiting.length ? h('p', { id: 'account-admin-change', class: 'pending-change' }, `本账户有 ${waiting.length} 项变更等待`
      + `另一位管理员复核（${waiting.map((c) => label(CHANGE_KIND_ADMIN, c.kind)).join('、')}）。 / A change of this `
      + 'account waits for a second administrator. ', h('a', { href: `${ADMIN_CHANGES}?account=${a.id}` },
      '查看复核 / see it')) : null,
    actions.length ? h('div', { class: 'actions' }, actions) : null,
    events.length ? [h('h3', {}, '审计记录 / audit trail'), auditTable(events)] : null);
}

// ------------------------------------------------------------------ clients (接入应用)

async function clientsRoute(id, sub, params) {
  if (id === 'new') return clientForm();
  if (id) return clientView(id);
  const query = new URLSearchParams(params);
  query.set('size', String(PAGE_SIZE));
  const { items, total } = await apiPage(`${IDENTITY}/clients?${query}`);
  return show(h('h2', {}, '接入应用 / OAuth clients'),
    filterForm('client-filter', '#/clients', params, [
      field('q', '标识或名称 / client id or name', input('q', '', { type: 'search' })),
      field('department', '部门 / department', await departmentPicker('department', null, '全部 / all', true)),
      field('status', '状态 / status', select('status', { enabled: '启用 / enabled', disabled: '停用 / disabled' },
        null, '全部 / all'))]),
    h('p', {}, h('a', { href: '#/clients/new', class: 'button', id: 'new-client' }, '登记应用 / Register a client')),
    items.length ? table(['应用标识 / client id', '名称 / name', '部门 / department', '授权方式 / grant types',
      '角色 / roles', '状态 / status'], items.map((c) => [
      h('a', { href: `#/clients/${encodeURIComponent(c.clientId)}` }, c.clientId), c.name,
      c.departmentCode ? departmentCell(c.departmentCode) : '', (c.grantTypes || []).join(' '),
      (c.roles || []).join(' '), c.enabled ? '启用 / enabled' : '停用 / disabled']))
      : emptyList(params, '#/clients', '暂无接入应用 / no clients yet', 'no-clients', [], total),
    pager(params, '#/clients', items.length, total));
}

/** The secret is in this answer only: shown once, with a warning, and never stored by the console. */
function secretNotice(text, created) {
  return created.clientSecret ? [text, ' 密钥仅此一次显示，请妥善保存 / the secret is shown this once: ',
    h('code', { id: 'client-secret' }, created.clientSecret)] : text;
}

async function clientForm(existing) {
  const c = existing || {};
  const fields = [
    existing ? null : field('clientId', '应用标识 / client id', input('clientId', '', { pattern: '[a-z0-9][a-z0-9._-]{2,99}' }),
      '小写字母、数字、.-_ / lower case, digits, . - _'),
    field('name', '名称 / name', input('name', c.name)),
    field('departmentCode', '所属部门 / department', await departmentPicker('departmentCode', c.departmentCode)),
    field('authMethod', '认证方式 / client authentication', select('authMethod', AUTH_METHOD,
      c.authMethod || 'client_secret_basic')),
    field('grantTypes', '授权方式 / grant types', checks('grantTypes', GRANT_TYPE, c.grantTypes || ['client_credentials'])),
    field('redirectUris', '回调地址（每行一个） / redirect URIs', h('textarea', { name: 'redirectUris', rows: 2 },
      (c.redirectUris || []).join('\n'))),
    field('postLogoutRedirectUris', '登出后地址 / post-logout redirect URIs', h('textarea',
      { name: 'postLogoutRedirectUris', rows: 2 }, (c.postLogoutRedirectUris || []).join('\n'))),
    field('backchannelLogoutUri', '后台登出地址 / back-channel logout URI', input('backchannelLogoutUri',
      c.backchannelLogoutUri)),
    field('scopes', '范围 / scopes', input('scopes', (c.scopes || ['catalog', 'exchange']).join(' '))),
    field('audiences', '受众 / audiences', input('audiences', (c.audiences || ['onenet-catalog', 'onenet-exchange'])
      .join(' '))),
    field('roles', '角色（系统调用） / roles (for system calls)', input('roles', (c.roles || ['system']).join(' '))),
    field('jwksUri', '公钥地址 (private_key_jwt) / JWKS URI', input('jwksUri', c.jwksUri)),
    field('signingAlg', '签名算法 / signing algorithm', input('signingAlg', c.signingAlg || 'RS256')),
    field('minLevel', '最低实名等级 / minimum level', select('minLevel', { 1: 'L1', 2: 'L2', 3: 'L3', 4: 'L4' },
      String(c.minLevel || 1))),
    field('firstParty', '本平台应用（免同意） / first party (no consent screen)', h('input', { type: 'checkbox',
      name: 'firstParty', checked: !!c.firstParty })),
  ];
  const body = (v) => ({ ...v, clientId: existing ? c.clientId : v.clientId, jwks: c.jwks || null,
    redirectUris: list(v.redirectUris), postLogoutRedirectUris: list(v.postLogoutRedirectUris),
    scopes: v.scopes ? v.scopes.split(/\s+/) : [], audiences: v.audiences ? v.audiences.split(/\s+/) : [],
    roles: v.roles ? v.roles.split(/\s+/) : [], minLevel: Number(v.minLevel) });
  const send = existing
    ? (v) => api('PUT', `${IDENTITY}/clients/${encodeURIComponent(c.clientId)}?version=${c.version}`, body(v))
    : (v) => api('POST', `${IDENTITY}/clients`, body(v));
  const f = form('client-form', null, fields.filter(Boolean), existing ? '保存 / Save' : '登记 / Register', send,
    existing
      // the same address: no navigation would happen, so the page is rendered again here (with the new version)
      ? thenShow(() => clientView(c.clientId), (saved) => secretNotice('已保存 / saved.', saved))
      : (saved) => {
        state.nextNotice = secretNotice('已登记 / registered.', saved);
        location.hash = `#/clients/${encodeURIComponent(saved.client.clientId)}`;
      }, true);
  return existing ? f : show(h('h2', {}, '登记应用 / Register a client'), f,
    h('p', {}, h('a', { href: '#/clients' }, '← 返回 / back')));
}

async function clientView(id) {
  const c = await api('GET', `${IDENTITY}/clients/${encodeURIComponent(id)}`);
  const base = `${IDENTITY}/clients/${encodeURIComponent(c.clientId)}`;
  const reload = () => clientView(id);
  const done = (text) => thenShow(reload, text);
  show(h('p', {}, h('a', { href: '#/clients' }, '← 接入应用 / clients')),
    h('h2', { id: 'client-name' }, `${c.name} (${c.clientId})`),
    details([['部门 / department', c.departmentCode ? departmentCell(c.departmentCode) : null],
      ['认证方式 / authentication', c.authMethod], ['授权方式 / grant types', (c.grantTypes || []).join(' ')],
      ['回调地址 / redirect URIs', (c.redirectUris || []).join(' ')], ['范围 / scopes', (c.scopes || []).join(' ')],
      ['受众 / audiences', (c.audiences || []).join(' ')], ['角色 / roles', (c.roles || []).join(' ')],
      ['最低实名等级 / minimum level', `L${c.minLevel}`],
      ['状态 / status', h('span', { id: 'client-status' }, c.enabled ? '启用 / enabled' : '停用 / disabled')]]),
    h('div', { class: 'actions' },
      h('section', { class: 'action' }, h('h4', {}, '密钥与状态 / Secret and status'),
        c.authMethod.startsWith('client_secret') ? rotateButton(c, base, reload) : null, ' ',
        c.enabled
          ? button('disable-client', '停用 / Disable', () => api('POST', `${base}/disable`), done('已停用 / disabled'))
          : button('enable-client', '启用 / Enable', () => api('POST', `${base}/enable`), done('已启用 / enabled')))),
    h('h3', {}, '修改 / Change'), await clientForm(c));
}

/** 重新生成密钥: the old secret stops working at once, so the department's system stops until it has the new one. */
function rotateButton(c, base, reload) {
  const b = h('button', { type: 'button', id: 'rotate-secret', onclick: () => confirmFirst(b, `确定为「${c.name}」重新生成`
    + '密钥？旧密钥立即失效，该应用改用新密钥前将无法调用。 / Issue a new secret? The old one stops working at once: the '
    + 'application fails until it uses the new one.', () => act(b, () => api('POST', `${base}/secret`),
    thenShow(reload, (saved) => secretNotice('已生成新密钥，旧密钥失效 / new secret issued, the old one no longer works.',
      saved)))) }, '重新生成密钥 / New secret');
  return b;
}

// ------------------------------------------------------------------ departments (部门)

async function departmentsRoute(id, sub, params) {
  if (id === 'new' && has('admin')) return departmentForm();
  if (id) return departmentView(id);
  const query = new URLSearchParams({ includeInactive: 'true', size: String(PAGE_SIZE) });
  for (const key of ['region', 'level', 'page']) if (params.get(key)) query.set(key, params.get(key));
  const { items: departments, total } = await apiPage(`${IDENTITY}/departments?${query}`);
  return show(h('h2', {}, '部门 / Departments'),
    filterForm('department-filter', '#/departments', params, [
      field('region', '行政区划代码 / region', input('region', '', { pattern: '\\d{6}' })),
      field('level', '层级 / level', select('level', ADMIN_LEVEL, null, '全部 / all'))]),
    has('admin') ? h('p', {}, h('a', { href: '#/departments/new', class: 'button', id: 'new-department' },
      '登记部门 / Register a department')) : null,
    departments.length ? table(['名称 / name', '统一社会信用代码 / code', '行政区划 / region', '层级 / level',
      '类别 / kind', '主管部门 / authority', '状态 / status'], departments.map((d) => [
      h('a', { href: `#/departments/${encodeURIComponent(d.code)}` }, d.name), d.code, d.regionCode,
      label(ADMIN_LEVEL, d.level), label(DEPARTMENT_KIND, d.kind), d.competentAuthority ? '是 / yes' : '',
      d.active ? '有效 / active' : '已撤销 / deactivated']))
      : emptyList(params, '#/departments', '暂无部门 / no departments yet', 'no-departments', [], total),
    pager(params, '#/departments', departments.length, total));
}

async function departmentForm() {
  const fields = [
    field('code', '统一社会信用代码 / code', input('code', '', { maxlength: 18 })),
    field('name', '名称 / name', input('name')),
    field('nameEn', '英文名称 / English name', input('nameEn')),
    field('regionCode', '行政区划代码 / region (GB/T 2260)', input('regionCode', state.me.region, { pattern: '\\d{6}' })),
    field('level', '层级 / level', select('level', ADMIN_LEVEL, 'PROVINCE')),
    field('parentCode', '上级部门 / parent', await departmentPicker('parentCode')),
    field('kind', '类别 / kind', select('kind', DEPARTMENT_KIND, 'GOVERNMENT_DEPARTMENT')),
    field('competentAuthority', '本级政务数据共享主管部门 / competent authority of its region',
      h('input', { type: 'checkbox', name: 'competentAuthority' })),
    field('reason', '依据（如编制批复） / reason (e.g. the establishment approval)', input('reason')),
  ];
  show(h('h2', {}, '登记部门 / Register a department'), form('department-form', null, fields, '登记 / Register',
    (v) => api('POST', `${IDENTITY}/departments`, v), (created) => {
      departmentList = null;
      state.nextNotice = `已登记 / registered: ${created.name}`;
      location.hash = `#/departments/${created.code}`;
    }, true), h('p', {}, h('a', { href: '#/departments' }, '← 返回 / back')));
}

async function departmentView(code) {
  const d = await api('GET', `${IDENTITY}/departments/${encodeURIComponent(code)}`);
  const base = `${IDENTITY}/departments/${encodeURIComponent(d.code)}`;
  const ifMatch = { 'If-Match': String(d.version) };
  const after = (text) => thenShow(() => {
    departmentList = null;
    return departmentView(code);
  }, text);
  // 双人复核: deactivating or reactivating a department another administrator works in waits for a second one (202,
  // PENDING): nothing changed yet, the notice leads to the change
  const decided = (text) => thenShow(() => departmentView(code), (r) => (r && r.status === 'PENDING'
    ? [`${label(CHANGE_KIND_ADMIN, r.kind)}已提交，须由另一位管理员（非本部门）确认后才生效。 / Submitted: it takes effect `
      + 'once another administrator, not of this department, confirms it. ',
    h('a', { href: `${ADMIN_CHANGES}/${r.id}`, id: 'see-admin-change' }, '查看复核 / see the change')] : text));
  // a deactivation or reactivation already waiting: said on the page, with the way to it
  const waiting = has('admin', 'auditor')
    ? await api('GET', `${IDENTITY}/admin-changes?status=PENDING&department=${encodeURIComponent(d.code)}`) : [];
  const reason = () => field('reason', '理由（记入审计） / reason (audited)', input('reason'));
  const actions = !has('admin') ? [] : d.active ? [
    form('department-change', '修改 / Change', [
      field('name', '名称 / name', input('name', d.name)),
      field('nameEn', '英文名称 / English name', input('nameEn', d.nameEn)),
      field('parentCode', '上级部门 / parent', await departmentPicker('parentCode', d.parentCode, '无 / none')),
      field('kind', '类别 / kind', select('kind', DEPARTMENT_KIND, d.kind)), reason()],
    '保存 / Save', (v) => api('PUT', base, v, ifMatch), after('已保存 / saved')),
    form('department-deactivate', '撤销 / Deactivate', [reason()], '撤销 / Deactivate',
      (v) => api('POST', `${base}/deactivate`, v, ifMatch), decided('已撤销 / deactivated')),
  ] : [form('department-reactivate', '恢复 / Reactivate', [reason()], '恢复 / Reactivate',
    (v) => api('POST', `${base}/reactivate`, v, ifMatch), decided('已恢复 / reactivated'))];
  show(h('p', {}, h('a', { href: '#/departments' }, '← 部门 / departments')),
    h('h2', { id: 'department-name' }, d.name),
    details([['统一社会信用代码 / code', d.code], ['英文名称 / English name', d.nameEn],
      ['行政区划 / region', d.regionCode], ['层级 / level', label(ADMIN_LEVEL, d.level)],
      ['上级部门 / parent', d.parentCode ? departmentCell(d.parentCode) : null],
      ['类别 / kind', label(DEPARTMENT_KIND, d.kind)], ['主管部门 / authority', d.competentAuthority ? '是 / yes' : '否 / no'],
      ['状态 / status', h('span', { id: 'department-status' }, d.active ? '有效 / active' : '已撤销 / deactivated')]]),
    waiting.length ? h('p', { id: 'department-admin-change', class: 'pending-change' }, `本部门的${waiting.map((c) =>
      label(CHANGE_KIND_ADMIN, c.kind)).join('、')}正在等待另一位管理员复核。 / A change of this department waits for `
      + 'a second administrator. ', h('a', { href: `${ADMIN_CHANGES}?department=${encodeURIComponent(d.code)}` },
      '查看复核 / see it')) : null,
    has('admin', 'auditor') ? h('p', {}, h('a', { href: `#/accounts?department=${d.code}` },
      '本部门的账户 / its accounts')) : null,
    actions.length ? h('div', { class: 'actions' }, actions) : null);
}

// ------------------------------------------------------------------ the identity audit log (审计日志)

function auditTable(events) {
  return table(['时间 / at', '事件 / event', '结果 / outcome', '操作者 / actor', '对象 / subject', '应用 / client',
    '地址 / IP', '详情 / detail', '请求编号 / request id'], events.map((e) => [when(e.at), auditType(e.type),
    label(AUDIT_OUTCOME, e.outcome), named(e.actorName, e.actor), named(e.subjectName, e.subject), e.clientId || '',
    e.ip || '', e.summary || e.detail || '', e.requestId || '']));
}

async function auditView(id, sub, params) {
  const query = new URLSearchParams(params);
  query.set('size', String(PAGE_SIZE));
  for (const k of ['from', 'to']) {
    // the form's date-time is Beijing time, as the table shows it, whatever the zone the browser runs in
    if (query.get(k)) query.set(k, beijingInstant(query.get(k)));
  }
  const { items: events, total } = await apiPage(`${IDENTITY}/audit?${query}`);
  const typePicker = select('type', AUDIT_TYPE, null, '全部 / all');
  for (const option of typePicker.options) if (option.value) option.title = option.value;
  show(h('h2', {}, '审计日志 / Audit log'),
    h('p', { class: 'meta' }, '身份认证服务的全部安全事件，新的在前；只读。 / Every security event of the identity '
      + 'service, newest first; read only.'),
    filterForm('audit-filter', '#/audit', params, [
      field('type', '事件 / event', typePicker),
      field('outcome', '结果 / outcome', select('outcome', AUDIT_OUTCOME, null,
        '全部 / all')),
      field('actor', '操作者 / actor', input('actor')), field('subject', '对象 / subject', input('subject')),
      field('clientId', '应用 / client', input('clientId')),
      field('from', '自（北京时间） / from (Beijing time)', input('from', '', { type: 'datetime-local' })),
      field('to', '至（北京时间） / to (Beijing time)', input('to', '', { type: 'datetime-local' }))]),
    events.length ? auditTable(events) : emptyList(params, '#/audit', null, 'no-audit-events', [], total),
    pager(params, '#/audit', events.length, total));
}

// ------------------------------------------------------------------ the working-day calendar (工作日历)

async function calendarView(id, sub, params) {
  if (id === 'changes' && has('admin', 'auditor')) return calendarChangesView(params);
  const year = Number(params.get('year')) || new Date().getFullYear();
  const [days, coverage] = await Promise.all([api('GET', `${CATALOG}/calendar?year=${year}`),
    api('GET', `${CATALOG}/calendar/coverage`)]);
  const reload = () => calendarView(id, sub, params);
  const result = h('output', { id: 'working-days-end' });
  const calculator = form('working-days', '工作日推算 / Count working days', [
    field('start', '起算日 / start', input('start', today(), { type: 'date' })),
    field('days', '工作日数 / working days', input('days', '10', { type: 'number', min: 0, max: 1000 })), result],
  '推算 / Count', (v) => api('GET', `${CATALOG}/calendar/working-days?start=${v.start || ''}&days=${v.days || ''}`),
  (r) => { result.textContent = `${r.start} 起 ${r.days} 个工作日，截止 ${r.end} / ends ${r.end}`
    + (r.provisional ? '（暂定 / provisional）' : ''); });
  // Every change needs its reason (the notice it follows), recorded with the admin in the calendar's history; a
  // removal from the table below takes the reason written here.
  const editor = has('admin') ? form('calendar-day', '设置日期 / Set a day', [
    field('day', '日期 / date', input('day', '', { type: 'date' })),
    field('kind', '类型 / kind', select('kind', DAY_KIND, 'holiday')),
    field('name', '名称 / name', input('name', '', { placeholder: '如 春节 / e.g. 春节' })),
    field('reason', '修改理由 / reason', input('reason', '', { placeholder: '如 国办发明电〔2026〕7号 / e.g. the notice' }),
      '设置和删除日期都须填写，记入日历变更记录 / required to set or remove a day, kept in the change history')],
  '保存 / Save', (v) => api('PUT', `${CATALOG}/calendar/${v.day || 'missing'}`,
    { kind: v.kind, name: v.name, reason: v.reason }),
  thenShow(reload, (saved) => `已保存 / saved: ${saved.day} ${label(DAY_KIND, saved.kind)}`)) : null;
  const remove = (d) => {
    const b = h('button', { type: 'button', id: `delete-day-${d.day}`, onclick: () => act(b, () => api('DELETE',
      `${CATALOG}/calendar/${d.day}?reason=${encodeURIComponent(values(editor).reason || '')}`),
    thenShow(reload, `已删除 / removed: ${d.day}`), editor) }, '删除 / remove');
    return b;
  };
  show(h('h2', {}, `工作日历 / Working-day calendar ${year}`),
    h('p', {}, h('a', { href: `#/calendar?year=${year - 1}`, class: 'chip' }, `← ${year - 1}`),
      h('a', { href: `#/calendar?year=${year + 1}`, class: 'chip' }, `${year + 1} →`),
      has('admin', 'auditor') ? h('a', { href: '#/calendar/changes', id: 'calendar-history', class: 'chip' },
        '变更记录 / change history') : null),
    h('p', { class: 'meta' }, '法定期限按工作日计算：周末、下列节假日不计，调休上班日计入。 / Statutory deadlines '
      + 'count working days: weekends and the holidays below do not count, make-up working days do.'),
    h('p', { id: 'calendar-coverage', class: coverage.coveredUntil && year > Number(coverage.coveredUntil.slice(0, 4))
      ? 'overdue' : 'meta' }, `国务院节假日安排已录入至 ${coverage.coveredUntil || '—'}；此后只计元旦、劳动节、国庆节等`
      + '固定日期假日，期限为暂定，录入当年安排后自动重算；一年的安排录入到春节和国庆节 10 月 3 日之后的假日，方算录入。 / '
      + 'The State Council\'s holiday notices are entered up to '
      + `${coverage.coveredUntil || '—'}; after that only the fixed-date holidays count, deadlines are provisional and `
      + 'are counted again when that year\'s notice is entered. A year counts as entered once its 春节 and the days of '
      + 'its 国庆节 week after 3 October are.'),
    h('div', { class: 'actions' }, editor, calculator),
    days.length ? table(['日期 / date', '类型 / kind', '名称 / name', ''], days.map((d) => [d.day,
      label(DAY_KIND, d.kind), d.name || '', has('admin') ? remove(d) : '']))
      : h('p', {}, '本年尚无节假日安排 / no holidays recorded for this year'));
}

const CHANGE_ACTION = { SET: '设置 / set', REMOVE: '删除 / removed', SEED: '初始日历 / initial calendar' };

/** Who changed the calendar, when, the day before and after, and why: newest first (admins and auditors). */
async function calendarChangesView(params) {
  const query = new URLSearchParams(params);
  for (const [k, v] of [...query]) if (!v) query.delete(k);
  query.set('size', String(PAGE_SIZE));
  const { items, total } = await apiPage(`${CATALOG}/calendar/changes?${query}`);
  const dayText = (v) => (v ? `${label(DAY_KIND, v.kind)} ${v.name || ''}` : '—');
  show(h('h2', {}, '工作日历变更记录 / Calendar change history'),
    h('p', {}, h('a', { href: '#/calendar', class: 'chip' }, '← 工作日历 / calendar')),
    h('p', { class: 'meta' }, '每次设置或删除日期的操作人、时间、前后内容和理由，新的在前；只读。 / Who set or removed '
      + 'each day, when, the day before and after, and why, newest first; read only.'),
    filterForm('calendar-changes-filter', '#/calendar/changes', params, [
      field('day', '日期 / date', input('day', params.get('day') || '', { type: 'date' }))]),
    items.length ? table(['时间 / when', '日期 / date', '操作 / change', '原为 / before', '改为 / after',
      '理由 / reason', '操作人 / by'], items.map((c) => [beijingTime(c.changedAt), c.day,
      label(CHANGE_ACTION, c.action), dayText(c.before), dayText(c.after), c.reason,
      c.actorName ? `${c.actorName}（${c.actor}）` : c.actor]))
      : emptyList(params, '#/calendar/changes', null, 'no-calendar-changes', [], total),
    pager(params, '#/calendar/changes', items.length, total));
}

// ------------------------------------------------------------------ search synonyms (检索同义词)

async function synonymsView() {
  const synonyms = await api('GET', `${CATALOG}/synonyms`);
  const reload = () => synonymsView();
  show(h('h2', {}, '检索同义词与缩略语 / Search synonyms and abbreviations'),
    h('p', { class: 'meta' }, '检索“社保”也找到“社会保险”。保存后各检索节点随即生效。 / A search for 社保 also finds '
      + '社会保险; every search replica follows within seconds.'),
    form('synonym-form', '新增或修改 / Add or change', [
      field('term', '词语 / term', input('term', '', { maxlength: 50 })),
      field('expansion', '扩展为 / expands to', input('expansion'))], '保存 / Save',
    (v) => api('PUT', `${CATALOG}/synonyms/${encodeURIComponent(v.term || ' ')}`, { expansion: v.expansion }),
    thenShow(reload, (saved) => `已保存 / saved: ${saved.term} → ${saved.expansion}`)),
    table(['词语 / term', '扩展为 / expands to', ''], synonyms.map((s) => [s.term, s.expansion,
      button(`delete-synonym-${s.term}`, '删除 / remove', () => api('DELETE',
        `${CATALOG}/synonyms/${encodeURIComponent(s.term)}`), thenShow(reload, `已删除 / removed: ${s.term}`))])));
}

// ------------------------------------------------------------------ legal-person reference (法人库)

const REGISTRY_STATUS = { IN_BUSINESS: '存续 / in business', REVOKED: '吊销 / revoked',
  DEREGISTERED: '注销 / deregistered' };
const CHANGE_KIND = { REPRESENTATIVE: '法定代表人变更 / representative', STATUS: '登记状态变更 / status' };
const CHANGE_OUTCOME = { TAKEN_OVER: '新法定代表人已接管 / taken over', REVERTED: '已恢复原法定代表人 / reverted',
  SUPERSEDED: '被后续变更取代 / superseded' };

/**
 * 法人库: the reference a legal representative's enterprise registration is checked against. Administrators load it
 * as CSV (all rows or none; a bad row is named); administrators and auditors read its rows and the changes loads
 * recorded for registered enterprises. No ID number is shown: the service keeps only a keyed digest and shows none.
 */
async function legalPersonsView(id, sub, params) {
  const query = new URLSearchParams();
  for (const key of ['uscc', 'page']) if (params.get(key)) query.set(key, params.get(key));
  query.set('size', String(PAGE_SIZE));
  const [{ items, total }, changes] = await Promise.all([
    apiPage(`${IDENTITY}/legal-person-registry?${query}`),
    apiPage(`${IDENTITY}/legal-person-registry/changes?size=${PAGE_SIZE}`
      + (params.get('uscc') ? `&uscc=${encodeURIComponent(params.get('uscc'))}` : ''))]);
  show(h('h2', {}, '法人库 / Legal-person reference'),
    h('p', { class: 'meta' }, '企业法定代表人登记企业时，按此核对统一社会信用代码、名称、登记状态和法定代表人。载入的行按'
      + '统一社会信用代码新增或替换；法定代表人的身份证号码只保存其密钥摘要。载入使已登记企业变为吊销或注销时，记录变更并'
      + '通知其法定代表人和管理员，企业账户不自动停用，由管理员决定。 / Enterprise registrations by their legal '
      + 'representative are checked against this reference. Loaded rows are added or replaced by code; only a keyed '
      + 'digest of the representative\'s ID number is kept. A load turning a registered enterprise to 吊销 or 注销 is '
      + 'recorded and told to its representative and the administrators; its account is not disabled: an '
      + 'administrator decides.'),
    has('admin') ? registryLoad() : null,
    filterForm('legal-person-filter', '#/legal-persons', params, [
      field('uscc', '统一社会信用代码（部分） / code (part)', input('uscc', '', { type: 'search', maxlength: 18 }))]),
    h('h3', {}, '法人库记录 / Reference rows'),
    items.length ? h('div', { id: 'legal-person-rows' }, table(['统一社会信用代码 / code', '名称 / name',
      '登记状态 / status', '已有账户 / account', '载入时间 / loaded', '载入人 / by'], items.map((r) => [r.uscc, r.name,
      label(REGISTRY_STATUS, r.status), r.accountExists ? '是 / yes' : '否 / no', when(r.loadedAt), r.loadedBy])))
      : emptyList(params, '#/legal-persons', null, 'no-legal-persons', [], total),
    pager(params, '#/legal-persons', items.length, total),
    h('h3', {}, `载入记录的变更 / Changes loads recorded (${changes.total ?? changes.items.length})`),
    changes.items.length ? h('div', { id: 'legal-person-changes' }, changeTable(changes.items))
      : emptyList(params, '#/legal-persons', null, 'no-legal-person-changes', [], changes.total));
}

function changeTable(changes) {
  return table(['时间 / when', '类型 / kind', '企业 / enterprise', '原记录 / recorded', '法人库现为 / now',
    '结果 / outcome', '载入人 / by'], changes.map((c) => [when(c.detectedAt), label(CHANGE_KIND, c.kind),
    `${c.enterpriseName || ''}（${c.uscc}）`,
    c.kind === 'STATUS' ? label(REGISTRY_STATUS, c.previousStatus) || '—' : c.recordedRepresentative || '—',
    c.kind === 'STATUS' ? label(REGISTRY_STATUS, c.registryStatus)
      : c.newRepresentative || '（无账户的人员 / a person without an account）',
    c.kind === 'STATUS' ? '账户未停用，由管理员决定 / account not disabled; an administrator decides'
      : c.outcome ? label(CHANGE_OUTCOME, c.outcome) : '待接管 / open', c.detectedBy]));
}

/**
 * The CSV upload; the service's answer (counts and recorded changes) stays shown below it. Excel on a Chinese Windows
 * saves CSV in GBK: a file that is not UTF-8 but reads as GB18030 (which GBK is part of) is sent as the UTF-8 text it
 * holds, and a file in neither is refused here, before anything is sent, rather than stored garbled.
 */
function registryLoad() {
  const report = h('div', { id: 'legal-person-load' });
  const f = h('form', { id: 'legal-person-upload', class: 'action wide' }, h('h4', {}, '载入法人库 / Load the reference'),
    field('rows', '文件（CSV，UTF-8 或 GBK；表头 uscc,name,representativeIdNumber,status） / file (CSV, UTF-8 or GBK; '
      + 'header uscc,name,representativeIdNumber,status)', h('input', { type: 'file', name: 'file', accept: '.csv,text/csv' }),
    '登记状态为 存续、吊销 或 注销；全部行无误才载入 / status 存续, 吊销 or 注销; loaded only when every row is valid'),
    h('button', { type: 'submit' }, '载入 / Load'));
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const file = f.elements.file.files[0];
    if (!file) {
      notify('请选择文件 / choose a file', 'error');
      return;
    }
    const csv = await utf8Csv(file);
    if (!csv) {
      mistake(f, 'rows', '文件既不是 UTF-8 也不是 GBK 编码，未载入；请在 Excel 中另存为“CSV UTF-8（逗号分隔）” / the file is '
        + 'neither UTF-8 nor GBK and was not loaded; save it in Excel as "CSV UTF-8 (comma delimited)"');
      return;
    }
    act(f.querySelector('button[type=submit]'), () => api('POST', `${IDENTITY}/legal-person-registry`, csv,
      { 'Content-Type': 'text/csv; charset=utf-8' }), async (r) => {
      await legalPersonsView(null, null, new URLSearchParams());
      document.getElementById('legal-person-load').replaceChildren(details([
        ['行数 / rows', String(r.rows)], ['新增 / added', String(r.added)], ['替换 / replaced', String(r.replaced)],
        ['法定代表人变更 / representative changes', (r.representativeChanges || []).join('、') || '无 / none'],
        ['变为吊销或注销 / turned 吊销 or 注销', (r.statusChanges || []).join('、') || '无 / none']]));
      notify(`已载入 / loaded: ${r.rows} 行 / rows（新增 ${r.added} · 替换 ${r.replaced}）`, 'ok');
    }, f);
  });
  return h('div', { class: 'actions' }, f, report);
}

/** The file as UTF-8: as it is when it is UTF-8, re-encoded when it is GB18030 (GBK); null when it is neither. */
async function utf8Csv(file) {
  const bytes = await file.arrayBuffer();
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      const text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
      return encoding === 'utf-8' ? file : new Blob([text], { type: 'text/csv; charset=utf-8' });
    } catch (notThisEncoding) {
      // the next one
    }
  }
  return null;
}

// ------------------------------------------------------------------ changes of administrators' accounts (双人复核)

const ADMIN_CHANGES = '#/admin-changes';
const CHANGE_KIND_ADMIN = { ROLES: '变更角色 / roles', LEVEL: '实名等级 / real-name level',
  COUNTER_VERIFICATION: '柜台核验（更换联系方式） / counter verification (contacts)',
  CREATE: '新建管理员账户 / new administrator', DISABLE: '停用账户 / disable the account',
  ENABLE: '启用账户 / enable the account', TOTP_RESET: '重置动态口令 / reset the TOTP',
  DEPARTMENT_DEACTIVATE: '撤销部门 / deactivate the department',
  DEPARTMENT_REACTIVATE: '恢复部门 / reactivate the department' };
/** The kinds that change a department (no account): its administrators are the ones concerned. */
const DEPARTMENT_KINDS = ['DEPARTMENT_DEACTIVATE', 'DEPARTMENT_REACTIVATE'];
const ADMIN_CHANGE_STATUS = { PENDING: '待复核 / awaiting a second administrator', APPLIED: '已确认生效 / confirmed',
  REJECTED: '已驳回或撤回 / rejected or withdrawn', EXPIRED: '已过期 / expired' };

/** The change's account is the signed-in administrator's own (a creation waiting has no account yet: nobody's). */
const ownAccount = (c) => c.accountId != null && c.accountId === state.me.subject;

/** The change is of the signed-in administrator's own department, whose administrators' power it takes or gives back. */
const ownDepartment = (c) => DEPARTMENT_KINDS.includes(c.kind) && c.departmentCode === state.me.department;

/** Whether the signed-in administrator may confirm or reject the change (the service refuses its requester and holder). */
const mayDecide = (c) => c.status === 'PENDING' && has('admin') && c.requestedBy !== state.me.subject && !ownAccount(c)
  && !ownDepartment(c);

/** The roles in the order the account forms list them, whatever order the service kept. */
function rolesText(roles) {
  const order = Object.keys(STAFF_ROLES);
  return h('span', { class: 'roles' }, [...(roles || [])].sort((a, b) => order.indexOf(a) - order.indexOf(b))
    .map((r) => label(STAFF_ROLES, r)).join('、') || '（无角色） / (none)');
}

/** The contacts given, masked as the service shows them. */
const contactsText = (c) => [c.phoneMasked && `手机 / phone ${c.phoneMasked}`,
  c.emailMasked && `邮箱 / e-mail ${c.emailMasked}`].filter(Boolean).join('、');

/** What the change would set, in words. */
function changeText(c) {
  if (c.kind === 'ROLES') return ['角色改为 / roles to be: ', rolesText(c.roles)];
  if (c.kind === 'LEVEL') {
    return `实名等级改为 / level to be: L${c.level}${c.levelMethod ? ' · ' + label(LEVEL_METHOD, c.levelMethod) : ''}`;
  }
  if (c.kind === 'CREATE') {
    const contacts = contactsText(c);
    return h('span', { class: 'new-account' }, `新建管理员账户 / new administrator account: 登录名 / login name `
      + `${c.username || '—'}、姓名 / name ${c.accountName || '—'}`, h('br', {}), '部门 / department: ',
    c.departmentCode ? departmentCell(c.departmentCode) : '—', h('br', {}), '角色 / roles: ', rolesText(c.roles),
    h('br', {}), contacts ? `联系方式 / contacts: ${contacts}` : '联系方式（未填写或已不再保存） / contacts (none given or '
      + 'no longer kept)');
  }
  if (c.kind === 'DISABLE') return '停用该管理员账户，并注销其全部会话 / disable the administrator\'s account, signing it out '
    + 'everywhere';
  if (c.kind === 'ENABLE') return '重新启用该管理员账户 / enable the administrator\'s account again';
  if (c.kind === 'TOTP_RESET') return '重置该管理员的动态口令，须重新开通 / reset the administrator\'s TOTP: they enrol '
    + 'a new one';
  if (DEPARTMENT_KINDS.includes(c.kind)) {
    const deactivate = c.kind === 'DEPARTMENT_DEACTIVATE';
    return h('span', { class: 'department-status-change' }, deactivate
      ? '撤销该部门：撤销期间其工作人员（包括管理员）的令牌不再带有任何角色 / deactivate the department: while it is '
        + 'deactivated, the tokens of its staff, its administrators included, carry no roles'
      : '恢复该部门：其工作人员（包括管理员）的角色随之恢复 / reactivate the department: its staff, its administrators '
        + 'included, get their roles back', h('br', {}), `理由 / reason: ${c.reason || '—'}`);
  }
  const contacts = contactsText(c);
  return [contacts ? `新的联系方式 / new contacts: ${contacts}` : '联系方式（已不再保存） / contacts (no longer kept)',
    c.reason ? h('br', {}) : null, c.reason ? `事由 / reason: ${c.reason}` : null];
}

const person = (name, id) => name || id || '—';

/** The department of a department's change, by name and code, linked to its page. */
const departmentLink = (c) => h('a', { href: `#/departments/${encodeURIComponent(c.departmentCode)}`,
  class: 'department' }, `${c.departmentName || c.departmentCode}（${c.departmentCode}）`);

/** The account, linked once it exists (a creation waiting has none yet); of a department's change, the department. */
const accountCell = (c) => (DEPARTMENT_KINDS.includes(c.kind) ? departmentLink(c)
  : c.accountId ? h('a', { href: `#/accounts/${c.accountId}`, class: 'account' }, c.accountName || c.accountId)
    : h('span', { class: 'account' }, `${c.accountName || c.username}（待创建 / to be created）`));

/** The status, and for a decided change who decided it and when (a requester's own rejection is a withdrawal). */
function changeStatus(c) {
  const withdrawn = c.status === 'REJECTED' && c.decidedBy && c.decidedBy === c.requestedBy;
  return [h('span', { class: `state state-${c.status}`, 'data-status': c.status },
    withdrawn ? '已撤回 / withdrawn' : label(ADMIN_CHANGE_STATUS, c.status)),
  c.decidedAt ? h('small', { class: 'decided' }, h('br', {}), `${person(c.decidedByName, c.decidedBy)} · ${when(c.decidedAt)}`)
    : null];
}

/**
 * A decision on the change, asked first (it cannot be undone). The service's refusal — a 409 when it was decided or
 * expired meanwhile, a 403 — is shown as its problem; after a 409 the list is read again, showing how it stands.
 */
function decision(c, verb, text, question, done, reload) {
  const send = async () => {
    try {
      return await api('POST', `${IDENTITY}/admin-changes/${c.id}/${verb === 'confirm' ? 'confirm' : 'reject'}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) await reload();
      throw e;
    }
  };
  const b = h('button', { type: 'button', id: `${verb}-${c.id}`, 'data-action': verb,
    onclick: () => confirmFirst(b, question, () => act(b, send, thenShow(reload, done))) }, text);
  return b;
}

/** What the signed-in administrator can do with a waiting change, or why not. */
function changeActions(c, reload) {
  if (c.status !== 'PENDING' || !has('admin')) return '';
  const who = `${c.accountName || c.username || c.departmentName || c.accountId}：${label(CHANGE_KIND_ADMIN, c.kind)}`;
  if (ownAccount(c)) {
    return h('p', { class: 'meta why-not' }, '本人账户的变更由其他管理员复核，您不能确认或驳回。 / A change of your own '
      + 'account is decided by other administrators.');
  }
  if (ownDepartment(c) && c.requestedBy !== state.me.subject) {
    return h('p', { class: 'meta why-not' }, '本部门的撤销或恢复由其他部门的管理员复核，您不能确认或驳回。 / The '
      + 'deactivation or reactivation of your own department is decided by administrators of other departments.');
  }
  if (c.requestedBy === state.me.subject) {
    return [h('p', { class: 'meta why-not' }, '您提出的变更须由另一位管理员确认；您可以撤回。 / Another administrator '
      + 'confirms the change you asked for; you may withdraw it.'),
    decision(c, 'withdraw', '撤回 / Withdraw', `确定撤回对「${who}」的变更申请？ / Withdraw the change you asked for?`,
      `已撤回 / withdrawn: ${who}`, reload)];
  }
  return h('span', { class: 'decide' },
    decision(c, 'confirm', '确认 / Confirm', `确定确认并使「${who}」的变更生效？ / Confirm the change? It is applied `
      + 'at once.', `已确认，变更已生效 / confirmed and applied: ${who}`, reload),
    decision(c, 'reject', '驳回 / Reject', `确定驳回「${who}」的变更？ / Reject the change? Nothing is changed.`,
      `已驳回，未作任何变更 / rejected, nothing changed: ${who}`, reload));
}

/**
 * 双人复核: the changes of administrators' accounts (roles, level, contacts) and of departments they work in
 * (deactivation, reactivation) one administrator asked for, newest first. Another administrator — neither the
 * requester nor the account's holder, nor of the department changed — confirms or rejects a waiting one; the requester
 * may withdraw it; after 24 h it expires. Auditors read the list.
 */
async function adminChangesView(id, sub, params) {
  const query = new URLSearchParams({ size: String(PAGE_SIZE) });
  for (const key of ['status', 'account', 'department', 'page']) if (params.get(key)) query.set(key, params.get(key));
  const [{ items: changes, total }, awaiting] = await Promise.all([
    apiPage(`${IDENTITY}/admin-changes?${query}`), has('admin') ? awaitingDecision() : 0]);
  // the change a notice linked to, though older than this page's: shown first, so the link never leads nowhere
  if (id && !changes.some((c) => c.id === id)) {
    try {
      changes.unshift(await api('GET', `${IDENTITY}/admin-changes/${encodeURIComponent(id)}`));
    } catch (e) {
      // an unknown id: the list as it is; an ended session or a newer navigation as everywhere
      if (!(e instanceof ApiError) || e.status === 401) throw e;
    }
  }
  const reload = async () => {
    await adminChangesView(id, sub, params);
    refreshAdminChangeBadges();
  };
  show(h('h2', {}, '管理员账户变更复核 / Changes of administrators\' accounts'),
    h('p', { id: 'admin-changes-intro', class: 'meta' }, '新建管理员账户，停用、启用其他管理员，变更其角色、实名等级或'
      + '联系方式（柜台核验），重置其动态口令，以及撤销或恢复其他管理员所在的部门，须由提出人和账户本人（该部门的管理员）以外的另一位'
      + '管理员确认后才生效；提出人可以撤回；24 小时内无人确认即过期。 / Creating an administrator; disabling or enabling '
      + 'another one, changing their roles, real-name level or contacts (counter verification), resetting their TOTP; '
      + 'and deactivating or reactivating a department another administrator works in take effect only once an '
      + 'administrator other than the requester and the account\'s holder (the department\'s administrators) confirms '
      + 'it; the requester may withdraw it; unconfirmed, it expires after 24 hours.'),
    has('admin') ? h('p', { id: 'admin-changes-awaiting' }, awaiting
      ? `待您复核 ${awaiting} 项 / ${awaiting} awaiting your decision` : '目前没有待您复核的变更 / nothing awaits your '
        + 'decision') : null,
    params.get('account') ? h('p', {}, h('a', { href: `#/accounts/${encodeURIComponent(params.get('account'))}` },
      '← 该账户 / the account')) : null,
    params.get('department') ? h('p', {}, h('a', { href: `#/departments/${encodeURIComponent(params.get('department'))}` },
      '← 该部门 / the department')) : null,
    filterForm('admin-change-filter', ADMIN_CHANGES, params, [
      field('status', '状态 / status', select('status', ADMIN_CHANGE_STATUS, null, '全部 / all')),
      params.get('account') ? h('input', { type: 'hidden', name: 'account', value: params.get('account') }) : null,
      params.get('department') ? h('input', { type: 'hidden', name: 'department', value: params.get('department') })
        : null]),
    changes.length ? h('div', { id: 'admin-changes' }, table(['账户或部门 / account or department', '变更内容 / change',
      '提出人 / asked by',
      '提出时间 / asked at', '有效期至 / expires', '状态 / status', '操作 / action'], changes.map((c) => [
      accountCell(c),
      [h('strong', {}, label(CHANGE_KIND_ADMIN, c.kind)), h('br', {}), changeText(c)],
      h('span', { class: 'requester' }, person(c.requestedByName, c.requestedBy)), when(c.requestedAt),
      when(c.expiresAt), changeStatus(c), changeActions(c, reload)])))
      : emptyList(params, ADMIN_CHANGES, '暂无管理员账户变更 / no changes of administrators\' accounts yet',
        'no-admin-changes', ['account', 'department'], total),
    pager(params, ADMIN_CHANGES, changes.length, total));
  document.querySelectorAll('#admin-changes tbody tr').forEach((row, i) => {
    row.dataset.change = changes[i].id;
    // #/admin-changes/<id>, where a notice led: that change marked and scrolled to
    if (changes[i].id === id) {
      row.classList.add('current-change');
      row.setAttribute('aria-current', 'true');
      row.scrollIntoView({ block: 'center' });
    }
  });
}

// ------------------------------------------------------------------ the menu's count of changes awaiting the admin

/** How many waiting changes the signed-in administrator may decide (of the 200 newest waiting: the service's page). */
async function awaitingDecision() {
  const waiting = await api('GET', `${IDENTITY}/admin-changes?status=PENDING&size=200`, undefined, undefined, true);
  return waiting.filter(mayDecide).length;
}

async function fillAdminChangeBadge(badge) {
  try {
    const n = await awaitingDecision();
    badge.textContent = n > 0 ? String(n) : '';
    badge.hidden = !(n > 0);
    badge.title = `待您复核 ${n} 项 / ${n} awaiting your decision`;
    // the number alone means nothing read out: the words beside it say what it counts
    (badge.nextElementSibling || h('span')).textContent = n > 0 ? `（${n} 项待您复核 / ${n} awaiting you）` : '';
  } catch (e) {
    badge.hidden = true;
  }
}

function adminChangeBadge() {
  const el = h('span', { class: 'badge', id: 'admin-changes-badge', hidden: true, 'aria-hidden': 'true' });
  const text = h('span', { class: 'visually-hidden' });
  if (has('admin')) fillAdminChangeBadge(el);
  return [el, text];
}

const refreshAdminChangeBadges = () => document.querySelectorAll('#admin-changes-badge').forEach(fillAdminChangeBadge);

// ------------------------------------------------------------------ the sections

export const ADMIN_SECTIONS = [
  { hash: '#/accounts', text: '账户 / Accounts', when: () => has('admin', 'auditor'), render: accountsRoute },
  { hash: '#/departments', text: '部门 / Departments', when: () => has('admin', 'auditor'), render: departmentsRoute },
  { hash: '#/clients', text: '接入应用 / Clients', when: () => has('admin'), render: clientsRoute },
  { hash: ADMIN_CHANGES, text: '管理员变更复核 / Admin changes', when: () => has('admin', 'auditor'),
    render: adminChangesView, badge: adminChangeBadge },
  { hash: '#/audit', text: '审计日志 / Audit log', when: () => has('auditor'), render: auditView },
  { hash: '#/calendar', text: '工作日历 / Calendar', when: () => has('admin', 'reviewer', 'auditor'), render: calendarView },
  { hash: '#/synonyms', text: '同义词 / Synonyms', when: () => has('admin'), render: synonymsView },
  { hash: '#/legal-persons', text: '法人库 / Legal-person reference', when: () => has('admin', 'auditor'),
    render: legalPersonsView },
];
