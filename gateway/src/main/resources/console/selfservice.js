// 一网通办 控制台: the signed-in person's own account (identity-service) — their details, their password, their
// phone and e-mail (masked; changed with a code sent to the new contact and a cooling-off), the consents they gave to department applications, the
// government applications that received their data without asking, their two-step verification (动态口令, TOTP), for enterprises
// and their agents, agent authorisations (经办人授权), and their rights over their data: a copy of it (个人信息副本) and closing the
// account (注销账户); for a legal representative, registering their enterprise (登记企业). Every change is the identity
// service's own decision; the console shows its answer.

import {
  IDENTITY, state, label, h, table, field, show, api, act, thenShow, ApiError, departmentCell, today,
  beijingTime, notify, confirmFirst, mistake, LEVEL_METHOD, scopeWords, Superseded,
} from './ui.js';
import { AUDIT_TYPE } from './admin.js';

/** What a change of the password or the second factor does to the holder's other sign-ins, told after it. */
const OTHERS_ENDED = ['您在其他浏览器或设备上的登录已退出', 'your other sign-ins have ended'];

const ACCOUNT_TYPE = { natural_person: '自然人 / citizen', legal_person: '法人 / enterprise',
  civil_servant: '政务工作人员 / civil servant' };
const DELEGATION_STATUS = { PENDING: '待经办人确认 / waiting for the agent', ACTIVE: '生效 / in force',
  REVOKED: '已撤销 / revoked', DECLINED: '经办人已拒绝 / declined' };

// Citizens and enterprises (and agents) manage their own account here; staff accounts are managed by their
// administrators. (The router opens a user's first section: listing this one for staff would replace their
// work list as the page they open on.)
const selfManaged = () => ['natural_person', 'legal_person'].includes(state.me.accountType);

