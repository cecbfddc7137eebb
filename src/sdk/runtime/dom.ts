// Page furniture the SDK adds to the merchant page: containers, the modal overlay with its scroll
// lock (keeping the scrollbar's gutter), and the close button.

export function resolveContainer(target: unknown, doc: Document = document): HTMLElement {
  const el = typeof target === 'string' ? doc.querySelector(target) : target;
  if (!el || typeof (el as HTMLElement).appendChild !== 'function') {
    throw new Error(`XPay: container ${typeof target === 'string' ? `"${target}" ` : ''}was not found; pass a CSS selector or an HTMLElement.`);
  }
  return el as HTMLElement;
}

export interface Overlay {
  root: HTMLElement;
  panel: HTMLElement;
  remove(): void;
}

/** A fixed overlay (backdrop + centred panel); the body stops scrolling while it is shown. */
export function createOverlay(opts: { label: string; onBackdrop?: () => void; closeButton?: () => void; width?: string }, doc: Document = document): Overlay {
  const root = doc.createElement('div');
  root.setAttribute('data-xpay-overlay', '');
  root.style.cssText = 'position:fixed;inset:0;z-index:2147483000;background:rgba(15,23,42,.55);display:flex;align-items:center;justify-content:center;padding:16px;box-sizing:border-box';
  const panel = doc.createElement('div');
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-modal', 'true');
  panel.setAttribute('aria-label', opts.label);
  panel.style.cssText = `position:relative;background:#fff;border-radius:12px;width:100%;max-width:${opts.width ?? '960px'};max-height:100%;overflow:auto;box-shadow:0 20px 50px rgba(0,0,0,.3)`;
  if (opts.closeButton) {
    const close = doc.createElement('button');
    close.type = 'button';
    close.setAttribute('aria-label', 'Close');
    close.textContent = '×';
    close.style.cssText = 'position:absolute;top:6px;inset-inline-end:8px;z-index:1;border:0;background:transparent;font-size:28px;line-height:1;cursor:pointer;color:#334155';
    close.addEventListener('click', opts.closeButton);
    panel.appendChild(close);
  }
  root.appendChild(panel);
  root.addEventListener('click', (e) => {
    if (e.target === root) opts.onBackdrop?.();
  });
  const body = doc.body;
  const saved = { overflow: body.style.overflow, paddingRight: body.style.paddingRight };
  const gutter = doc.defaultView ? doc.defaultView.innerWidth - doc.documentElement.clientWidth : 0;
  body.style.overflow = 'hidden';
  if (gutter > 0) body.style.paddingRight = `${gutter}px`;
  body.appendChild(root);
  return {
    root,
    panel,
    remove() {
      root.remove();
      body.style.overflow = saved.overflow;
      body.style.paddingRight = saved.paddingRight;
    },
  };
}
