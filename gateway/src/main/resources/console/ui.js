// 一网通办 控制台: what every part of the console shares — building DOM from text nodes, calling the suite's APIs
// through the gateway with the session cookie, showing problem+json answers beside the fields they name.

export const CATALOG = '/api/catalog/v1';
export const EXCHANGE = '/api/exchange/v1';
export const IDENTITY = '/api/identity/v1';

/** What the page knows of its user and of the navigation in progress. */
export const state = {
  me: { roles: [] },
  // Incremented by every navigation: a section still loading when the user moves on must not overwrite the new one.
  routeSeq: 0,
  // A message to show once the next section has rendered (e.g. "saved" after moving to the saved entry).
  nextNotice: null,
};
export const has = (...roles) => roles.some((r) => state.me.roles.includes(r));
// 本级政务数据共享主管部门: only its reviewers take the catalogue's review decisions and the exchange's decisions on
// disputes, grants, extensions, complaints and incidents; other departments' reviewers read and follow.
export const competentReviewer = () => has('reviewer') && state.me.competentAuthority === true;

// ------------------------------------------------------------------ the sections a user may open

// The console's sections ({ hash, when }), registered once by console.js: a link elsewhere (a notice's subject) is
// offered only where it leads to a page of the user's, not to a refusal or back to the first section.
const sections = [];
export const registerSections = (list) => sections.push(...list);

/** The section an address belongs to: the longest hash it starts with, at a path boundary. */
export function sectionOf(href, list = sections) {
  const path = href.split('?')[0];
  return list.filter((s) => path === s.hash || path.startsWith(`${s.hash}/`))
    .reduce((best, s) => (!best || s.hash.length > best.hash.length ? s : best), null);
}

/** Whether the address leads to a section in the user's menu. */
export const opens = (href) => {
  const section = sectionOf(href);
  return Boolean(section && section.when());
};

// The longest a covert query is kept from the person concerned (隐蔽查询的最长不告知期限, ISO 8601 periods), in words.
export const COVERT_PERIOD = { P1M: '一个月 / 1 month', P3M: '三个月 / 3 months', P6M: '六个月 / 6 months',
  P1Y: '一年 / 1 year' };

// A catalogue entry's states (目录条目状态), in the catalogue's pages and the compliance report's findings.
export const ENTRY_STATES = {
  DRAFT: '草稿 / draft', SUBMITTED: '待审核 / submitted', RETURNED: '退回修改 / returned',
  APPROVED: '审核通过 / approved', PUBLISHED: '已发布 / published', CHANGE_PENDING: '变更中 / under change',
  DEREGISTER_PENDING: '注销待审 / deregistration pending', DEREGISTERED: '已注销 / deregistered',
};

export const label = (vocabulary, value) => (value == null ? '' : (vocabulary && vocabulary[value]) || value);

// How identity-service reached an account's real-name level (实名核验方式), as an administrator and the holder read it:
// every method the service records has words here (AdminChangeConsoleTest compares them with its sources).
export const LEVEL_METHOD = { 'format-check': '身份号码格式校验 / ID number format check',
  'population-register': '人口库比对 / checked against the population register',
  'in-person': '窗口现场核验 / verified in person', certificate: '数字证书 / digital certificate',
  employer: '所在单位核验 / verified by the employer', 'business-licence': '营业执照核验 / business licence checked',
  'legal-person-registry': '法人库比对 / checked against the legal-person reference' };

// What an application receives with each scope identity-service offers (its discovery's scopes_supported), in the
// consent page's words: a person reads which of their data went where, not the scope codes.
export const SCOPE_WORDS = { openid: '账户标识 / account identifier', profile: '姓名（企业为名称） / name',
  id_number: '公民身份号码 / citizen ID number', phone: '手机号 / mobile phone number', email: '电子邮箱 / e-mail address',
  offline_access: '登录期间持续访问 / continued access while signed in',
  catalog: '以您的身份访问政务数据目录 / the data catalogue in your name',
  exchange: '以您的身份访问数据共享交换 / the data exchange in your name' };

/**
 * A space-separated scope as a list of what it gives, each with its code as the title; a scope without words shows
 * its code, titled as such.
 */
export function scopeWords(scope) {
  const items = String(scope || '').split(/\s+/).filter(Boolean).map((s) => (SCOPE_WORDS[s]
    ? h('li', { title: s }, SCOPE_WORDS[s])
    : h('li', { title: '未知的授权范围 / scope without a description' }, h('code', {}, s))));
  return items.length ? h('ul', { class: 'scopes' }, items) : '';
}

// ------------------------------------------------------------------ DOM helpers

/** h('p', {class: 'x'}, 'text', child): an element with attributes and text or element children. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** The search's highlights: HTML-escaped text with <em> marks, rebuilt as nodes (never parsed as HTML). */
export function highlighted(text) {
  const out = [];
  const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  String(text || '').split(/(<em>.*?<\/em>)/).forEach((part) => {
    if (part.startsWith('<em>')) out.push(h('mark', {}, unescape(part.slice(4, -5))));
    else if (part) out.push(unescape(part));
  });
  return out;
}

export function table(headers, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c))))));
}

let ids = 0;
/** An id for an element that another names (aria-labelledby, aria-describedby). */
export const idFor = (el) => el.id || (el.id = `a11y-${(ids += 1)}`);