/** A part whose list the service refused (e.g. an agent's login acting for an enterprise): its answer instead. */
async function loaded(load) {
  try {
    return await load();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
}

/**
 * A part the service refused, in words: an agent acting for an enterprise may not manage the enterprise's own
 * settings, and anything else is said as the service said it (its problem detail), never as a bare status.
 */
const refusal = (e) => h('p', { class: 'refused' }, e.status === 403 && state.me.actor
  ? '经办人代企业办理时不能查看或管理这部分，须由企业本身登录办理。 / Acting for an enterprise you cannot see or manage this '
    + 'part; the enterprise must sign in itself.'
  : e.status === 403 ? `无权查看这部分。 / You may not see this part. ${e.problem.detail || ''}`
    : `暂时无法读取这部分，请稍后再试。 / This part cannot be read now; try again later. ${e.problem.detail || ''}`);
const at = (instant) => beijingTime(instant, 'second');

/** The page; a secret just issued (enrolment or replacement, pending) is shown this once and never kept. */
async function accountView(freshSecret) {
  const [me, consents, contact] = await Promise.all([api('GET', `${IDENTITY}/me`),
    loaded(() => api('GET', `${IDENTITY}/me/consents`)),
    state.me.actor ? null : loaded(() => api('GET', `${IDENTITY}/me/contact`))]);
  const [delegations, limits, sessions, events] = await Promise.all([
    selfManaged() ? loaded(() => api('GET', `${IDENTITY}/delegations`)) : null,
    selfManaged() ? delegationLimits() : null,
    state.me.actor ? null : loaded(() => api('GET', `${IDENTITY}/me/sessions`)),
    state.me.actor ? null : loaded(() => api('GET', `${IDENTITY}/me/security-events`))]);
  show(h('h2', {}, '我的账户 / My account'), detailsPart(me), passwordPart(), contactPart(contact),
    sessionsPart(sessions, events, consents), consentsPart(consents), governmentAppsPart(consents), totpPart(me, freshSecret),
    delegations ? delegationsPart(me, delegations, limits) : null, myDataPart(me));
}

const reload = (text) => thenShow(() => accountView(), text);

// ------------------------------------------------------------------ my details (基本信息)

function detailsPart(me) {
  const rows = [
    ['姓名或名称 / name', me.displayName],
    ['账户类型 / account type', label(ACCOUNT_TYPE, me.type)],
    // The service masks a citizen's ID number (330106********001X); nothing here shows more than it sends.
    ['公民身份号码 / ID number', me.idNumberMasked],
    ['统一社会信用代码 / credit code', me.uscc],
    ['所在部门 / department', me.departmentCode ? departmentCell(me.departmentCode) : null],
    ['实名等级 / real-name level', `L${me.level}`
      + (me.levelMethod ? ` · ${label(LEVEL_METHOD, me.levelMethod)}` : '')
      + (me.levelVerifiedAt ? ` · ${at(me.levelVerifiedAt)}` : '')],
    ['本次登录等级 / this login (acr)', loginLevel(state.me.acr)],
    ['动态口令 / two-step verification', me.totp ? '已开通 / on' : '未开通 / off'],
    // Masked by the service (138****0000, z***@example.cn): where recovery and notices go.
    ['手机 / phone', me.phoneMasked],
    ['电子邮箱 / e-mail', me.emailMasked],
  ].filter(([, value]) => value != null && value !== '');
  return h('section', { id: 'my-details' }, h('h3', {}, '基本信息 / My details'),
    h('dl', {}, rows.map(([k, v]) => [h('dt', {}, k), h('dd', { 'data-detail': k.split(' / ')[1] }, v)])));
}

/** The session's acr (urn:onenet:loa:3) with its level first: L3 · urn:onenet:loa:3. */
function loginLevel(acr) {
  const level = /^urn:onenet:loa:(\d)$/.exec(acr || '');
  return level ? `L${level[1]} · ${acr}` : acr || null;
}

// ------------------------------------------------------------------ password (修改密码)

/**
 * 修改密码: the current password proves the holder; the new one is typed twice, and the page sends nothing until the
 * two match. The service checks the rest (the current password, its password policy, a lock after wrong ones) and
 * answers beside the fields. Once changed, the holder's other sign-ins are over; this one stays.
 */
function passwordPart() {
  const parts = [h('h3', {}, '修改密码 / Change password')];
  if (state.me.actor) {
    // The service refuses an agent's login: the password is the enterprise's own.
    parts.push(h('p', { id: 'password-agent', class: 'meta' }, '经办人代企业办理时不能修改企业的密码；修改本人密码请以本人'
      + '身份登录。 / Acting for an enterprise you cannot change its password; sign in as yourself to change yours.'));
    return h('section', { id: 'password' }, parts);
  }
  const secret = (name, autocomplete) => h('input', { name, type: 'password', autocomplete, maxlength: 128,
    spellcheck: 'false' });
  const form = h('form', { id: 'password-form', class: 'action' },
    field('currentPassword', '当前密码 / current password', secret('currentPassword', 'current-password')),
    field('newPassword', '新密码 / new password', secret('newPassword', 'new-password'),
      '至少10位，含大写字母、小写字母、数字、符号中的至少三类，不含登录名 / at least 10 characters mixing three of upper '
      + 'case, lower case, digits and symbols, without the login name'),
    field('repeatPassword', '再次输入新密码 / new password again', secret('repeatPassword', 'new-password')),
    h('button', { type: 'submit' }, '修改密码 / Change password'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    // Passwords are sent as typed: spaces are characters of a password like any other.
    const value = (name) => form.elements[name].value;
    if (value('newPassword') !== value('repeatPassword')) {
      mistake(form, 'repeatPassword', '两次输入的新密码不一致 / the two new passwords differ');
      return;
    }
    act(form.querySelector('button'), () => api('POST', `${IDENTITY}/me/password`,
      { currentPassword: value('currentPassword') || null, newPassword: value('newPassword') || null }),
    reload(`密码已修改；${OTHERS_ENDED[0]} / password changed; ${OTHERS_ENDED[1]}`), form);
  });
  parts.push(h('p', { class: 'meta' }, '修改后，用新密码登录；本次登录保持有效，其他浏览器或设备上的登录随即退出。 / From '
    + 'then on, log in with the new password; this sign-in stays, those in other browsers or devices end.'),
  h('div', { class: 'actions' }, form));
  return h('section', { id: 'password' }, parts);
}

// ------------------------------------------------------------------ phone and e-mail (更换手机或邮箱)

const CHANNEL = { PHONE: '手机 / phone', EMAIL: '电子邮箱 / e-mail' };

/**
 * 更换手机或邮箱: the current password and a code sent to the new contact; then a cooling-off during which the old
 * contact is told, can cancel, and still receives recovery messages. The service keeps the rules; the page shows
 * the step the change is at, as the service reports it.
 */
function contactPart(contact) {
  const parts = [h('h3', {}, '手机与邮箱 / Phone and e-mail')];
  if (state.me.actor) {
    parts.push(h('p', { id: 'contact-agent', class: 'meta' }, '经办人代企业办理时不能更换企业的联系方式。 / Acting for an '
      + 'enterprise you cannot change its contacts.'));
    return h('section', { id: 'contact' }, parts);
  }
  if (contact instanceof ApiError) return h('section', { id: 'contact' }, parts, refusal(contact));
  parts.push(h('dl', {}, h('dt', {}, '手机 / phone'), h('dd', { id: 'contact-phone' }, contact.phoneMasked || '未登记 / none'),
    h('dt', {}, '电子邮箱 / e-mail'), h('dd', { id: 'contact-email' }, contact.emailMasked || '未登记 / none')));
  const pending = contact.pending;
  if (pending) {
    const cancel = h('button', { type: 'button', id: 'contact-cancel', onclick: () => act(cancel,
      () => api('DELETE', `${IDENTITY}/me/contact`), reload('已撤销更换 / change cancelled')) }, '撤销更换 / Cancel the change');
    if (pending.status === 'COOLING_OFF') {
      parts.push(h('p', { id: 'contact-cooling', class: 'warning' }, `${label(CHANNEL, pending.channel)} 将更换为 `
        + `${pending.newValueMasked}，于北京时间 ${at(pending.effectiveAt)} 生效；此前找回密码仍发往原联系方式。 / `
        + `Changes to ${pending.newValueMasked} at ${at(pending.effectiveAt)} (Beijing time); until then recovery `
        + 'still goes to the old contact.'), h('p', {}, cancel));
    } else {
      const form = h('form', { id: 'contact-confirm', class: 'action' }, h('h4', {}, '输入验证码 / Enter the code'),
        h('p', { class: 'meta' }, `验证码已发往 ${pending.newValueMasked}，请于 ${at(pending.codeExpiresAt)} 前输入。 / `
          + `A code was sent to ${pending.newValueMasked}; enter it before ${at(pending.codeExpiresAt)}.`),
        field('code', '验证码 / code', h('input', { name: 'code', inputmode: 'numeric', maxlength: 6,
          autocomplete: 'one-time-code' })),
        h('button', { type: 'submit' }, '确认 / Confirm'));
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        act(form.querySelector('button'), () => api('POST', `${IDENTITY}/me/contact/confirm`,
          { code: form.elements.code.value.trim() || null }),
        reload('已确认；冷静期满后生效 / confirmed; it takes effect after the cooling-off'), form);
      });
      parts.push(h('div', { class: 'actions' }, form), h('p', {}, cancel));
    }
  }
  parts.push(h('div', { class: 'actions' }, contactForm()),
    h('p', { class: 'meta' }, '为防止他人在获知密码后夺取账户，新联系方式经验证后须经过冷静期才生效，原联系方式会收到提醒并可撤销。'
      + '原手机号已停用且无法登录时，请携身份证件到服务窗口办理。 / So that a known password cannot take the account over, '
      + 'a new contact takes effect only after a cooling-off; the old one is told and can cancel. If you lost the old '
      + 'number and cannot sign in, go to a service counter with your ID.'));
  return h('section', { id: 'contact' }, parts);
}

