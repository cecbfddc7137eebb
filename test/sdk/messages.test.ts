// The SDK's own message handling, without a browser: the page side reads only its frame's
// messages from the simulator's origin, the frame side talks only to the parent named in its
// window name, and replies find their request.
import { describe, expect, it } from 'vitest';
import { createFrame } from '../../src/sdk/runtime/frame-channel.js';
import { createBridge } from '../../src/sdk/frame/bridge.js';
import { Emitter } from '../../src/sdk/runtime/emitter.js';
import { FROM_FRAME, message, parentOriginFromName } from '../../src/sdk/shared/protocol.js';
import { FakeWindow, type FakeIframe } from './fake-window.js';

const SIM = 'http://sim.test';
const SHOP = 'https://shop.example';

function pageWithFrame() {
  const page = new FakeWindow(SHOP);
  const seen: string[] = [];
  const channel = createFrame(`${SIM}/c/ns_x/cs_test_1?embed=true`, 'XPay checkout', (m) => seen.push(m.type), page as unknown as Window, SIM);
  const iframe = channel.iframe as unknown as FakeIframe;
  return { page, seen, channel, iframe };
}

describe('page side (frame channel)', () => {
  it('names the frame after the page origin, so the frame knows where it may post', () => {
    const { iframe } = pageWithFrame();
    expect(iframe.name).toBe(`xpay-sim:${SHOP}`);
    expect(parentOriginFromName(iframe.name)).toBe(SHOP);
  });

  it('reads messages only from its own frame window on the simulator origin', () => {
    const { page, seen, iframe } = pageWithFrame();
    const other = new FakeWindow(SIM);
    page.receive(message(FROM_FRAME.confirmed), 'https://evil.example', iframe.contentWindow);
    page.receive(message(FROM_FRAME.confirmed), SIM, other);
    page.receive({ type: FROM_FRAME.confirmed }, SIM, iframe.contentWindow);
    expect(seen).toEqual([]);
    page.receive(message(FROM_FRAME.confirmed), SIM, iframe.contentWindow);
    expect(seen).toEqual([FROM_FRAME.confirmed]);
  });

  it('sizes the frame from its resize messages', () => {
    const { page, iframe } = pageWithFrame();
    page.receive(message(FROM_FRAME.resize, { height: 612 }), SIM, iframe.contentWindow);
    expect(iframe.style.height).toBe('612px');
  });

  it('posts to the simulator origin only and matches each reply to its request', async () => {
    const { page, iframe, channel } = pageWithFrame();
    const first = channel.request<string>('XPAY_SDK_SUBMIT');
    const second = channel.request<string>('XPAY_SDK_SUBMIT');
    const sent = iframe.contentWindow.posted.map((p) => [p.targetOrigin, (p.data as any).payload.id]);
    expect(sent.map((s) => s[0])).toEqual([SIM, SIM]);
    page.receive(message(FROM_FRAME.reply, { id: sent[1]![1], result: 'second' }), SIM, iframe.contentWindow);
    page.receive(message(FROM_FRAME.reply, { id: sent[0]![1], result: 'first' }), SIM, iframe.contentWindow);
    expect(await Promise.all([first, second])).toEqual(['first', 'second']);
  });

  it('on destroy removes the frame and its listener, and a pending request hears undefined', async () => {
    const { page, iframe, channel, seen } = pageWithFrame();
    const pending = channel.request('XPAY_SDK_CUSTOMER_DETAILS');
    channel.destroy();
    expect(await pending).toBeUndefined();
    expect(iframe.removed).toBe(true);
    page.receive(message(FROM_FRAME.confirmed), SIM, iframe.contentWindow);
    expect(seen).toEqual([]);
  });
});

describe('frame side (bridge)', () => {
  function framed(name: string) {
    const parent = new FakeWindow(SHOP);
    const frame = new FakeWindow(SIM);
    frame.parent = parent;
    frame.name = name;
    return { parent, frame, bridge: createBridge(frame as unknown as Window) };
  }

  it('posts to the parent, addressed to the origin from the window name', () => {
    const { parent, bridge } = framed(`xpay-sim:${SHOP}`);
    bridge.post(FROM_FRAME.ready, { state: 'form' });
    expect(parent.posted).toEqual([{ data: { xpaySim: 1, type: FROM_FRAME.ready, payload: { state: 'form' } }, targetOrigin: SHOP }]);
  });

  it('stays silent when the window name is not an origin it was given', () => {
    for (const name of ['', 'checkout', 'xpay-sim:*', 'xpay-sim:javascript:alert(1)', `xpay-sim:${SHOP}/path`]) {
      const { parent, bridge } = framed(name);
      bridge.post(FROM_FRAME.ready);
      expect(parent.posted, name).toEqual([]);
    }
  });

  it('reads only the parent window\'s messages from that origin', () => {
    const { parent, frame, bridge } = framed(`xpay-sim:${SHOP}`);
    const got: string[] = [];
    bridge.onMessage((m) => got.push(m.type));
    frame.receive(message('XPAY_SDK_SUBMIT'), 'https://evil.example', parent);
    frame.receive(message('XPAY_SDK_SUBMIT'), SHOP, new FakeWindow(SHOP));
    frame.receive(message('XPAY_SDK_SUBMIT'), SHOP, parent);
    expect(got).toEqual(['XPAY_SDK_SUBMIT']);
  });
});

describe('events', () => {
  it('replays ready to a late listener but not change, accepts unknown names, and survives a throwing listener', async () => {
    const events = new Emitter(['ready']);
    const got: string[] = [];
    events.emit('ready', 'r');
    events.emit('change', 'c');
    events.on('ready', (p) => got.push(`late ${p}`));
    events.on('change', (p) => got.push(`change ${p}`));
    events.on('focus', () => got.push('focus'));
    await Promise.resolve();
    expect(got).toEqual(['late r']);
    const errors: unknown[] = [];
    const original = globalThis.setTimeout;
    (globalThis as any).setTimeout = (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        errors.push(e);
      }
    };
    try {
      events.on('change', () => {
        throw new Error('merchant bug');
      });
      events.on('change', (p) => got.push(`after ${p}`));
      events.emit('change', 'c2');
    } finally {
      globalThis.setTimeout = original;
    }
    expect(got).toEqual(['late r', 'change c2', 'after c2']);
    expect(errors).toHaveLength(1);
  });
});