export function field(name, text, input, hint) {
  // One control is labelled by the caption; a group of checkboxes (each in its own label) is a named group instead,
  // since a label inside a label is not valid and is read twice.
  const single = input instanceof HTMLInputElement || input instanceof HTMLSelectElement
    || input instanceof HTMLTextAreaElement;
  const caption = h('span', {}, text);
  const note = hint ? h('small', {}, hint) : null;
  const error = h('em', { class: 'error' });
  const described = [note, error].filter(Boolean).map(idFor).join(' ');
  if (single) {
    // Named by the caption alone (the hint and the service's message, inside the label too, are its description).
    if (text && !input.hasAttribute('aria-label')) input.setAttribute('aria-labelledby', idFor(caption));
    input.setAttribute('aria-describedby', described);
  }
  return h(single ? 'label' : 'div', { class: 'field', 'data-field': name, role: single ? null : 'group',
    'aria-label': single || !text ? null : text, 'aria-describedby': single ? null : described }, caption, input,
  note, error);
}

export function select(name, vocabulary, value, blank) {
  return h('select', { name },
    blank ? h('option', { value: '' }, blank) : null,
    Object.entries(vocabulary).map(([k, v]) => h('option', { value: k, selected: k === value }, v)));
}

export function notify(text, kind) {
  const box = document.getElementById('notice');
  box.className = kind || 'info';
  // Errors interrupt a screen reader; everything else waits its turn.
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.setAttribute('aria-live', kind === 'error' ? 'assertive' : 'polite');
  box.dataset.seq = String(Number(box.dataset.seq || 0) + 1);
  fill(box, text);
}

/**
 * Replaces the element's children with these, lists flattened and null or false left out (the DOM's own
 * replaceChildren would write "null" as text).
 */
export function fill(el, ...nodes) {
  el.replaceChildren(...nodes.flat(Infinity).filter((x) => x != null && x !== false));
  return el;
}

export function show(...nodes) {
  const app = document.getElementById('app');
  fill(app, ...nodes);
  // Screen readers start at the new page's heading, which also names the browser tab.
  const heading = app.querySelector('h2');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
    document.title = `${heading.textContent} — 一网通办 控制台 / Console`;
  }
}

// ------------------------------------------------------------------ what assistive technology needs of every page

// The UI's bilingual words, "中文 / English": each English half read with an English voice (lang="en").
const ENGLISH = /(\s\/\s+)([A-Za-z0-9][^\u3400-\u9fff\u3000-\u303f\uff00-\uffef]*)/g;
const CJK = /[\u3400-\u9fff]/;
const WORDS = 'h1, h2, h3, h4, th, legend, dt, button, summary, label, .field > span, nav a, a.button, a.chip, '
  + '.state, .pager, #notice, #notice strong, #notice p, header p';

function markEnglish(el) {
  for (const node of [...el.childNodes]) {
    if (node.nodeType !== Node.TEXT_NODE || !CJK.test(node.nodeValue)) continue;
    const text = node.nodeValue;
    const parts = [];
    let last = 0;
    for (const m of text.matchAll(ENGLISH)) {
      if (!/[A-Za-z]{2}/.test(m[2]) || !CJK.test(text.slice(0, m.index))) continue;
      const start = m.index + m[1].length;
      parts.push(text.slice(last, start), h('span', { lang: 'en' }, m[2]));
      last = start + m[2].length;
    }
    if (parts.length) node.replaceWith(...parts, ...(last < text.length ? [text.slice(last)] : []));
  }
}

/** The nearest heading before a table (or the fieldset's legend): what the table lists. */
function headingBefore(el) {
  for (let e = el; e && e.id !== 'app'; e = e.parentElement) {
    for (let s = e.previousElementSibling; s; s = s.previousElementSibling) {
      if (s.matches('h2, h3, h4, legend')) return s;
      const inner = s.querySelectorAll('h2, h3, h4');
      if (inner.length) return inner[inner.length - 1];
    }
  }
  return document.querySelector('#app h2');
}

/**
 * Applied to everything the page draws (whenever it is drawn): a control known only by its placeholder (decisions in
 * table rows, search boxes) gets it as its name; a table is named by the heading above it and its column headers are
 * marked as such; English halves of the UI's words are marked as English.
 */
function accessible(root) {
  if (!(root instanceof Element)) return;
  const all = (selector) => [...(root.matches(selector) ? [root] : []), ...root.querySelectorAll(selector)];
  all('input[placeholder], textarea[placeholder]').forEach((el) => {
    if (!el.labels.length && !el.hasAttribute('aria-label') && !el.hasAttribute('aria-labelledby')) {
      el.setAttribute('aria-label', el.placeholder);
    }
  });
  all('table').forEach((t) => {
    t.querySelectorAll('thead th:not([scope])').forEach((th) => th.setAttribute('scope', 'col'));
    if (t.caption || t.hasAttribute('aria-label') || t.hasAttribute('aria-labelledby')) return;
    // a table drawn before its section is shown gets its name once it is in the page
    const heading = t.isConnected ? headingBefore(t) : null;
    if (heading) t.setAttribute('aria-labelledby', idFor(heading));
  });
  // a disclosure is a group named by its summary
  all('details:not([aria-labelledby])').forEach((d) => {
    const summary = d.querySelector(':scope > summary');
    if (summary) d.setAttribute('aria-labelledby', idFor(summary));
  });
  all(WORDS).forEach(markEnglish);
}

