// 一网通办 控制台: 我的通知 — what a citizen or an enterprise is told about its own correction requests (个人信息更正
// 补充, PIPL 第四十六条) and complaints (投诉, 条例第三十七条): answered, escalated as overdue, decided
// (data-exchange-service, GET /me/notices). Read state is the account's own. The service's text goes in as text nodes.

import { EXCHANGE, has, label, h, table, show, api, act, thenShow, beijingTime, ApiError } from './ui.js';

const INBOX = '#/my-notices';
const NOTICES = `${EXCHANGE}/me/notices`;

const KIND = {
  CORRECTION_ANSWERED: '更正申请已答复 / correction request answered',
  CORRECTION_OVERDUE: '逾期已报主管部门督办 / overdue, referred to the competent authority',
  COMPLAINT_ANSWERED: '投诉已说明 / complaint explained',
  COMPLAINT_OVERDUE: '投诉逾期已督办 / complaint overdue, referred to the competent authority',
  COMPLAINT_UPHELD: '投诉成立 / complaint upheld',
  COMPLAINT_DISMISSED: '投诉不成立 / complaint dismissed',
  DEADLINE_RECOUNTED: '期限因工作日历调整而变更 / deadline moved by a calendar change',
};

// Where the requester reads a notice's subject: the correction request or the complaint, each with its history.
const SUBJECT = {
  CORRECTION: (id) => [`#/my-corrections/${id}`, `更正申请 #${id} / correction request #${id}`],
  COMPLAINT: (id) => [`#/my-complaints/${id}`, `投诉 #${id} / complaint #${id}`],
};

// ------------------------------------------------------------------ the menu's unread badge

async function fillBadge(badge) {
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

const needsLevel = (e) => e instanceof ApiError && e.status === 403 && e.problem && e.problem.requiredAcr;

/** Below the real-name level the notices need: which level, and how to reach it. */
function levelNeeded(e) {
  const level = String(e.problem.requiredAcr).replace(/^urn:onenet:loa:/, 'L');
  show(h('h2', {}, '我的通知 / My notices'),
    h('section', { id: 'level-needed', class: 'notice', role: 'alert' },
      h('p', {}, h('strong', {}, `需要实名认证等级 ${level} 及以上`), '才能查看关于您的更正申请和投诉的通知。'),
      h('p', { lang: 'en' }, `Real-name level ${level} or higher is needed to read the notices about your `
        + 'correction requests and complaints.'),
      h('p', { class: 'links' }, h('a', { href: '/console' }, '重新登录 / Log in again'))));
}

/**
 * The link to a notice's subject. Opening it marks the notice read first, so that the menu's count on the page it
 * leads to no longer holds it; a failure to mark it is shown and the inbox stays.
 */
function openLink(n) {
  const subject = SUBJECT[n.subjectType];
  if (!subject) return `${n.subjectType || ''} #${n.subjectId}`;
  const [href, text] = subject(n.subjectId);
  const link = h('a', { href, class: 'notice-subject', 'data-notice-open': n.id, onclick: (ev) => {
    if (n.read) return;
    if (ev.ctrlKey || ev.metaKey || ev.shiftKey) {
      // opened in another tab: this one is marked read as well, quietly
      api('POST', `${NOTICES}/${n.id}/read`).then(refreshBadges, () => {});
      return;
    }
    ev.preventDefault();
    act(link, () => api('POST', `${NOTICES}/${n.id}/read`), () => { location.hash = href; });
  } }, text);
  return link;
}

async function inboxView(params) {
  const unreadOnly = params.get('unread') === 'true';
  let notices;
  let count;
  try {
    [notices, count] = await Promise.all([api('GET', `${NOTICES}${unreadOnly ? '?unread=true' : ''}`),
      api('GET', `${NOTICES}/unread-count`)]);
  } catch (e) {
    if (!needsLevel(e)) throw e;
    levelNeeded(e);
    return;
  }
  const again = async () => {
    await inboxView(params);
    refreshBadges();
  };
  // 全部已读: everything up to the newest notice shown (one arriving meanwhile stays unread)
  const newest = notices.length ? Math.max(...notices.map((n) => n.id)) : null;
  const all = notices.some((n) => !n.read) ? h('button', { type: 'button', id: 'my-notices-read-all', onclick: () =>
    act(all, () => api('POST', `${NOTICES}/read`, { upTo: newest }),
      thenShow(again, (r) => `已全部标为已读 / all marked read: ${r.marked}，未读 / unread: ${r.unread}`)) },
  '全部已读 / Mark all read') : null;
  const bold = (n, content) => (n.read ? content : h('strong', {}, content));
  show(h('h2', {}, '我的通知 / My notices ', h('span', { id: 'my-notices-unread' },
    `（未读 ${count.unread} 条 / ${count.unread} unread）`)),
  h('p', { class: 'meta' }, '您的更正申请和投诉有答复、逾期督办或处理结果时，在此通知您；已读状态仅对本账户。 / You are told here '
    + 'when your correction requests and complaints are answered, escalated as overdue or decided; read or not is '
    + 'this account\'s own.'),
  h('p', { class: 'actions' }, unreadOnly ? h('a', { href: INBOX, class: 'chip' }, '全部通知 / all notices')
    : h('a', { href: `${INBOX}?unread=true`, class: 'chip', id: 'my-notices-unread-only' }, '只看未读 / unread only'),
  ' ', all),
  notices.length ? h('div', { id: 'my-notice-list' }, table(['状态 / state', '时间 / at', '类型 / kind',
    '内容 / message', '查看 / open'], notices.map((n) => [
    n.read ? h('span', { class: 'notice-state', 'data-notice': n.id }, '已读 / read')
      : h('strong', { class: 'notice-state unread', 'data-notice': n.id }, '未读 / unread'),
    bold(n, beijingTime(n.createdAt)), bold(n, label(KIND, n.kind)), h('span', { class: 'notice-message' },
      n.message || ''), openLink(n)])))
    : h('p', { id: 'no-my-notices' }, unreadOnly ? '没有未读通知 / no unread notices' : '暂无通知 / no notices'));
}

export const INBOX_SECTIONS = [
  { hash: INBOX, text: '我的通知 / My notices', when: () => has('citizen', 'enterprise'), badge,
    render: (id, sub, params) => inboxView(params) },
];
