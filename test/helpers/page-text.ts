// Checks run inside a page (playwright's page.evaluate): what a shopper reads there, apart from
// data that keeps its own direction (<bdi>, dir="ltr"/"auto", isolated runs, form values).
import type { Page } from 'playwright-core';

/** Latin words a shopper reads outside data: on an Arabic page these are untranslated text. */
export function latinWordsOutsideData(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const isData = (el: Element | null): boolean => !!el?.closest('bdi, code, option, script, style, body [dir="ltr"], body [dir="auto"]');
    const strip = (text: string) => text.replace(/[\u2066\u2067\u2068][^\u2069]*\u2069/g, '');
    const words: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (isData(el) || !el || el.getClientRects().length === 0) continue;
      words.push(...(strip(n.textContent ?? '').match(/[A-Za-z]+/g) ?? []));
    }
    // Texts shown or read out without being text nodes: placeholders and accessible names.
    for (const el of document.querySelectorAll('[placeholder], [aria-label]')) {
      const text = `${el.getAttribute('placeholder') ?? ''} ${el.getAttribute('aria-label') ?? ''}`;
      words.push(...(strip(text).match(/[A-Za-z]+/g) ?? []));
    }
    return words;
  });
}

/** The digit systems a page's visible text uses ('western', 'arabic-indic', 'persian'). */
export function digitSystems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const text = document.body.innerText;
    const systems: string[] = [];
    if (/[0-9]/.test(text)) systems.push('western');
    if (/[\u0660-\u0669]/.test(text)) systems.push('arabic-indic');
    if (/[\u06f0-\u06f9]/.test(text)) systems.push('persian');
    return systems;
  });
}

/** Whether an element is fully inside the viewport (what the shopper sees without scrolling). */
export function inViewport(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth && r.height > 0;
  }, selector);
}

export function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}
