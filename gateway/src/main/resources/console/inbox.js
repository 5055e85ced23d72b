// 一网通办 控制台: the notice inboxes. 我的通知 — what a citizen or an enterprise is told about its own correction
// requests (个人信息更正补充, PIPL 第四十六条) and complaints (投诉, 条例第三十七条): answered, escalated as overdue, decided
// (data-exchange-service, GET /me/notices). 通知 — what a department's staff (and a reviewer, for the 主管部门 of its
// region) is told about its requests, grants and the rest (GET /notices). Read state is the account's own; a
// notice's subject is a link only where it leads to a page of the reader's. The service's text goes in as text nodes.

import { EXCHANGE, has, h, table, show, api, act, thenShow, beijingTime, opens, levelShort, ownView } from './ui.js';
import { NOTICE_KIND, SUBJECT as STAFF_SUBJECT } from './exchange.js';

const INBOX = '#/my-notices';
const NOTICES = `${EXCHANGE}/me/notices`;
/** The services list the latest notices only (GET …notices: at most 100). */
const LATEST = 100;

// The kinds a citizen or an enterprise is sent (CorrectionService, ComplaintService, DeadlineRecount), in the words
// of their own pages: the department that holds or used the data acts, the 主管部门 follows up.
export const MY_NOTICE_KIND = {
  CORRECTION_ANSWERED: '更正申请已答复 / your correction request was answered',
  CORRECTION_OVERDUE: '更正申请逾期未答复，已请主管部门督办 / your correction request was not answered in time; the '
    + 'supervising department has been asked to follow it up',
  COMPLAINT_ANSWERED: '使用部门已就投诉作出说明 / the department that used your data explained itself',
  COMPLAINT_OVERDUE: '投诉逾期未说明，已请主管部门督办 / your complaint was not explained in time; the supervising '
    + 'department has been asked to follow it up',
  COMPLAINT_UPHELD: '投诉成立 / your complaint was upheld',
  COMPLAINT_DISMISSED: '投诉不成立 / your complaint was dismissed',
  DEADLINE_RECOUNTED: '办理期限因节假日安排调整而变更 / the deadline moved with a change of the holiday calendar',
};

// Where the requester reads a notice's subject: the correction request or the complaint, each with its history.
const MY_SUBJECT = {
  CORRECTION: (id) => [`#/my-corrections/${id}`, `更正申请 #${id} / correction request #${id}`],
  COMPLAINT: (id) => [`#/my-complaints/${id}`, `投诉 #${id} / complaint #${id}`],
};

/** A department's notice's subject: the page the console has for it (exchange.js), in its words. */
const staffSubject = (n) => {
  const [text, href] = STAFF_SUBJECT[n.subjectType] || ['—', null];
  return [href && href(n.subjectId), `${text} #${n.subjectId}`];
};

// ------------------------------------------------------------------ the menu's unread badge

async function fillBadge(badge) {
  // below the real-name level 我的通知 needs the count is not asked for: the section itself says why
  if (await levelShort()) return;
  try {
    const { unread } = await api('GET', `${NOTICES}/unread-count`, undefined, undefined, true);
    badge.textContent = unread > 0 ? String(unread) : '';
    badge.hidden = !(unread > 0);
    badge.title = `未读 ${unread} 条 / ${unread} unread`;
    // the number in its circle means nothing read out alone: the menu entry's name says what it counts
    spoken(badge).textContent = unread > 0 ? `（${unread} 条未读 / ${unread} unread）` : '';
  } catch (e) {
    // below the real-name level (403) or the exchange unreachable: no count; the page itself says why
    badge.hidden = true;
    spoken(badge).textContent = '';
  }
}

/** The unread count beside the menu entry, drawn anew with the menu at every navigation. */
function badge() {
  const el = h('span', { class: 'badge', id: 'my-notices-badge', hidden: true, 'aria-hidden': 'true' });
  const text = h('span', { class: 'visually-hidden', 'data-badge-text': '' });
  fillBadge(el);
  return [el, text];
}

/** The badge's words for screen readers, beside it in the menu entry. */
const spoken = (badge) => badge.nextElementSibling || h('span');

const refreshBadges = () => document.querySelectorAll('#my-notices-badge').forEach(fillBadge);

// ------------------------------------------------------------------ the inbox

/** What 我的通知 opens, for the words below the real-name level it needs (ui.js ownView). */
const MY_NOTICES = { title: '我的通知 / My notices', zh: '查看关于您的更正申请和投诉的通知',
  en: 'read the notices about your correction requests and complaints' };

/**
 * A notice's subject: a link where it leads to a page of the reader's, else its name alone. Opening the link marks
 * the notice read first, so that the counts on the page it leads to no longer hold it; a failure to mark it is shown
 * and the inbox stays.
 */
function subjectCell(inbox, n) {
  const [href, text] = inbox.subject(n);
  if (!href || !opens(href)) {
    // e.g. a witness department's or a reviewer's notice of a usage-log witness: only admins and auditors have its page
    return h('span', { class: 'notice-subject', title: '您没有此事项的页面，详见通知内容 / no page of yours shows it: the '
      + 'message says what happened' }, text);
  }
  const link = h('a', { href, class: 'notice-subject', 'data-notice-open': n.id, onclick: (ev) => {
    if (n.read) return;
    if (ev.ctrlKey || ev.metaKey || ev.shiftKey) {
      // opened in another tab: this one is marked read as well, quietly
      api('POST', `${inbox.api}/${n.id}/read`).then(refreshBadges, () => {});
      return;
    }
    ev.preventDefault();
    act(link, () => api('POST', `${inbox.api}/${n.id}/read`), () => { location.hash = href; });
  } }, text);
  return link;
}

