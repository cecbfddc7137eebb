// Label/value rows (totals, receipt and confirmation details): one <div> per row inside the <dl>,
// so a row's rule spans the whole row instead of breaking at the column gap.
import { html, type SafeHtml } from './html.js';

export interface DetailRow {
  label: string | SafeHtml;
  value: string | SafeHtml;
  /** The row that sums the others (bold, with a rule above). */
  grand?: boolean;
  testId?: string;
}

export function detailList(rows: Array<DetailRow | null | false>): SafeHtml {
  const shown = rows.filter((r): r is DetailRow => !!r);
  return html`<dl class="totals">${shown.map((r) => html`<div${r.grand ? html` class="grand"` : ''}><dt>${r.label}</dt><dd${r.testId ? html` data-testid="${r.testId}"` : ''}>${r.value}</dd></div>`)}</dl>`;
}