function contactForm() {
  const form = h('form', { id: 'contact-form', class: 'action' }, h('h4', {}, '更换 / Change'),
    field('currentPassword', '当前密码 / current password', h('input', { name: 'currentPassword', type: 'password',
      autocomplete: 'current-password', maxlength: 128 })),
    field('phone', '新手机号 / new phone number', h('input', { name: 'phone', type: 'tel', maxlength: 21,
      autocomplete: 'tel' })),
    field('email', '或新电子邮箱 / or new e-mail', h('input', { name: 'email', type: 'email', maxlength: 200,
      autocomplete: 'email' })),
    h('button', { type: 'submit' }, '发送验证码 / Send code'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (name) => form.elements[name].value.trim() || null;
    act(form.querySelector('button'), () => api('PUT', `${IDENTITY}/me/contact`,
      { currentPassword: form.elements.currentPassword.value || null, phone: v('phone'), email: v('email') }),
    reload('验证码已发往新联系方式 / a code was sent to the new contact'), form);
  });
  return form;
}

// ------------------------------------------------------------------ sign-ins and security events (登录与安全记录)

// The holder's own words where they differ from the audit log's; every other type the service shows them (failed
// consents, delegations, an administrator's unlock, disable, enable or level change) in the audit log's words.
const EVENT = { ...AUDIT_TYPE, LOGIN: '登录 / sign-in', LOGIN_LOCKOUT: '登录锁定 / locked', LOGOUT: '退出 / sign-out',
  SIGNED_OUT_ELSEWHERE: '退出其他登录 / signed out elsewhere', PASSWORD_CHANGED: '修改密码 / password changed',
  PASSWORD_RESET: '重置密码 / password reset', TOTP_ENROLLED: '开通动态口令 / two-step on',
  TOTP_REMOVED: '关闭动态口令 / two-step off', TOTP_RESET: '管理员重置动态口令 / two-step reset',
  CONSENT_WITHDRAWN: '撤回授权 / consent withdrawn', CONTACT_CHANGE_REQUESTED: '申请更换联系方式 / contact change asked',
  CONTACT_CHANGE_CONFIRMED: '确认更换联系方式 / contact change confirmed',
  CONTACT_CHANGE_CANCELLED: '撤销更换联系方式 / contact change cancelled', CONTACT_CHANGED: '联系方式已更换 / contact changed',
  COUNTER_VERIFICATION: '柜台核验 / counter verification', RECOVERY_REQUESTED: '找回密码 / recovery',
  CONSENT_APPLICATION_SIGNED_OUT: '退出政府部门应用 / signed out of an application',
  DATA_EXPORTED: '下载个人信息副本 / copy of data downloaded',
  ACCOUNT_CLOSURE_REQUESTED: '申请注销账户 / closure requested',
  ACCOUNT_CLOSURE_CANCELLED: '撤销注销 / closure cancelled' };

/**
 * 登录设备与安全记录: the sign-ins that are live (where from — the network only —, which browser, which applications),
 * each of which can be ended, or all but this one; and the account's security events of the last 90 days.
 */
function sessionsPart(sessions, events, consents) {
  const parts = [h('h3', {}, '登录设备与安全记录 / Sign-ins and security events')];
  if (state.me.actor) {
    parts.push(h('p', { id: 'sessions-agent', class: 'meta' }, '经办人代企业办理时不能查看企业的登录记录。 / Acting for an '
      + 'enterprise you cannot see its sign-ins.'));
    return h('section', { id: 'sessions' }, parts);
  }
  if (sessions instanceof ApiError) {
    parts.push(refusal(sessions));
  } else {
    const others = sessions.filter((s) => !s.current).length;
    const all = h('button', { type: 'button', id: 'end-other-sessions', disabled: others === 0,
      onclick: () => act(all, () => api('DELETE', `${IDENTITY}/me/sessions`),
        reload((r) => `已退出其他 ${r.sessionsEnded} 处登录 / ${r.sessionsEnded} other sign-ins ended`)) },
    '退出其他所有登录 / Sign out everywhere else');
    parts.push(table(['登录时间 / signed in', '应用 / applications', '网络 / network', '浏览器 / browser', '等级 / level', ''],
      sessions.map((s) => [at(s.startedAt), s.clients.map((c) => c.name).join('、'), s.ipMasked || '',
        s.userAgent || '', `L${s.level}`, s.current ? h('span', { class: 'current-session' }, '本次登录 / this one')
          : endButton(s)])), h('p', {}, all));
  }
  // An event names its application (clientName); one no longer registered has none, so the sign-ins and the
  // applications that received the data are asked too.
  const names = new Map([...(sessions instanceof ApiError ? [] : sessions.flatMap((s) => s.clients)),
    ...(consents instanceof ApiError || !consents ? [] : consents)].map((c) => [c.clientId, c.name || c.clientName]));
  if (events instanceof ApiError) {
    parts.push(refusal(events));
  } else {
    parts.push(h('h4', {}, '近 90 天的安全记录 / Security events, last 90 days'), events.length
      ? table(['时间 / at', '事件 / event', '结果 / outcome', '应用 / application', '网络 / network', '操作人 / by'],
        events.map((e) => [at(e.at), label(EVENT, e.type), e.outcome === 'SUCCESS' ? '成功 / success' : '失败 / failed',
          applicationNamed(e.clientId, e.clientName, names), e.ipMasked || '', e.byHolder ? '本人 / you' : '他人或管理员 / someone else']))
      : h('p', { id: 'no-events' }, '无 / none'),
    h('p', { class: 'meta' }, '如有不是您本人的登录或操作，请立即修改密码并退出其他所有登录。 / If a sign-in or change was not '
      + 'you, change your password and sign out everywhere else at once.'));
  }
  return h('section', { id: 'sessions' }, parts);
}

/** An event's application by its name; one no longer registered nor listed by its client id, said so. */
function applicationNamed(clientId, clientName, names) {
  if (!clientId) return '';
  const name = clientName || names.get(clientId);
  return name ? h('span', { class: 'event-client', title: clientId }, name)
    : h('span', { class: 'event-client' }, '应用标识 / client id ', h('code', {}, clientId));
}

function endButton(s) {
  const b = h('button', { type: 'button', 'data-end-session': s.sid, onclick: () => act(b,
    () => api('DELETE', `${IDENTITY}/me/sessions/${encodeURIComponent(s.sid)}`),
    reload('已退出该登录 / that sign-in has ended')) }, '退出 / Sign out');
  return b;
}

// ------------------------------------------------------------------ consents (应用授权)

