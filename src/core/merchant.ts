// The one simulated merchant behind every key: its name as GET /account, sessions and pages show it.
export const MERCHANT_DISPLAY_NAME = 'xpay-sim Demo Store';
