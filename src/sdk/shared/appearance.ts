// XPay's Appearance (the session brandingSettings' shape) as CSS custom properties of the
// simulator's stylesheet. Only hex colours are taken, as XPay's server does.

const HEX = /^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
const FONT = /^[\w\s,"'-]{1,200}$/;

/** Appearance colour key → the stylesheet variable it sets. */
const COLOURS: Record<string, string> = {
  primary: '--primary',
  foreground: '--fg',
  background: '--surface',
  border: '--line',
  input: '--line',
  mutedForeground: '--muted',
  destructive: '--error',
};

const RADII: Record<string, [string, string]> = { sharp: ['0px', '0px'], rounded: ['12px', '8px'], pill: ['24px', '999px'] };

export function appearanceVariables(appearance: unknown): Record<string, string> {
  const vars: Record<string, string> = {};
  if (typeof appearance !== 'object' || appearance === null) return vars;
  const a = appearance as { colors?: Record<string, unknown>; borderStyle?: unknown; fontFamily?: unknown };
  for (const [key, variable] of Object.entries(COLOURS)) {
    const value = a.colors?.[key];
    if (typeof value === 'string' && HEX.test(value)) vars[variable] = value;
  }
  const radius = typeof a.borderStyle === 'string' ? RADII[a.borderStyle] : undefined;
  if (radius) [vars['--radius'], vars['--radius-input']] = radius;
  if (typeof a.fontFamily === 'string' && FONT.test(a.fontFamily)) vars['--font'] = a.fontFamily;
  return vars;
}