function consentsPart(all) {
  // Consents given on the consent page; government (first-party) applications are listed in their own part below.
  const consents = all instanceof ApiError ? all : all.filter((c) => !c.firstParty);
  const body = consents instanceof ApiError ? refusal(consents)
    : consents.length ? table(['应用 / application', '可获取的信息 / scope', '同意时间 / given at', ''],
      consents.map((c) => [application(c), scopeWords(c.scope), at(c.grantedAt), withdrawButton(c)]))
      : h('p', { id: 'no-consents' }, '您未向任何应用授权 / you have not allowed any application');
  return h('section', { id: 'consents' }, h('h3', {}, '我授权的应用 / Applications I allowed'),
    h('p', { class: 'meta' }, '撤回后，该应用须重新征得您的同意才能获取您的信息，已发给它的令牌随即失效。 / Once '
      + 'withdrawn, the application must ask you again; the tokens it holds for you stop working.'), body);
}

/**
 * 由政府部门应用获取 (无需同意): first-party applications receive the person's data without a consent page; the service
 * records each receipt, and the person sees which application got which information, and can sign out of it (its
 * tokens stop working; it stays listed, since it did receive the data). Nothing to show an agent: the list is the
 * enterprise's own, and the consents part already says why it is refused.
 */
function governmentAppsPart(all) {
  if (all instanceof ApiError) return null;
  const apps = all.filter((c) => c.firstParty);
  return h('section', { id: 'government-apps' }, h('h3', {}, '获取我信息的政府部门应用 / Government applications that '
    + 'received my data'),
  h('p', { class: 'meta' }, '政府部门自有应用登录时无需您同意即可获取下列信息；退出后，该应用持有的您的令牌随即失效，下次登录时'
    + '会再次获取。 / Government applications receive this information at sign-in without asking you; signing out of '
    + 'one ends the tokens it holds for you, and it receives it again at your next sign-in.'),
  apps.length ? table(['应用 / application', '获取的信息 / received', '方式 / how', '首次 / first', '最近 / latest', ''],
    apps.map((c) => [application(c), scopeWords(c.scope), c.label, at(c.grantedAt), at(c.lastReceivedAt), signOutButton(c)]))
    : h('p', { id: 'no-government-apps' }, '无 / none'));
}

/** This console's own client (quarkus.oidc.console.client-id): signing out of it is the page's own 退出登录. */
const CONSOLE_CLIENT = 'gateway';

function signOutButton(c) {
  if (!c.signedIn) return h('span', { class: 'meta' }, '已退出 / signed out');
  if (c.clientId === CONSOLE_CLIENT) return h('span', { class: 'meta' }, '本控制台 / this console');
  const name = c.clientName || c.clientId;
  const b = h('button', { type: 'button', 'data-sign-out': c.clientId, onclick: () => act(b,
    () => api('DELETE', `${IDENTITY}/me/consents/${encodeURIComponent(c.clientId)}`),
    reload(`已退出「${name}」 / signed out of ${name}`)) }, '退出该应用 / Sign out of it');
  return b;
}

/** Whom the person allowed: the application's name, its department (if it has one), its client id in small. */
function application(c) {
  return h('span', { class: 'application' }, h('strong', { class: 'client-name' }, c.clientName || c.clientId),
    c.departmentName ? h('span', { class: 'client-department', title: c.departmentCode || '' },
      ` · ${c.departmentName}`) : null,
    h('small', { class: 'client-id' }, ` (${c.clientId})`));
}

function withdrawButton(c) {
  const name = c.clientName || c.clientId;
  const b = h('button', { type: 'button', 'data-withdraw': c.clientId, onclick: () => confirmFirst(b,
    `确定撤回对「${name}」的授权？它持有的您的令牌随即失效，再次使用须重新同意。 / Withdraw your consent to ${name}? The tokens `
      + 'it holds for you stop working at once; it must ask you again.', () => act(b,
      () => api('DELETE', `${IDENTITY}/me/consents/${encodeURIComponent(c.clientId)}`),
      reload(`已撤回对「${name}」的授权 / consent withdrawn: ${name}`))) }, '撤回 / Withdraw');
  return b;
}

// ------------------------------------------------------------------ two-step verification (动态口令)

function totpPart(me, issued) {
  // the page again with the new secret, pending until confirmed below it
  const secretShown = (result) => thenShow(() => accountView(result), '新密钥已生成，请用验证器显示的动态口令确认 / a new '
    + 'secret is issued: confirm it with the code your app shows')(result);
  // A secret issued earlier (the page that showed it is gone) that the service says can still be confirmed.
  const waiting = !issued && me.totpPending && me.totpPending.pending ? me.totpPending : null;
  const parts = [h('h3', {}, '动态口令 / Two-step verification')];
  if (state.me.actor) {
    // The service refuses an agent's login: the second factor is the enterprise's own.
    parts.push(h('p', { id: 'totp-agent', class: 'meta' }, '经办人代企业办理时不能开通、更换或关闭企业的动态口令；管理本人的'
      + '动态口令请以本人身份登录。 / Acting for an enterprise you cannot turn on, replace or turn off its two-step '
      + 'verification; sign in as yourself to manage yours.'));
    return h('section', { id: 'totp' }, parts);
  }
  if (issued) parts.push(newSecret(me, issued));
  else if (waiting) parts.push(waitingSecret(me, waiting));
  if (!me.totp) {
    // Starting again issues another secret; the one waiting is discarded.
    const enrol = h('button', { type: 'button', id: 'enrol-totp', onclick: () => act(enrol,
      () => api('POST', `${IDENTITY}/me/totp`), secretShown) },
    issued ? '换一个新密钥 / Issue another secret' : waiting ? '重新开始 / Start again' : '开通动态口令 / Turn on');
    parts.push(h('p', { class: 'meta' }, '开通后，登录时除密码外还须输入身份验证器（如手机上的验证器应用）显示的 6 位动态'
      + '口令；实名 L4 的账户须用它才能以 L4 登录。 / Once on, logging in also asks for the 6-digit code your '
      + 'authenticator app shows; L4 accounts need it to log in at L4.'), h('p', {}, enrol));
  } else {
    // With a replacement waiting, replacing again is starting again: another new secret, the waiting one discarded.
    const [title, hint, button] = waiting ? ['重新开始 / Start again', '输入当前动态口令，获得另一个新密钥；待确认的新'
      + '密钥随之作废。 / Enter a current code to get another new secret; the one waiting is discarded.',
    '重新开始 / Start again'] : ['更换 / Replace', '更换手机或密钥外泄时：输入当前动态口令，获得新密钥；新密钥经确认后，'
      + '旧密钥随即失效。 / New phone or a leaked secret: enter a current code to get a new secret; once you confirm '
      + 'it, the old one stops working.', '更换密钥 / Replace'];
    const replace = currentCodeForm('totp-replace', title, hint, button,
      (body) => api('PUT', `${IDENTITY}/me/totp`, body), secretShown);
    // 关闭两步验证: the active secret (and a replacement not yet confirmed) is removed once a current code proves it.
    const off = currentCodeForm('totp-remove', '关闭两步验证 / Turn off', '关闭后，登录时只须输入密码；实名 L4 的账户'
      + '在重新开通前只能以 L3 登录。 / Once off, logging in asks for the password alone; an L4 account logs in at L3 '
      + 'until it turns it on again.', '关闭两步验证 / Turn off',
    (body) => api('DELETE', `${IDENTITY}/me/totp`, body), reload(`两步验证已关闭；${OTHERS_ENDED[0]} / two-step verification is off; ${OTHERS_ENDED[1]}`));
    parts.push(h('p', { id: 'totp-on' }, '已开通：登录时须输入动态口令。 / On: logging in asks for a code.'),
      h('div', { class: 'actions' }, replace, off),
      h('p', { class: 'meta' }, '遗失设备无法提供动态口令时，请携身份证件联系管理员重置。 / Lost the device? An '
        + 'administrator can reset it after checking who you are.'));
  }
  return h('section', { id: 'totp' }, parts);
}