new MutationObserver((changes) => {
  for (const change of changes) {
    if (change.type === 'characterData') accessible(change.target.parentElement);
    else change.addedNodes.forEach((node) => {
      accessible(node.nodeType === Node.TEXT_NODE ? node.parentElement : node);
      // a form drawn may have a draft kept from before a new login
      if (node instanceof Element) [...(node.matches('form') ? [node] : []), ...node.querySelectorAll('form[id]')]
        .forEach(restoreDraft);
    });
  }
}).observe(document.body, { childList: true, subtree: true, characterData: true });
accessible(document.body);

// ------------------------------------------------------------------ API calls

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || 'HTTP ' + status);
    this.status = status;
    this.problem = problem || {};
  }
}

export class Superseded extends Error {}

/**
 * The call did not reach the service or its answer did not come back (offline, the gateway out of reach): said in
 * words, not as the browser's "TypeError: Failed to fetch". Whatever was sent may have been done all the same.
 */
export class Unreachable extends Error {
  constructor() {
    super('无法连接服务器，请检查网络后重试；刚才提交的内容可能已经办理，请刷新后查看。 / The server could not be reached: '
      + 'check the network and try again; what you just sent may have gone through, reload to see.');
  }
}

/** What the notice says of an error that is not the service's answer. */
export const failure = (e) => (e instanceof Unreachable ? e.message : `出错了 / something went wrong: ${e.message || e}`);

/** Calls an API; a GET issued for a section the user has left fails with Superseded (the caller just stops). */
export async function api(method, path, body, headers, shared) {
  return (await exchange(method, path, body, headers, shared)).data;
}

/** A GET of one page of a list: the items and the total the service counts (X-Total-Count), if it does. */
export async function apiPage(path) {
  const { data, response } = await exchange('GET', path);
  const total = response.headers.get('X-Total-Count');
  return { items: data || [], total: total == null ? null : Number(total) };
}

async function exchange(method, path, body, headers, shared) {
  const seq = state.routeSeq;
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...(headers || {}) } };
  if (body instanceof Blob) {
    // A file as it is (spreadsheet imports); its type names the format.
    init.headers['Content-Type'] = (headers && headers['Content-Type']) || body.type || 'application/octet-stream';
    init.body = body;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new Unreachable();
  }
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (method === 'GET' && !shared && seq !== state.routeSeq) throw new Superseded();
  // a call sent on to the login page (a redirect followed) is a session that has ended too
  const status = response.redirected && new URL(response.url).pathname.startsWith('/oidc/') ? 401 : response.status;
  if (status === 401) notify(sessionEnded(), 'error');
  if (status === 401 || !response.ok) throw new ApiError(status, status === 401 && response.ok ? null : data);
  return { data, response };
}

/**
 * The session ended (logout elsewhere, expiry): the login page rather than reloading in a loop. The link keeps the
 * section's address, so that signing in again leads back to it.
 */
function sessionEnded(kept) {
  // The address is the page's own but for its fragment: following it would only scroll. Loading it again sends the
  // browser through the login page and back to this section.
  return ['登录已失效 / your session has ended. ', kept ? '您填写的内容已暂存，重新登录后恢复。 / What you typed '
    + 'is kept and comes back once you have logged in again. ' : null, h('a', { href: '/console' + location.hash,
    id: 'log-in-again', onclick: (ev) => {
      ev.preventDefault();
      window.location.reload();
    } }, '重新登录 / log in again')];
}