// The two inboxes: the same page, each with its service, words, subjects and element ids.
const MINE = {
  hash: INBOX, api: NOTICES, kinds: MY_NOTICE_KIND, ids: { unread: 'my-notices-unread', list: 'my-notice-list',
    none: 'no-my-notices', only: 'my-notices-unread-only', all: 'my-notices-read-all' },
  title: '我的通知 / My notices',
  intro: () => '您的更正申请和投诉有答复、逾期督办或处理结果时，在此通知您；已读状态仅对本账户。 / You are told here when your '
    + 'correction requests and complaints are answered, escalated as overdue or decided; read or not is this '
    + 'account\'s own.',
  subject: (n) => (MY_SUBJECT[n.subjectType] ? MY_SUBJECT[n.subjectType](n.subjectId) : [null, '—']),
};
const DEPARTMENT = {
  hash: '#/notices', api: `${EXCHANGE}/notices`, kinds: NOTICE_KIND, ids: { unread: 'notices-unread',
    list: 'notice-list', none: 'no-notices', only: 'notices-unread-only', all: 'notices-read-all' },
  title: '通知 / Notices',
  intro: () => [has('reviewer') ? '本部门及本区划主管部门的最新通知 / the latest notices to your department and to the '
    + '主管部门 of your region' : '本部门的最新通知 / the latest notices to your department',
  '；已读状态仅对您本人 / read or not is yours alone'],
  subject: staffSubject,
};

/**
 * An inbox: the latest notices, unread ones in bold and saying so, each marked read when opened or on its own, or all
 * at once; optionally only the unread ones.
 */
async function inboxView(inbox, params) {
  const unreadOnly = params.get('unread') === 'true';
  const load = () => Promise.all([api('GET', `${inbox.api}${unreadOnly ? '?unread=true' : ''}`),
    api('GET', `${inbox.api}/unread-count`)]);
  const loaded = inbox === MINE ? await ownView(MY_NOTICES, load) : await load();
  if (!loaded) return;
  const [notices, count] = loaded;
  const { ids } = inbox;
  const again = async () => {
    await inboxView(inbox, params);
    refreshBadges();
  };
  // 全部标为已读: everything up to the newest unread notice shown (one arriving meanwhile stays unread)
  const unread = notices.filter((n) => !n.read);
  const newest = unread.length ? Math.max(...unread.map((n) => n.id)) : null;
  const all = newest == null ? null : h('button', { type: 'button', id: ids.all, onclick: () =>
    act(all, () => api('POST', `${inbox.api}/read`, { upTo: newest }),
      thenShow(again, (r) => `已标为已读 / marked read: ${r.marked}，未读 / unread: ${r.unread}`)) },
  '全部标为已读 / Mark all read');
  const markRead = (n) => {
    const button = h('button', { type: 'button', class: 'link', 'data-notice-read': n.id, onclick: () => act(button,
      () => api('POST', `${inbox.api}/${n.id}/read`), thenShow(again, `通知 #${n.id} 已标为已读 / marked read`)) },
    '标为已读 / Mark read');
    return button;
  };
  const bold = (n, content) => (n.read ? content : h('strong', {}, content));
  show(h('h2', {}, `${inbox.title} `, h('span', { id: ids.unread },
    `（未读 ${count.unread} 条 / ${count.unread} unread）`)),
  h('p', { class: 'meta' }, inbox.intro()),
  h('p', { class: 'actions' }, unreadOnly ? h('a', { href: inbox.hash, class: 'chip' }, '全部通知 / all notices')
    : h('a', { href: `${inbox.hash}?unread=true`, class: 'chip', id: ids.only }, '只看未读 / unread only'),
  ' ', all),
  notices.length ? h('div', { id: ids.list }, table(['状态 / state', '时间 / at', '类型 / kind', '内容 / message',
    '对象 / about', ''], notices.map((n) => [
    n.read ? h('span', { class: 'notice-state', 'data-notice': n.id }, '已读 / read')
      : h('strong', { class: 'notice-state unread', 'data-notice': n.id }, '未读 / unread'),
    bold(n, beijingTime(n.createdAt)),
    // a kind the console has no words for yet is still a notice, never its code
    bold(n, h('span', { class: 'notice-kind' }, inbox.kinds[n.kind] || '通知 / notice')),
    bold(n, h('span', { class: 'notice-message' }, n.message || '')), subjectCell(inbox, n),
    n.read ? '' : markRead(n)])),
  notices.length >= LATEST ? h('p', { class: 'meta', id: `${ids.list}-latest` }, `仅列出最新 ${LATEST} 条；更早的通知`
    + `仍计入未读数，“全部标为已读”一并标记 / only the latest ${LATEST} are listed; older ones still count as unread and `
    + '"Mark all read" marks them too') : null)
    : h('p', { id: ids.none }, unreadOnly ? '没有未读通知 / no unread notices' : '暂无通知 / no notices'));
}

export const INBOX_SECTIONS = [
  { hash: INBOX, text: '我的通知 / My notices', when: () => has('citizen', 'enterprise'), badge,
    render: (id, sub, params) => inboxView(MINE, params) },
];

/** A department's 通知, in the exchange's place in the menu (console.js). */
export const NOTICES_SECTION = { hash: DEPARTMENT.hash, text: '通知 / Notices',
  when: () => has('operator', 'head', 'reviewer', 'admin', 'auditor'),
  render: (id, sub, params) => inboxView(DEPARTMENT, params) };