/** A form asking for a current code of the active factor: sends it, and goes on once the service accepts it. */
function currentCodeForm(id, title, hint, button, send, done) {
  const form = h('form', { id, class: 'action' }, h('h4', {}, title), h('p', { class: 'meta' }, hint),
    field('code', '当前动态口令 / current code', h('input', { name: 'code', inputmode: 'numeric', maxlength: 6,
      autocomplete: 'one-time-code' })),
    h('button', { type: 'submit' }, button));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(form.querySelector('button'), () => send({ code: form.elements.code.value.trim() || null }), done, form);
  });
  return form;
}

/**
 * A secret just issued, pending: as an authenticator app takes it (typed in, in groups of four, or as the service's
 * otpauth URI), shown once, with the form that confirms it with a code from the app. Only the confirmation switches
 * it on (or replaces the active factor); leaving the page changes nothing.
 */
function newSecret(me, issued) {
  const replacing = me.totp;
  return h('div', { id: 'totp-setup', class: 'secret' },
    h('p', { class: 'warning' }, replacing
      ? '新密钥尚未生效，仅此一次显示：请将它添加到身份验证器，再输入验证器显示的动态口令确认；确认前旧密钥照常使用。 / The '
        + 'new secret is not active yet and is shown only now: add it to your authenticator app and confirm with the '
        + 'code it shows; until then the old one keeps working.'
      : '密钥尚未生效，仅此一次显示：请将它添加到身份验证器，再输入验证器显示的动态口令确认；确认后登录才须输入动态口令。 / The '
        + 'secret is not active yet and is shown only now: add it to your authenticator app and confirm with the code '
        + 'it shows; only then does logging in ask for a code.'),
    h('dl', {}, h('dt', {}, '密钥（手动输入，基于时间） / secret (enter manually, time-based)'),
      h('dd', {}, h('code', { id: 'totp-secret' }, issued.secret),
        h('small', { class: 'grouped' }, issued.secret.match(/.{1,4}/g).join(' '))),
      h('dt', {}, '链接（支持 otpauth 的应用） / URI (apps that take otpauth links)'),
      h('dd', {}, h('code', { id: 'totp-uri' }, issued.otpauthUri))),
    confirmBy(issued.expiresAt), h('div', { class: 'actions' }, confirmForm(replacing)));
}

/**
 * A secret issued earlier and not confirmed yet, after the page that showed it is gone: the service never shows it
 * again, only until when it can be confirmed. The holder confirms it with a code from the app it was added to, or
 * starts again (the button or form below: another secret, this one discarded).
 */
function waitingSecret(me, waiting) {
  const replacing = me.totp;
  return h('div', { id: 'totp-pending', class: 'secret' },
    h('p', { class: 'warning' }, replacing
      ? '有一个更换用的新密钥尚未确认，不再显示；确认前旧密钥照常使用。如已将它添加到身份验证器，请输入验证器显示的动态口令确认；'
        + '否则请在下方输入当前动态口令重新开始。 / A new secret to replace yours is waiting for confirmation and is not '
        + 'shown again; until then the old one keeps working. If you added it to your authenticator app, confirm with '
        + 'the code the app shows; otherwise start again below with a current code.'
      : '有一个新密钥尚未确认，不再显示。如已将它添加到身份验证器，请输入验证器显示的动态口令确认；否则请重新开始。 / A new '
        + 'secret is waiting for confirmation and is not shown again. If you added it to your authenticator app, '
        + 'confirm with the code the app shows; otherwise start again.'),
    confirmBy(waiting.expiresAt), h('div', { class: 'actions' }, confirmForm(replacing)));
}

/** Until when the service keeps a new secret: not confirmed by then (or after too many wrong codes), start again. */
function confirmBy(expiresAt) {
  return expiresAt ? h('p', { id: 'totp-expires', class: 'meta' }, '请在北京时间 ',
    h('time', { datetime: expiresAt }, at(expiresAt)), ' 前确认，过期须重新开通或更换。 / Confirm it before then '
    + '(Beijing time); after that, start again.') : null;
}