/** A mistake the page finds before sending anything, shown as the service's are: beside the field, focused. */
export function mistake(form, name, message) {
  form.querySelectorAll('.field.invalid').forEach((f) => f.classList.remove('invalid'));
  form.querySelectorAll('.error').forEach((e) => { e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  const target = form.querySelector(`[data-field="${name}"]`);
  const control = target.querySelector('input');
  target.classList.add('invalid');
  target.querySelector('.error').textContent = message;
  control.setAttribute('aria-invalid', 'true');
  control.focus();
  notify(message, 'error');
}

/** Shows a problem+json answer: its detail, each field's message beside the field, and the request id. */
export function showProblem(error, form) {
  if (error.status === 401) {
    // what the service said matters less than the way back in (which a plain problem notice would replace); what the
    // user typed into the form is kept for after the login
    notify(sessionEnded(form ? saveDraft(form) : false), 'error');
    return;
  }
  const problem = error.problem || {};
  const errors = problem.errors || (problem.field ? [{ field: problem.field, message: problem.detail }] : []);
  if (form) {
    form.querySelectorAll('.field').forEach((f) => f.classList.remove('invalid'));
    form.querySelectorAll('.error').forEach((e) => { e.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  }
  const unplaced = [];
  for (const e of errors) {
    const name = e.field || e.name || '';
    const target = form && findField(form, name);
    if (target) {
      // Several messages may land on one field (e.g. each data item's on the items table).
      const slot = target.querySelector('.error');
      // a form may say which part of a field is meant in words (the code typed, not relatedResourceCodes[1])
      const part = form.fieldPart ? form.fieldPart(name) : null;
      const text = (target.dataset.field === name ? '' : part || name + ': ') + (e.message || e.detail || '');
      target.classList.add('invalid');
      slot.textContent = slot.textContent ? slot.textContent + '；' + text : text;
    } else {
      unplaced.push(h('li', {}, (name ? name + ': ' : '') + (e.message || e.detail || '')));
    }
  }
  if (form) {
    // The first field the service named gets the focus; each named field says it is invalid.
    const controls = [...form.querySelectorAll('[data-field].invalid')].map((f) => f.querySelector('input, select, textarea'))
      .filter(Boolean);
    controls.forEach((c) => {
      c.setAttribute('aria-invalid', 'true');
      const slot = idFor(c.closest('[data-field]').querySelector('.error'));
      const described = (c.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
      if (!described.includes(slot)) c.setAttribute('aria-describedby', [...described, slot].join(' '));
    });
    if (controls.length) controls[0].focus();
  }
  notify([h('strong', {}, 'HTTP ' + error.status + ' '), error.message,
    unplaced.length ? h('ul', {}, unplaced) : null,
    stale(problem) ? reloadLatest() : null,
    problem.requestId ? h('small', { class: 'request-id' }, ' 请求编号 / request id: ' + problem.requestId) : null],
  'error');
}

/** Someone else changed what the user was working on since the page read it (409 stale-version). */
const stale = (problem) => typeof problem.type === 'string' && problem.type.endsWith(':stale-version');

/**
 * The way on after a stale version: the form keeps what the user typed (to copy), and this reads the section again
 * with the latest version, which the user's change may then be made to.
 */
function reloadLatest() {
  return h('p', {}, '他人已修改此内容；您填写的内容仍在表单中，可先复制。 / Someone else changed this meanwhile; what you '
    + 'typed is still in the form (copy it first). ', h('button', { type: 'button', id: 'reload-latest', onclick: () => {
    // the router renders the section of the current address again (a hash change to the same address fires none)
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } }, '载入最新版本 / load the latest version'));
}

function findField(form, name) {
  for (let key = name; key; key = key.replace(/(\[\d+\])?\.[^.]*$|\[\d+\]$/, '')) {
    const el = form.querySelector(`[data-field="${CSS.escape(key)}"]`);
    if (el) return el;
    if (!/[.[]/.test(key)) break;
  }
  return null;
}

/** Runs an action from a form or button: disables it meanwhile, reports the outcome, then re-renders. */
export async function act(control, work, done, form) {
  // A disabled button loses the focus; a keyboard user gets it back unless the outcome moved it on.
  const focused = document.activeElement === control;
  const at = location.hash;
  const owner = form || control.form || null;
  control.disabled = true;
  try {
    const result = await work();
    // sent: a draft kept of this form (after a session that ended) has served
    if (owner) dropDraft(owner, at);
    if (done) await done(result);
  } catch (e) {
    if (e instanceof Superseded) return;
    if (e instanceof ApiError) showProblem(e, e.status === 401 ? owner : form);
    else notify(failure(e), 'error');
  } finally {
    // Done and moved on (to the new record, the list): the form stays disabled until the next section replaces it,
    // so that it cannot be sent a second time meanwhile.
    if (location.hash === at) control.disabled = false;
    const lost = !document.activeElement || document.activeElement === document.body;
    if (focused && lost && control.isConnected) control.focus();
  }
}

// ------------------------------------------------------------------ drafts kept over a new login

/*
 * A form sent after the session ended (expired, logged out in another tab) is refused with 401 and the user has to log
 * in again, which reloads the page. What they typed is kept meanwhile in the tab's sessionStorage, by the form's id and
 * the section's address, and put back when that form is drawn again for the same person. Secrets are never kept:
 * passwords, one-time and TOTP codes, client secrets, and fields marked data-no-draft.
 */
const DRAFT = 'console-draft:';
const SECRET_NAME = /password|secret|totp|token|credential/i;
const UNKEPT_TYPES = ['password', 'hidden', 'file', 'submit', 'button', 'reset', 'image'];

const draftKey = (form, at = location.hash) => `${DRAFT}${at || '#'}|${form.id}`;
// An agent (经办人) acting for an enterprise works as the enterprise but is another person than its other agents.
const draftOwner = () => [state.me.subject, state.me.actor && state.me.actor.subject].filter(Boolean).join('|');

function kept(el) {
  return el.name && !UNKEPT_TYPES.includes(el.type) && !el.readOnly && !SECRET_NAME.test(el.name)
    && !/one-time-code|password/.test(el.getAttribute('autocomplete') || '') && !el.closest('[data-no-draft]');
}

function storage() {
  try {
    return window.sessionStorage;
  } catch (e) {
    return null; // storage refused by the browser's settings: nothing is kept
  }
}

/** Keeps what the form holds (secrets left out); true if it was kept. */
function saveDraft(form) {
  const store = storage();
  if (!form.id || !store) return false;
  const fields = [...form.elements].filter(kept).map((el) => [el.name, el.type === 'checkbox' || el.type === 'radio'
    ? el.checked : el.type === 'select-multiple' ? [...el.selectedOptions].map((o) => o.value) : el.value]);
  try {
    store.setItem(draftKey(form), JSON.stringify({ owner: draftOwner(), fields }));
    return true;
  } catch (e) {
    return false; // storage full
  }
}

function dropDraft(form, at) {
  const store = storage();
  if (form.id && store) store.removeItem(draftKey(form, at));
}

/** Puts a kept draft back into a form just drawn, with a notice saying so and a way to discard it. */
function restoreDraft(form) {
  const store = storage();
  if (!form.id || !store || form.dataset.draftChecked) return;
  form.dataset.draftChecked = 'true';
  const key = draftKey(form);
  let draft = null;
  try {
    draft = JSON.parse(store.getItem(key));
  } catch (e) {
    // unreadable: dropped below
  }
  if (!draft || !Array.isArray(draft.fields) || draft.owner !== draftOwner()) {
    // another person's input is not shown to whoever logged in now
    store.removeItem(key);
    return;
  }
  const seen = {};
  for (const [name, value] of draft.fields) {
    const index = seen[name] = (seen[name] ?? -1) + 1;
    const named = () => [...form.elements].filter((el) => el.name === name && kept(el));
    // a form of rows (the entry's data items) grows to as many rows as were typed
    while (named().length <= index && form.addDraftRow && form.addDraftRow(name));
    const el = named()[index];
    if (!el) continue;
    if (el.type === 'checkbox' || el.type === 'radio') {
      if (el.checked === Boolean(value)) continue;
      el.checked = Boolean(value);
    } else if (el.type === 'select-multiple') {
      [...el.options].forEach((o) => { o.selected = Array.isArray(value) && value.includes(o.value); });
    } else {
      if (el.value === value) continue;
      el.value = value;
    }
    // what depends on the control (a part shown when a box is ticked) follows it
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
  const discard = h('button', { type: 'button', class: 'link', id: `${form.id}-discard-draft`, onclick: () => {
    store.removeItem(key);
    // the section drawn again shows the form as it was before the draft came back
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } }, '放弃恢复的内容 / discard it');
  const notice = h('p', { class: 'draft-restored', role: 'status' },
    '已恢复您登录前填写的内容，请核对后提交。 / What you typed before logging in again has been restored: check '
    + 'it, then send it. ', discard);
  const first = form.firstElementChild;
  if (first && first.matches('h2, h3, h4')) first.after(notice);
  else form.prepend(notice);
}

/** After a change: render the section again, then say what was done (the new page keeps the notice). */
export const thenShow = (render, text) => async (result) => {
  await render();
  notify(typeof text === 'function' ? text(result) : text, 'ok');
};

const departments = new Map();
/** A department's name from identity-service's registry (cached), falling back to its code. */
export async function departmentName(code) {
  if (!code) return '';
  if (!departments.has(code)) {
    departments.set(code, api('GET', `${IDENTITY}/departments/${encodeURIComponent(code)}`, undefined, undefined,
      true).then((d) => d.name).catch(() => {
      departments.delete(code); // asked again next time (the registry may have been unreachable)
      return code;
    }));
  }
  return departments.get(code);
}

const entries = new Map();
/**
 * The names a catalogue entry gives, by its resource code (GET /entries/by-code, cached): the entry's name and its
 * data items' names by code. null when the catalogue does not answer or does not show the entry to the user: the
 * page then shows the bare codes (asked again next time).
 */
export function entryNames(code) {
  if (!code) return Promise.resolve(null);
  if (!entries.has(code)) {
    entries.set(code, entryByCode(code, 2).then((e) => {
      const content = (e && (e.published || e.draft)) || {};
      return { name: (e && e.name) || content.name || null,
        items: new Map((content.items || []).map((i) => [i.code, i.name])) };
    }).catch(() => {
      entries.delete(code);
      return null;
    }));
  }
  return entries.get(code);
}

/**
 * GET /entries/by-code; a long list's many look-ups may pass the gateway's per-second budget: a 429 is asked again a
 * second later (at most retries times).
 */
async function entryByCode(code, retries) {
  try {
    return await api('GET', `${CATALOG}/entries/by-code?code=${encodeURIComponent(code)}`, undefined, undefined, true);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 429) || retries <= 0) throw e;
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
    return entryByCode(code, retries - 1);
  }
}

/** The names of the entries of these resource codes, each looked up once: a Map from code to entryNames' answer. */
export async function namesOf(codes) {
  const distinct = [...new Set(codes.filter(Boolean))];
  const found = await Promise.all(distinct.map(entryNames));
  return new Map(distinct.map((code, i) => [code, found[i]]));
}

/**
 * The names a request, grant or objection carries itself (its resourceName, and itemNames: code → name), in
 * entryNames' shape; null when it carries no resourceName (an exchange that does not name them yet).
 */
export function ownNames(view) {
  if (!view || !view.resourceName) return null;
  const items = view.itemNames && typeof view.itemNames === 'object' ? view.itemNames : null;
  return { name: view.resourceName, items: new Map(items ? Object.entries(items) : []), itemsNamed: items !== null };
}

/**
 * The names for one request, grant or objection page: its own where it carries them, the catalogue's look-up
 * (entryNames) only for what it lacks — all of them without a resourceName, the items' without itemNames.
 */
export async function viewNames(view) {
  const own = ownNames(view);
  if (own && (own.itemsNamed || !(view.items || []).length)) return own;
  const looked = await entryNames(view.resourceCode);
  if (!own) return looked;
  return { name: own.name, items: looked ? looked.items : own.items };
}

/**
 * The names for a list of requests, grants or objections (and further resource codes, e.g. a form's choices): a Map
 * from resource code to names, each view's own where it carries them, the catalogue asked only for the other codes.
 */
export async function viewsNames(views, codes = []) {
  const own = new Map();
  for (const view of views) {
    const names = ownNames(view);
    if (names && !own.has(view.resourceCode)) own.set(view.resourceCode, names);
  }
  const looked = await namesOf([...views.map((v) => v.resourceCode), ...codes].filter((c) => !own.has(c)));
  return new Map([...looked, ...own]);
}

/**
 * Complaints, incidents and correction requests carry the entry's name as it stood when filed (resourceName, a
 * correction's itemName); those filed before the exchange kept them carry null: these are named from the catalogue
 * (the entry's names today, by its code today), the others left as they are. Returns the views.
 */
export async function namedCases(views) {
  const bare = views.filter((v) => v && !v.resourceName);
  const codeOf = (v) => v.currentResourceCode || v.resourceCode;
  const names = await namesOf(bare.map(codeOf));
  for (const v of bare) {
    const found = names.get(codeOf(v));
    if (found) {
      v.resourceName = found.name;
      if (v.item && !v.itemName) v.itemName = found.items.get(v.item) || null;
    }
  }
  return views;
}

/** "name（code）" as people read a code (R: who decides sees what they decide on), the bare code without a name. */
export const named = (name, code) => (name && name !== code ? `${name}（${code}）` : code || name || '');
/** A resource by its entry's name and code; names: entryNames' answer (null: the code alone). */
export const resourceText = (names, code) => named(names && names.name, code);
/** Data items by their names and codes, 、-separated. */
export const itemsText = (names, codes) => (codes || []).map((code) => named(names && names.items.get(code), code))
  .join('、');

export function departmentCell(code) {
  const cell = h('span', { title: code || '' }, code || '');
  departmentName(code).then((name) => { cell.textContent = name; });
  return cell;
}

const regions = new Map();
/** A region's name from identity-service's registry (cached), falling back to its code. */
export function regionName(code) {
  if (!regions.has(code)) {
    regions.set(code, api('GET', `${IDENTITY}/regions/${encodeURIComponent(code)}`, undefined, undefined, true)
      .then((r) => r.name).catch(() => {
        regions.delete(code); // asked again next time (the registry may have been unreachable)
        return code;
      }));
  }
  return regions.get(code);
}

/** A region by its name beside its GB/T 2260 code, 浙江省（330000）; the code alone until (or unless) the registry answers. */
export function regionCell(code) {
  const cell = h('span', { class: 'region', title: code || '' }, code || '');
  if (code) regionName(code).then((name) => { cell.textContent = named(name, code); });
  return cell;
}

// The services answer in UTC; people read Beijing time (deadlines and working days are Beijing dates too).
const BEIJING = { day: { year: 'numeric', month: '2-digit', day: '2-digit' },
  minute: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' },
  second: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    second: '2-digit' } };
const beijingFormats = Object.fromEntries(Object.entries(BEIJING).map(([k, v]) => [k,
  new Intl.DateTimeFormat('sv-SE', { ...v, timeZone: 'Asia/Shanghai', hourCycle: 'h23' })]));

/** An instant (ISO 8601, e.g. 2026-12-05T01:30:00Z) as Beijing time: 2026-12-05 09:30 (precision day, minute, second). */
export function beijingTime(instant, precision = 'minute') {
  if (!instant) return '';
  const at = new Date(instant);
  return Number.isNaN(at.getTime()) ? String(instant) : beijingFormats[precision].format(at);
}

/**
 * A deadline; provisional when it falls after the last year the State Council's holiday notice covers (it may move
 * when the next notice is entered).
 */
export function due(date, provisional) {
  if (!date) return '';
  return provisional ? [date, h('small', { class: 'provisional', title: '节假日安排公布后可能调整 / may move when the '
    + 'next holiday notice is entered' }, ' (暂定 / provisional)')] : date;
}

// ------------------------------------------------------------------ the real-name level (实名等级) of one's own views

/*
 * The exchange's views keyed on the user's own identifier (who used my data, complaints, corrections, notices) need a
 * verified real-name level: exchange.citizens-view.min-acr, which the exchange names at GET /settings (read once per
 * browser session). A self-registered account is L2. Below the level the service answers 403 naming requiredAcr; the
 * console knows the session's level (acr) and does not ask at all, so that none of such a user's pages raises refused
 * calls, and each of those sections says why in words instead. A 403 naming a higher level (the deployment changed
 * meanwhile) is kept for the session. While the settings cannot be read the views are asked, and a 403 says.
 */
const LEVEL_KEY = 'onenet.citizensViewLevel';
const SETTINGS_KEY = 'onenet.exchangeSettings';

/** The level an acr value names (…loa:1 … …loa:4), 0 for none. */
export const levelOf = (acr) => {
  const m = /loa:([1-4])$/.exec(acr || '');
  return m ? Number(m[1]) : 0;
};

let exchangeSettings = null;
/** The exchange's settings (GET /settings), once per browser session; null while they cannot be read. */
function exchangeSettingsOnce() {
  if (!exchangeSettings) {
    const kept = window.sessionStorage.getItem(SETTINGS_KEY);
    exchangeSettings = kept ? Promise.resolve(JSON.parse(kept))
      : api('GET', `${EXCHANGE}/settings`, undefined, undefined, true).then((settings) => {
        window.sessionStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
        return settings;
      }, () => {
        exchangeSettings = null; // asked again at the next section
        return null;
      });
  }
  return exchangeSettings;
}

/** The level the own views need: the exchange's setting, or a higher one a refusal named; 0 when unknown. */
async function citizensViewLevel() {
  const settings = await exchangeSettingsOnce();
  const configured = settings ? levelOf(settings.citizensViewMinAcr) : 0;
  return Math.max(configured, Number(window.sessionStorage.getItem(LEVEL_KEY)) || 0);
}

/** The level a citizen's or an enterprise's own views need when this session's is below it, else 0. */
export async function levelShort() {
  if (!has('citizen', 'enterprise')) return 0;
  const needed = await citizensViewLevel();
  return levelOf(state.me.acr) < needed ? needed : 0;
}

const refusedForLevel = (e) => e instanceof ApiError && e.status === 403 && e.problem && e.problem.requiredAcr;

/**
 * Which level a section needs and how to reach it, under the section's own heading (words: { title, zh, en }, what
 * the level opens); the request id when a refusal was the way it became known.
 */
function levelNeeded(words, level, requestId) {
  const agent = state.me && state.me.actor;
  show(h('h2', {}, words.title),
    h('section', { id: 'level-needed', class: 'notice', role: 'alert' },
      h('p', {}, h('strong', {}, `需要实名认证等级 L${level} 及以上`),
        `才能${words.zh}${agent ? '（经办人本人的认证等级）' : ''}。`
        + '请到政务服务大厅线下核验身份，或通过刷脸认证提升实名等级，然后重新登录。'),
      h('p', { lang: 'en' }, `Real-name level L${level} or higher is needed to ${words.en}`
        + `${agent ? ' (the agent\'s own level counts)' : ''}. Verify your identity in person at a service centre `
        + '(线下核验) or by face recognition (刷脸认证), then log in again.'),
      h('p', { class: 'links' }, h('a', { href: '/console', id: 'login-again' }, '重新登录 / Log in again')),
      requestId ? h('small', { class: 'request-id' }, '请求编号 / request id: ' + requestId) : null));
}

/**
 * One of the user's own views: load() when the session's level reaches the one it needs, else (or when the service
 * refuses it for the level) the section says which level it needs. Resolves to load()'s answer, or null when shown.
 */
export async function ownView(words, load) {
  const seq = state.routeSeq;
  const short = await levelShort();
  // the settings' first reading is shared by the sections: one the user has left meanwhile draws nothing
  if (seq !== state.routeSeq) throw new Superseded();
  if (short) {
    levelNeeded(words, short);
    return null;
  }
  try {
    return await load();
  } catch (e) {
    if (!refusedForLevel(e)) throw e;
    const needed = levelOf(e.problem.requiredAcr);
    if (needed) window.sessionStorage.setItem(LEVEL_KEY, String(needed));
    levelNeeded(words, needed || await citizensViewLevel(), e.problem.requestId);
    return null;
  }
}

/**
 * A date and time typed as Beijing time (a datetime-local field: 2026-12-05T09:30) as its ISO 8601 form with the
 * offset, 2026-12-05T09:30:00+08:00 — not in the zone the browser happens to run in.
 */
export function beijingLocal(value) {
  if (!value) return null;
  return `${value.length === 16 ? `${value}:00` : value}+08:00`;
}

/** The same as an instant in UTC (2026-12-05T01:30:00.000Z), for the APIs that take one. */
export function beijingInstant(value) {
  const at = new Date(beijingLocal(value));
  return Number.isNaN(at.getTime()) ? value : at.toISOString();
}

const zhNumber = new Intl.NumberFormat('zh-CN');
/** A count or quota as zh-CN writes it: 100,000. */
export const count = (n) => (n == null || Number.isNaN(Number(n)) ? '' : zhNumber.format(Number(n)));

/** Today's date in Beijing. */
export function today() {
  return beijingTime(new Date().toISOString(), 'day');
}

/**
 * A small form posting its fields (plus extra) as JSON to path; re-renders after success. Options: ask — the question
 * put before an action that cannot be undone (confirmFirst); idempotent — the form sends its own Idempotency-Key, so
 * sending it again after a lost answer files once.
 */
export function actionForm(id, title, path, fields, button, after, extra, options = {}) {
  const form = h('form', { id, class: 'action' }, h('h4', {}, title), fields.map(([name, text, input]) =>
    field(name, text, input)), h('button', { type: 'submit' }, button));
  const headers = options.idempotent ? { 'Idempotency-Key': newKey() } : undefined;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = { ...(extra || {}) };
    for (const [name] of fields) {
      const value = form.elements[name].value.trim();
      body[name] = value === '' ? null : value;
    }
    const send = () => act(form.querySelector('button'), () => api('POST', path, body, headers), async () => {
      await after();
      notify(`${title}：已完成 / done`, 'ok');
    }, form);
    if (options.ask) confirmFirst(form.querySelector('button'), options.ask, send);
    else send();
  });
  return form;
}

/**
 * Asks before an action that cannot be undone (withdrawing, terminating, deregistering, revoking): a question beside
 * the control, as an alert dialog with the focus on 确定; only 确定 runs proceed, 取消 leaves everything as it was.
 */
export function confirmFirst(control, question, proceed) {
  const open = control.nextElementSibling;
  if (open && open.classList.contains('confirm')) {
    open.querySelector('.confirm-yes').focus();
    return;
  }
  const text = h('p', { class: 'warning' }, question);
  const close = () => {
    dialog.remove();
    control.focus();
  };
  const yes = h('button', { type: 'button', class: 'confirm-yes', onclick: () => {
    close();
    proceed();
  } }, '确定 / Confirm');
  const no = h('button', { type: 'button', class: 'link confirm-no', onclick: close }, '取消 / Cancel');
  const dialog = h('div', { class: 'secret confirm', role: 'alertdialog', 'aria-labelledby': idFor(text) }, text,
    h('p', {}, yes, ' ', no));
  control.after(dialog);
  yes.focus();
}

/** A fresh Idempotency-Key for one form (crypto.randomUUID needs a secure context, which the console's pages are). */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// ------------------------------------------------------------------ forms, filters and pages

/** Rows per page of the paged lists. */
export const PAGE_SIZE = 50;

/** A form's values by name: trimmed text (empty → null), checkboxes as booleans or, in a data-group, lists. */
export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === 'checkbox' && el.dataset.group) {
      out[el.name] = out[el.name] || [];
      if (el.checked) out[el.name].push(el.value);
    } else if (el.type === 'checkbox') {
      out[el.name] = el.checked;
    } else {
      const v = el.value.trim();
      out[el.name] = v === '' ? null : v;
    }
  }
  return out;
}

