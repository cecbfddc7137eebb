// Payments: checkout sessions with their payment intent, charges and refunds, the status history
// (the events about them, oldest first), why a card was declined, and a refund button.
import { api, query } from '../api.js';
import { announce, badge, field, h, jsonView, money, select, shortTime, table, toneOf } from '../dom.js';
import { t } from '../i18n.js';
import { errorBox, mountListDetail, section, type PanelView } from '../list-detail.js';
import { link, type Route } from '../router.js';

type Obj = Record<string, any>;

/** The session a deep link names: a session, or the session behind a payment intent, charge or refund. */
async function sessionFor(id: string): Promise<{ session: Obj; focus: Obj | undefined }> {
  if (id.startsWith('cs_')) return { session: await api(`/checkout/sessions/${encodeURIComponent(id)}`), focus: undefined };
  let focus: Obj | undefined;
  let intentId = id;
  if (id.startsWith('re_')) {
    const refund: Obj = await api(`/refunds/${encodeURIComponent(id)}`);
    focus = refund;
    intentId = refund.paymentIntentId ?? refund.chargeId;
  } else if (id.startsWith('ch_')) {
    // A charge has no route of its own; an event about it carries it and names its payment intent.
    const events = await api(`/_sim/events${query({ resourceId: id, limit: 1 })}`);
    intentId = events.data[0]?.data?.object?.paymentIntentId ?? id;
  }
  const found = await api(`/_sim/checkout/sessions${query({ search: intentId, limit: 1 })}`);
  const session = found.data[0];
  if (!session) throw new Error(t('notFound', { id }));
  const pi = session.paymentIntent;
  if (id.startsWith('pi_')) focus = pi;
  if (id.startsWith('ch_')) focus = pi?.charges?.find((c: Obj) => c.id === id);
  return { session, focus };
}

/** Why the last attempt failed, in the words the API gives the merchant. */
function declineReason(pi: Obj | null): HTMLElement | null {
  const err = pi?.lastPaymentError;
  const failed = (pi?.charges ?? []).filter((c: Obj) => c.failureCode || c.failureMessage);
  if (!err && failed.length === 0) return null;
  const last = failed.at(-1);
  return h('div', { class: 'callout callout-bad', role: 'note' },
    h('strong', {}, t('whyDeclined')), ' ',
    // The same words often stand in several fields; each is said once.
    [...new Set([err?.declineCode ?? err?.code ?? last?.failureCode, err?.merchantMessage ?? err?.message ?? last?.failureMessage, last?.outcome?.sellerMessage].filter(Boolean))].join(' — '));
}

/** The events about the payment, oldest first (the API lists newest first, in emission order). */
async function history(intentId: string | undefined, sessionId: string): Promise<HTMLElement> {
  const seen = new Map<string, Obj>();
  for (const id of [intentId, sessionId]) {
    if (!id) continue;
    const page = await api(`/_sim/events${query({ resourceId: id, limit: 100 })}`);
    for (const e of [...page.data].reverse()) if (!seen.has(e.id)) seen.set(e.id, e);
  }
  // Stable: events at the same instant keep their emission order.
  const events = [...seen.values()].sort((a, b) => String(a.created).localeCompare(String(b.created)));
  if (events.length === 0) return h('p', { class: 'muted' }, t('noHistory'));
  return table(t('statusHistory'), events, [
    { label: t('event'), value: (e) => e.type },
    { label: t('time'), value: (e) => shortTime(e.created) },
    { label: t('status'), value: (e) => e.data?.object?.status ?? '' },
  ], (e) => link('events', e.id));
}

async function refundsOf(charges: Obj[]): Promise<Obj[]> {
  const out: Obj[] = [];
  // GET /refunds answers a bare array (XPay's contract), not a list object.
  for (const c of charges.filter((c) => c.amountCaptured > 0)) out.push(...(await api<Obj[]>(`/refunds${query({ chargeId: c.id, limit: 100 })}`)));
  return out;
}

function refundForm(pi: Obj, charge: Obj, done: () => void): HTMLElement {
  const remaining = charge.amountCaptured - charge.amountRefunded;
  const amount = h('input', { name: 'amount', type: 'number', min: 1, max: remaining, step: 1, inputmode: 'numeric' });
  const reason = select('reason', [['', t('noReason')], ['REQUESTED_BY_CUSTOMER', 'REQUESTED_BY_CUSTOMER'], ['DUPLICATE', 'DUPLICATE'], ['FRAUDULENT', 'FRAUDULENT']]);
  const out = h('div', { role: 'status' });
  const form = h('form', { class: 'inline-form', 'aria-label': t('refund') },
    field(t('refundAmount'), amount, t('refundAmountHint', { max: String(remaining), shown: money(remaining, charge.currency) })),
    field(t('reason'), reason),
    h('button', { type: 'submit', class: 'btn btn-danger' }, t('refund')), out);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body: Obj = { paymentIntentId: pi.id };
    if (amount.value) body.amount = Number(amount.value);
    if (reason.value) body.reason = reason.value;
    api('/refunds', { method: 'POST', body }).then(
      (refund) => {
        announce(t('refundedAnnounce', { id: refund.id, status: refund.status }));
        done();
      },
      (e) => out.replaceChildren(errorBox(e)),
    );
  });
  return form;
}