/** Confirms the new secret with a code the app shows: it becomes the factor (replacing the active one, if any). */
function confirmForm(replacing) {
  const form = h('form', { id: 'totp-confirm', class: 'action' }, h('h4', {}, '确认 / Confirm'),
    field('code', '验证器显示的动态口令 / the code your app shows', h('input', { name: 'code', inputmode: 'numeric',
      maxlength: 6, autocomplete: 'one-time-code' })),
    h('button', { type: 'submit' }, replacing ? '确认并更换 / Confirm and replace' : '确认并开通 / Confirm and turn on'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(form.querySelector('button'), () => api('POST', `${IDENTITY}/me/totp/confirm`,
      { code: form.elements.code.value.trim() || null }),
    // identity-service ends the account's other sign-ins on each change of the factor, as on a password change.
    reload(replacing ? `密钥已更换，旧密钥已失效；${OTHERS_ENDED[0]} / secret replaced; the old one no longer works; ${OTHERS_ENDED[1]}`
      : `动态口令已开通；${OTHERS_ENDED[0]} / two-step verification is on; ${OTHERS_ENDED[1]}`), form);
  });
  return form;
}

// ------------------------------------------------------------------ agent authorisations (经办人授权)

function delegationsPart(me, delegations, limits) {
  const parts = [h('h3', {}, '经办人授权 / Agent authorisations')];
  if (delegations instanceof ApiError) return h('section', { id: 'delegations' }, parts, refusal(delegations));
  // An invitation naming the caller is not bound to their account before they answer it: the service says whose side
  // the caller is on.
  const received = delegations.filter((d) => d.callerRole === 'AGENT');
  const given = delegations.filter((d) => d.callerRole !== 'AGENT');
  if (me.type === 'legal_person') {
    parts.push(h('div', { class: 'actions' }, delegationForm(null, limits)));
  } else {
    // Only an enterprise's legal representative may authorise for it; the service checks the credit code given.
    parts.push(h('details', { id: 'as-representative' }, h('summary', {},
      '我是企业法定代表人，为企业授权经办人 / I am an enterprise\'s legal representative'),
    h('div', { class: 'actions' }, delegationForm(true, limits))));
  }
  if (me.type === 'legal_person' || given.length) {
    parts.push(h('h4', {}, `本企业授权的经办人 / Agents authorised (${given.length})`),
      // A legal representative may act for several enterprises: their authorisations (given by the representative
      // or by the enterprise's own login) name the enterprise.
      given.length ? delegationTable(given, false, me.type !== 'legal_person')
        : h('p', { id: 'no-agents' }, '无 / none'));
  }
  if (me.type === 'natural_person') {
    parts.push(h('h4', {}, `授权我办理的企业 / Enterprises I act for (${received.length})`),
      received.length ? delegationTable(received, true) : h('p', { id: 'no-received' }, '无 / none'));
  }
  return h('section', { id: 'delegations' }, parts);
}

/**
 * The longest period of an authorisation and its last day for one first day (yyyy-MM-dd; default today), as
 * identity-service applies them (GET /settings, its own rule); null when it does not answer: the form then has no
 * limit of its own and the service's refusal says it.
 */
async function delegationLimits(validFrom) {
  const query = validFrom ? `?delegationValidFrom=${encodeURIComponent(validFrom)}` : '';
  try {
    return await api('GET', `${IDENTITY}/settings${query}`, undefined, undefined, Boolean(validFrom));
  } catch (e) {
    if (e instanceof Superseded) throw e; // the user has left the section: stop, draw nothing
    return null; // refused or unreachable: no limit of the form's own
  }
}

/** An ISO 8601 period (P1Y, P6M, P1Y6M, P90D) in words, [zh, en]; one the words do not cover as it is. */
function periodWords(period) {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(period || '');
  const units = m ? [[m[1], '年', 'year'], [m[2], '个月', 'month'], [m[3], '周', 'week'], [m[4], '天', 'day']]
    .filter(([n]) => n) : [];
  if (!units.length) return [period, period];
  return [units.map(([n, zh]) => `${n} ${zh}`).join(' '),
    units.map(([n, , en]) => `${n} ${en}${n === '1' ? '' : 's'}`).join(' ')];
}

/** The limit of the period in words, for the date field's hint. */
function limitText(limits) {
  if (!limits) return '授权期限以身份认证服务的规定为准 / the identity service checks the longest period';
  const [zh, en] = periodWords(limits.delegationMaxPeriod);
  return `授权期限最长 ${zh}：自 ${limits.delegationValidFrom} 起，截止日期最晚为 ${limits.delegationLastDay}（含当日） / `
    + `at most ${en}: from ${limits.delegationValidFrom}, until ${limits.delegationLastDay} inclusive at the latest`;
}

/**
 * 授权经办人: the agent is named by ID number and name; the answer is the same whether or not they have an account (an
 * invitation they accept after signing in). The ID number is sent once and shown only masked (the inputs are emptied
 * after success). The last day offered is the one identity-service allows (limits: delegationLimits' answer), read
 * again when the first day changes.
 */
function delegationForm(representative, limits) {
  const inAYear = beijingTime(new Date(Date.now() + 365 * 86400000).toISOString(), 'day');
  const lastDay = limits && limits.delegationLastDay;
  const validFrom = h('input', { name: 'validFrom', type: 'date', value: today() });
  const validTo = h('input', { name: 'validTo', type: 'date', value: lastDay || inAYear, max: lastDay });
  const limit = h('span', { id: 'delegation-limit' }, limitText(limits));
  validFrom.addEventListener('change', async () => {
    const from = validFrom.value;
    const next = from ? await delegationLimits(from) : limits;
    if (validFrom.value !== from) return; // changed again meanwhile: that answer counts
    if (next && next.delegationLastDay) validTo.max = next.delegationLastDay;
    else validTo.removeAttribute('max');
    limit.textContent = limitText(next);
  });
  const form = h('form', { id: 'delegation-form', class: 'action wide' }, h('h4', {}, '授权经办人 / Authorise an agent'),
    representative ? field('enterpriseUscc', '企业统一社会信用代码 / the enterprise\'s credit code',
      h('input', { name: 'enterpriseUscc', maxlength: 18 })) : null,
    field('agentIdNumber', '经办人公民身份号码 / the agent\'s ID number', h('input', { name: 'agentIdNumber',
      maxlength: 18, autocomplete: 'off', spellcheck: 'false' })),
    field('agentName', '经办人姓名 / the agent\'s name', h('input', { name: 'agentName', maxlength: 200,
      autocomplete: 'off' }), '与身份证件一致；经办人登录后确认 / as on their ID card; they accept after signing in'),
    field('clientIds', '可办理的服务（应用标识，逗号分隔；留空为全部） / services (client ids; empty = all)',
      h('input', { name: 'clientIds' })),
    field('validFrom', '起始日期 / from', validFrom),
    field('validTo', '截止日期（含当日） / to (inclusive)', validTo, limit),
    h('button', { type: 'submit' }, '授权 / Authorise'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (name) => (form.elements[name] ? form.elements[name].value.trim() : '') || null;
    // Dates are Beijing days: from the start of the first to the end of the last.
    const body = {
      enterpriseUscc: v('enterpriseUscc'), agentIdNumber: v('agentIdNumber'), agentName: v('agentName'),
      clientIds: (v('clientIds') || '').split(/[,，\s]+/).filter(Boolean),
      validFrom: v('validFrom') && `${v('validFrom')}T00:00:00+08:00`,
      validTo: v('validTo') && `${v('validTo')}T23:59:59+08:00`,
    };
    act(form.querySelector('button'), () => api('POST', `${IDENTITY}/delegations`, body), (d) => {
      form.elements.agentIdNumber.value = '';
      form.elements.agentName.value = '';
      return reload(`已向 ${d.agentName}（${d.agentIdNumberMasked}）发出授权，待其确认 / `
        + `${d.agentName} invited; waiting for them to accept`)();
    }, form);
  });
  return form;
}