/** The last page (from 0) holding rows of a list of total rows, null when the total is not known. */
const lastPage = (total) => (total == null ? null : Math.max(0, Math.ceil(Number(total) / PAGE_SIZE) - 1));

/** 上一页 / 下一页 links of a paged list kept in the section's address; with the total when the service gives it. */
export function pager(params, base, rows, total) {
  const page = Number(params.get('page') || 0);
  const link = (p, text) => {
    const next = new URLSearchParams(params);
    next.set('page', String(p));
    return h('a', { href: `${base}?${next}`, class: 'chip' }, text);
  };
  const shown = total == null ? '' : `共 ${count(total)} 条 / ${count(total)} in all · `;
  // past the end (an address typed or kept, the last rows gone meanwhile): "previous" leads to the last page with rows
  const last = lastPage(total);
  const previous = last == null ? page - 1 : Math.min(page - 1, last);
  return h('p', { class: 'pager' }, shown, `第 ${page + 1} 页 / page ${page + 1} `,
    page > 0 ? link(previous, previous < page - 1 ? `← 最后一页（第 ${previous + 1} 页） / last page (page ${previous + 1})`
      : '← 上一页 / previous') : null,
    (total == null ? rows === PAGE_SIZE : (page + 1) * PAGE_SIZE < total) ? link(page + 1, '下一页 / next →') : null);
}

