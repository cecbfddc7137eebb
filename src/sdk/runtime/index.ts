// window.XPay, as XPay's browser SDK defines it: XPay(publishableKey) → an instance with
// checkout() (drop-in), initCheckout() and elements() (Elements), confirmPayment().
import { createCheckout, type CheckoutOptions } from './drop-in.js';
import { Elements, type ActionResult, type ConfirmOptions, type ElementsOptions } from './elements.js';

const PUBLISHABLE_KEY = /^pk_(test|live)_[A-Za-z0-9_-]{1,200}$/;

/** initCheckout's answer: the session snapshot at ready time merged with the actions. */
async function initCheckout(pk: string, options: ElementsOptions): Promise<Record<string, unknown>> {
  const elements = new Elements(pk, options ?? {});
  const envelope = await elements.loaded;
  return {
    ...envelope.session,
    confirm: (opts?: ConfirmOptions) => elements.confirm(opts),
    submit: () => elements.submit(),
    applyPromotionCode: (code: string) => elements.applyPromotionCode(code),
    removePromotionCode: () => elements.removePromotionCode(),
    updateLineItemQuantity: (args: { lineItem: string; quantity: number }) => elements.updateLineItemQuantity(args),
    fetchUpdates: () => elements.fetchUpdates(),
    changeAppearance: (appearance: unknown) => elements.changeAppearance(appearance),
    // No off() here (as XPay's): take listeners off through getElements().off.
    on: (name: string, fn: (payload: any) => void) => void elements.on(name, fn),
    getElements: () => elements,
  };
}

function createInstance(pk: string) {
  return {
    checkout: (options: CheckoutOptions) => createCheckout(pk, options),
    elements: (options: ElementsOptions) => new Elements(pk, options ?? {}),
    initCheckout: (options: ElementsOptions) => initCheckout(pk, options),
    /** The classic confirm: the elements' session paid with the mounted payment element. */
    confirmPayment: (options: ConfirmOptions & { elements?: Elements }): Promise<ActionResult> => {
      if (!(options?.elements instanceof Elements)) {
        return Promise.resolve({ type: 'error', error: { type: 'invalid_request_error', code: 'parameter_missing', param: 'elements', message: 'confirmPayment needs the elements instance the payment element was created from.' } });
      }
      return options.elements.confirm(options);
    },
  };
}

const instances = new Map<string, ReturnType<typeof createInstance>>();

/** Called without `new`, like XPay's; a malformed key throws at once. One instance per key. */
function XPay(publishableKey: unknown) {
  if (typeof publishableKey !== 'string' || !PUBLISHABLE_KEY.test(publishableKey)) {
    throw new Error('XPay: invalid publishable key; it must look like pk_test_… or pk_live_… (never a secret key).');
  }
  let instance = instances.get(publishableKey);
  if (!instance) instances.set(publishableKey, (instance = createInstance(publishableKey)));
  return instance;
}

(window as unknown as { XPay: typeof XPay }).XPay = XPay;