function delegationTable(list, asAgent, namingEnterprise) {
  const columns = [
    (asAgent || namingEnterprise) && ['企业 / enterprise', (d) => `${d.enterpriseName}（${d.enterpriseUscc}）`],
    !asAgent && ['经办人 / agent', (d) => `${d.agentName}（${d.agentIdNumberMasked}）`],
    ['可办理的服务 / services', (d) => ((d.clientIds || []).length ? d.clientIds.join('、') : '全部 / all')],
    ['期限 / period', (d) => `${beijingTime(d.validFrom)} — ${beijingTime(d.validTo)}`],
    ['状态 / status', (d) => h('span', { class: 'delegation-status', 'data-status': d.status },
      label(DELEGATION_STATUS, d.status),
      d.status === 'ACTIVE' && new Date(d.validTo) < new Date() ? ' · 已过期 / past its end' : '',
      d.acceptedAt ? ` · 确认于 / accepted ${at(d.acceptedAt)}` : '',
      d.revokedAt ? ` · 撤销于 / revoked ${at(d.revokedAt)}` : '')],
    ['', (d) => h('span', { class: 'decide', 'data-delegation': d.id }, delegationActions(d, asAgent))],
  ].filter(Boolean);
  return table(columns.map(([title]) => title), list.map((d) => columns.map(([, cell]) => cell(d))));
}

/**
 * What the caller's side may do: the agent accepts or declines a pending one; either side revokes one in force (the
 * enterprise's side: its own login or its legal representative, whoever of them gave it).
 */
function delegationActions(d, asAgent) {
  const call = (verb, text, done, ask) => {
    const run = () => act(b, () => api('POST', `${IDENTITY}/delegations/${encodeURIComponent(d.id)}/${verb}`),
      reload(done));
    const b = h('button', { type: 'button', 'data-action': verb, onclick: () => (ask ? confirmFirst(b, ask, run)
      : run()) }, text);
    return b;
  };
  const name = asAgent ? d.enterpriseName : d.agentName;
  if (asAgent && d.status === 'PENDING') {
    return [call('accept', '接受 / accept', `已接受 ${name} 的授权 / accepted`),
      call('decline', '拒绝 / decline', `已拒绝 ${name} 的授权 / declined`)];
  }
  // One who created it for an enterprise they no longer represent sees it, but may not revoke it.
  if ((d.status === 'PENDING' || d.status === 'ACTIVE') && d.callerRole !== 'CREATOR') {
    // a revoked authorisation is not restored: a new one needs a new invitation (and its acceptance)
    return call('revoke', asAgent ? '不再代办 / give up' : '撤销 / revoke', `已撤销 / revoked: ${name}`,
      `确定撤销与「${name}」的经办授权？撤销后不能恢复，须重新授权。 / Revoke the authorisation with ${name}? This cannot be `
        + 'undone: it takes a new authorisation.');
  }
  return null;
}

// ------------------------------------------------------------------ my data: a copy and closing the account

/**
 * 个人信息副本 and 注销账户 (PIPL Art. 45, 47): a download of what the identity service holds about the person, and
 * closing their personal account after a cooling-off. Both are the holder's own: an agent acting for an enterprise
 * sees why not, as elsewhere on this page.
 */
function myDataPart(me) {
  const parts = [h('h3', {}, '我的个人信息 / My personal data')];
  if (state.me.actor) {
    parts.push(h('p', { id: 'my-data-agent', class: 'meta' }, '经办人代企业办理时不能下载企业的信息副本或注销企业账户。 / '
      + 'Acting for an enterprise you cannot download its data or close its account.'));
    return h('section', { id: 'my-data' }, parts);
  }
  const download = h('button', { type: 'button', id: 'export-data', onclick: () => act(download,
    () => api('GET', `${IDENTITY}/me/export`), (copy) => {
      const url = URL.createObjectURL(new Blob([JSON.stringify(copy, null, 2)], { type: 'application/json' }));
      const link = h('a', { href: url, download: 'onenet-identity-export.json', id: 'export-download' },
        '保存文件 / save the file');
      download.after(' ', link);
      link.click();
      notify('个人信息副本已生成 / your copy is ready', 'ok');
    }) }, '下载我的个人信息副本 / Download a copy of my data');
  parts.push(h('p', { class: 'meta' }, '包括账户资料、完整的联系方式、实名等级记录、获取过您信息的应用、经办授权、登录记录和安全记录；'
    + '不含密码、动态口令密钥和令牌。 / Your profile, full contacts, real-name level history, the applications that '
    + 'received your data, agent authorisations, sign-ins and security events; no passwords, second-factor secrets or '
    + 'tokens.'), h('p', {}, download));
  if (me.type === 'natural_person') parts.push(closeForm());
  return h('section', { id: 'my-data' }, parts);
}