/**
 * What a list says when the page shown is empty: past the end of the list (a page or cursor beyond its last row,
 * e.g. a kept address after the last rows were removed), with a link back to the last page that has rows (the
 * first page when the service gives no total); else, with a filter in the address, that nothing matches it and a
 * button clearing the filters (keep: the address's parts that choose the list rather than filter it, kept when
 * clearing); without, that there is nothing yet (plain). total: the list's X-Total-Count, if the service gives one.
 */
export function emptyList(params, base, plain, id, keep = [], total = null) {
  const paging = ['page', 'before'];
  const page = Math.max(0, Math.floor(Number(params.get('page'))) || 0);
  const before = Number(params.get('before')) || 0;
  if ((page > 0 || before > 0) && total !== 0) return pastTheEnd(params, base, id, page, total);
  const filtered = [...params.entries()].some(([k, v]) => v !== '' && !paging.includes(k) && !keep.includes(k));
  if (!filtered) return h('p', { id, class: 'empty' }, plain || '暂无记录 / no records yet');
  const kept = new URLSearchParams();
  for (const k of keep) if (params.get(k)) kept.set(k, params.get(k));
  const target = kept.toString() ? `${base}?${kept}` : base;
  return h('p', { id, class: 'empty' }, '没有符合筛选条件的记录 / no records match the filters. ',
    h('button', { type: 'button', class: 'clear-filters', onclick: () => { location.hash = target; } },
      '清除筛选条件 / clear the filters'));
}