async function detail(id: string, reload: () => void): Promise<Array<Node | null>> {
  const { session, focus } = await sessionFor(id);
  const pi: Obj | null = session.paymentIntent ?? null;
  const charges: Obj[] = pi?.charges ?? [];
  const refunds = await refundsOf(charges);
  const refundable = pi ? charges.find((c) => c.amountCaptured > c.amountRefunded && c.status !== 'FAILED') : undefined;
  return [
    h('h2', {}, focus?.id ?? session.id),
    h('p', { class: 'badges' },
      badge(`${t('session')}: ${session.status}`, toneOf(session.status)), ' ',
      badge(session.paymentStatus, toneOf(session.paymentStatus)), ' ',
      pi ? badge(`${t('paymentIntent')}: ${pi.status}`, toneOf(pi.status)) : null, ' ',
      h('span', { class: 'amount' }, money(session.amountTotal, session.currency))),
    declineReason(pi),
    h('p', { class: 'links' },
      h('a', { href: link('requests', undefined, { resource: session.id }) }, t('itsRequests')), ' · ',
      h('a', { href: link('events', undefined, { resourceId: pi?.id ?? session.id }) }, t('itsEvents')),
      session.customerId ? [' · ', h('a', { href: link('customers', session.customerId) }, t('itsCustomer'))] : null),
    refundable ? section(t('refund'), refundForm(pi!, refundable, reload)) : null,
    section(t('statusHistory'), await history(pi?.id, session.id)),
    charges.length ? section(t('charges'), table(t('charges'), charges, [
      { label: 'id', value: (c) => c.id },
      { label: t('status'), value: (c) => badge(c.status, toneOf(c.status)) },
      { label: t('amount'), value: (c) => money(c.amount, c.currency) },
      { label: t('refunded'), value: (c) => money(c.amountRefunded, c.currency) },
      { label: t('card'), value: (c) => c.paymentMethodDetails?.card?.last4 ? `•••• ${c.paymentMethodDetails.card.last4}` : c.paymentMethodDetails?.type ?? '' },
      { label: t('failure'), value: (c) => c.failureMessage ?? '' },
    ], (c) => link('payments', c.id))) : null,
    refunds.length ? section(t('refunds'), table(t('refunds'), refunds, [
      { label: 'id', value: (r) => r.id },
      { label: t('status'), value: (r) => badge(r.status, toneOf(r.status)) },
      { label: t('amount'), value: (r) => money(r.amount, r.currency) },
      { label: t('time'), value: (r) => shortTime(r.createdAt) },
    ], (r) => link('payments', r.id))) : null,
    focus ? section(t('jsonOf', { what: focus.id }), jsonView(focus, focus.id)) : null,
    section(t('jsonOf', { what: session.id }), jsonView(session, session.id)),
  ];
}

export function mountPayments(root: HTMLElement, route: Route): PanelView {
  return mountListDetail<Obj>(root, {
    panel: 'payments',
    caption: 'checkoutSessions',
    filters: [
      { name: 'search', label: 'search', hint: 'searchPaymentsHint' },
      { name: 'status', label: 'sessionStatus', options: [['open', 'open'], ['complete', 'complete'], ['expired', 'expired']] },
      { name: 'paymentStatus', label: 'paymentStatus', options: [['paid', 'paid'], ['unpaid', 'unpaid'], ['no_payment_required', 'no_payment_required']] },
    ],
    rows: async (p) => (await api(`/_sim/checkout/sessions${query({ search: p.get('search'), status: p.get('status'), paymentStatus: p.get('paymentStatus'), limit: 50 })}`)).data,
    columns: [
      { label: 'id', value: (s) => s.id },
      { label: t('status'), value: (s) => badge(s.status, toneOf(s.status)) },
      { label: t('paymentStatus'), value: (s) => badge(s.paymentStatus, toneOf(s.paymentStatus)) },
      { label: t('amount'), value: (s) => money(s.amountTotal, s.currency) },
      { label: t('customer'), value: (s) => s.customerDetails?.email ?? s.customerId ?? '' },
      { label: t('created'), value: (s) => shortTime(s.createdAt) },
    ],
    rowId: (s) => s.id,
    emptyText: ['noPayments', 'noPaymentsNext'],
    detail: (id, _rows, _route, reload) => detail(id, reload),
  }, route);
}