/**
 * 注销账户: the password, and a confirmation ticked. The service keeps the rules (the sign-in's level, a legal
 * representative first hands over, the cooling-off); on success every sign-in has ended, this one too, so the page
 * says what happens next instead of reloading.
 */
function closeForm() {
  const form = h('form', { id: 'close-account', class: 'action' }, h('h4', {}, '注销账户 / Close my account'),
    h('p', { class: 'warning' }, '注销后，您的个人信息将被删除，已授权的应用和经办授权将终止，无法恢复。提交后有 15 天冷静期：'
      + '期间重新登录，或使用发往您手机/邮箱的撤销码，即可撤销。 / Once closed, your personal data is deleted and the '
      + 'applications and agent authorisations you gave end, for good. A 15-day cooling-off follows: signing in again, '
      + 'or the cancel token sent to your phone or e-mail, cancels it.'),
    field('password', '当前密码 / current password', h('input', { name: 'password', type: 'password',
      autocomplete: 'current-password', maxlength: 128 })),
    h('label', {}, h('input', { type: 'checkbox', name: 'understood' }),
      ' 我已了解注销的后果 / I understand what closing means'),
    h('button', { type: 'submit' }, '申请注销 / Close my account'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!form.elements.understood.checked) {
      notify('请先确认已了解注销的后果 / tick that you understand what closing means', 'error');
      return;
    }
    act(form.querySelector('button'), () => api('DELETE', `${IDENTITY}/me`,
      { password: form.elements.password.value || null }), (closure) => {
      show(h('h2', {}, '注销申请已受理 / Closure requested'),
        h('section', { id: 'closure-requested', class: 'notice' },
          h('p', {}, `您的账户将于北京时间 ${at(closure.effectiveAt)} 注销。您已在所有设备上退出登录；在此之前重新登录即可撤销`
            + '注销。'),
          h('p', { lang: 'en' }, `Your account will be closed at ${at(closure.effectiveAt)} (Beijing time). You are `
            + 'signed out everywhere; signing in again before then cancels the closure.'),
          h('p', { class: 'links' }, h('a', { href: '/console', id: 'login-again' }, '重新登录并撤销 / Sign in and '
            + 'cancel'))));
      notify('注销申请已受理 / closure requested', 'ok');
    }, form);
  });
  return form;
}

// ------------------------------------------------------------------ my enterprises (登记企业)

const ENTERPRISE_STATUS = { ACTIVE: '正常 / active', DISABLED: '已停用 / disabled', CLOSED: '已注销 / closed' };

/**
 * 登记企业: a legal representative registers their enterprise with their own login at real-name level L3. The
 * service checks the code, name and status against the legal-person reference (法人库); a refusal is its answer as it
 * gave it (a code it does not name the caller for is one 403 whatever the reason).
 */
async function enterprisesView() {
  const mine = await loaded(() => api('GET', `${IDENTITY}/me/enterprises`));
  const level = /^urn:onenet:loa:(\d)$/.exec(state.me.acr || '');
  const form = h('form', { id: 'enterprise-form', class: 'action wide' },
    h('h4', {}, '登记企业 / Register an enterprise'),
    field('uscc', '统一社会信用代码 / unified social credit code', h('input', { name: 'uscc', maxlength: 18,
      autocomplete: 'off', spellcheck: 'false' })),
    field('name', '企业名称（与营业执照一致） / name (as on the business licence)', h('input', { name: 'name',
      maxlength: 200 })),
    field('englishName', '英文名称（可选） / English name (optional)', h('input', { name: 'englishName',
      maxlength: 200 })),
    h('button', { type: 'submit' }, '登记 / Register'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (name) => form.elements[name].value.trim() || null;
    act(form.querySelector('button'), () => api('POST', `${IDENTITY}/me/enterprises`,
      { uscc: v('uscc'), name: v('name'), englishName: v('englishName') }),
    thenShow(() => enterprisesView(), (e) => `已登记 / registered: ${e.name}（${e.uscc}）` + (e.delegationsEnded
      ? `；原有经办授权已终止 ${e.delegationsEnded} 项 / ${e.delegationsEnded} earlier authorisation(s) ended` : '')), form);
  });
  show(h('h2', {}, '登记企业 / Register an enterprise'),
    h('p', { class: 'meta' }, '企业的法定代表人可在此登记企业账户：须以实名等级L3或以上登录，统一社会信用代码、名称须与法人库'
      + '一致，且企业为存续状态。登记后可在“我的账户”中为企业授权经办人。 / The legal representative of an enterprise '
      + 'registers its account here: signed in at real-name level L3 or above, with the code and name the legal-person '
      + 'reference holds, for an enterprise in business. Then authorise agents under My account.'),
    level && Number(level[1]) < 3 ? h('p', { id: 'enterprise-level', class: 'refused' }, `本次登录为L${level[1]}，`
      + `登记企业须L3或以上。 / This sign-in is L${level[1]}; registering needs L3 or above.`) : null,
    h('div', { class: 'actions' }, form),
    h('h3', {}, '我的企业 / My enterprises'),
    mine instanceof ApiError ? refusal(mine) : mine.length ? h('div', { id: 'my-enterprises' },
      table(['统一社会信用代码 / code', '名称 / name', '英文名称 / English name', '状态 / status',
        '核验来源 / checked by', '登记时间 / since', '法人库变更 / reference change'], mine.map((e) => [e.uscc, e.name,
        e.englishName || '', label(ENTERPRISE_STATUS, e.status), e.levelSource || '', at(e.levelVerifiedAt),
        e.representativeChangeRecordedAt ? `${at(e.representativeChangeRecordedAt)} 法人库记载的法定代表人已变更 / the `
          + 'reference names another representative' : '']))) : h('p', { id: 'no-enterprises' }, '无 / none'));
}

// ------------------------------------------------------------------ the section

export const SELF_SECTIONS = [
  // Everyone's own account; agent authorisations only for citizens and enterprises (selfManaged).
  { hash: '#/account', text: '我的账户 / My account', when: () => true, render: () => accountView() },
  // A citizen's own login (not an agent acting for an enterprise) registers the enterprises they represent.
  { hash: '#/enterprises', text: '登记企业 / Register an enterprise',
    when: () => state.me.accountType === 'natural_person' && !state.me.actor, render: () => enterprisesView() },
];