/** An empty page beyond the list's end: says so, and leads back (same filters) to the last page with rows. */
function pastTheEnd(params, base, id, page, total) {
  const last = lastPage(total) || 0;
  const back = new URLSearchParams(params);
  back.delete('before');
  if (last > 0) back.set('page', String(last));
  else back.delete('page');
  const target = back.toString() ? `${base}?${back}` : base;
  const all = total == null ? ['', ''] : [`（共 ${count(total)} 条）`, ` (${count(total)} in all)`];
  const text = page > 0 ? `第 ${page + 1} 页已超出列表末尾${all[0]}，没有记录 / page ${page + 1} is past the end of the `
    + `list${all[1]}. ` : '此前已没有更早的记录 / there is nothing older than this. ';
  return h('p', { id, class: 'empty past-end' }, text,
    h('a', { href: target, class: 'chip back-to-list' }, last > 0
      ? `回到最后一页（第 ${last + 1} 页） / back to the last page (page ${last + 1})` : '回到第一页 / back to the first page'));
}

/** A filter form writing its values into the section's address (so back and reload keep them). */
export function filterForm(id, base, params, fields) {
  const f = h('form', { id, class: 'filters' }, fields, h('button', { type: 'submit' }, '筛选 / Filter'),
    h('a', { href: base }, '清除 / clear'));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(values(f))) if (v != null) next.set(k, v);
    location.hash = `${base}?${next}`;
  });
  for (const [k, v] of params.entries()) if (f.elements[k]) f.elements[k].value = v;
  return f;
}
