// The hosted pages' only stylesheet, served at /assets/checkout.css. Fluid, no fixed widths,
// logical properties so `dir="rtl"` mirrors the layout without extra rules.
export const CHECKOUT_CSS = `
:root{--primary:#0f766e;--fg:#1f2933;--muted:#5f6b7a;--line:#d9dee5;--bg:#f5f7fa;--error:#b42318;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Arabic",sans-serif}
*{box-sizing:border-box}
html,body{margin:0;padding:0;background:var(--bg);color:var(--fg);line-height:1.45}
body{min-height:100vh;display:flex;flex-direction:column}
body.embed{background:var(--surface,#fff);min-height:0;display:block;font-family:var(--font,inherit)}
body.embed main{padding:.5rem}
body.embed .card{border-radius:var(--radius,12px);background:var(--surface,#fff)}
body.embed input,body.embed select,body.embed button,body.embed .button{border-radius:var(--radius-input,8px)}
body.embed .foot{display:none}
form.element{display:block}
.top{display:flex;align-items:center;gap:.75rem;padding:1rem 1.25rem;background:#fff;border-block-end:1px solid var(--line)}
.merchant{font-weight:600;font-size:1.1rem}
.badge{background:#fff4e5;color:#8a4b00;border:1px solid #f5c77e;border-radius:999px;padding:.1rem .6rem;font-size:.8rem}
main{flex:1;width:100%;max-width:960px;margin:0 auto;padding:1rem}
.layout{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:800px){.layout{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
.card{background:#fff;border:1px solid var(--line);border-radius:12px;padding:1.25rem;min-width:0}
.card h1,.card h2{margin:0 0 .75rem;font-size:1.15rem}
.message{max-width:520px;margin:2rem auto;text-align:center}
.amount-big{font-size:1.8rem;font-weight:700;margin:.25rem 0 1rem}
ul.items{list-style:none;margin:0;padding:0}
ul.items li{display:flex;justify-content:space-between;gap:.75rem;padding:.6rem 0;border-block-end:1px solid var(--line)}
.item-name{font-weight:500;overflow-wrap:anywhere}
.item-meta{color:var(--muted);font-size:.9rem}
.item-total{white-space:nowrap;font-variant-numeric:tabular-nums}
.qty-form{display:flex;align-items:center;gap:.4rem;margin-top:.35rem;flex-wrap:wrap}
.qty-form .field{flex-direction:row;align-items:center;margin:0}
.qty-form label{font-weight:400;color:var(--muted)}
.qty-form input{width:5rem}
.qty-form button{padding:.5rem .8rem}
dl.totals{margin:1rem 0 0;text-align:start}
dl.totals>div{display:flex;justify-content:space-between;align-items:baseline;gap:.75rem;padding:.2rem 0}
dl.totals dt{color:var(--muted);flex:none;max-width:60%}dl.totals dd{margin:0;min-width:0;text-align:end;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
dl.totals>.grand{font-weight:700;font-size:1.1rem;margin-top:.35rem;padding-top:.5rem;border-block-start:1px solid var(--line)}
dl.totals>.grand dt{color:var(--fg)}
fieldset{border:0;margin:0 0 1rem;padding:0;min-width:0}
legend{font-weight:600;margin-bottom:.5rem;padding:0}
.field{display:flex;flex-direction:column;gap:.25rem;margin-bottom:.75rem;min-width:0}
.row{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:.75rem}
label{font-size:.9rem;font-weight:500}
.opt{color:var(--muted);font-weight:400}
input,select{font:inherit;width:100%;min-width:0;padding:.6rem .7rem;border:1px solid var(--line);border-radius:8px;background:#fff;color:var(--fg)}
input:focus,select:focus{outline:2px solid var(--primary);outline-offset:1px}
input[aria-invalid=true],select[aria-invalid=true]{border-color:var(--error)}
input[type=checkbox]{width:auto}
.check{flex-direction:row;align-items:center;gap:.5rem}
.field-error{color:var(--error);font-size:.85rem}
.alert{background:#fef3f2;color:var(--error);border:1px solid #fecdca;border-radius:8px;padding:.75rem;margin-bottom:1rem}
.alert p{margin:0}.alert ul{margin:.4rem 0 0;padding-inline-start:1.25rem}.alert a{color:var(--error)}
.layout>.summary{grid-column:1/-1;margin:0;font-weight:500}
.alert:focus{outline:2px solid var(--error);outline-offset:2px}
[dir=rtl] input[dir=ltr]{text-align:right}
input,select{scroll-margin-block:6rem}
.notice{background:#ecfdf3;color:#05603a;border:1px solid #abefc6;border-radius:8px;padding:.75rem;margin-bottom:1rem}
button,.button{display:inline-block;font:inherit;font-weight:600;border:0;border-radius:8px;padding:.75rem 1rem;background:var(--primary);color:#fff;cursor:pointer;text-decoration:none;text-align:center}
button.secondary{background:#fff;color:var(--fg);border:1px solid var(--line)}
button.danger{background:var(--error)}
.pay{width:100%;font-size:1.05rem;margin-top:.5rem}
.inline{display:flex;gap:.5rem;align-items:flex-end}
.inline .field{flex:1;margin:0}
.promo{margin-top:1rem;justify-content:space-between;align-items:flex-end}
.cancel{display:block;text-align:center;margin-top:1rem;color:var(--muted)}
.actions{display:flex;gap:.75rem;justify-content:center;flex-wrap:wrap}
.methods ul{list-style:none;margin:0 0 1rem;padding:0;display:flex;flex-wrap:wrap;gap:.4rem}
.methods a{display:inline-block;padding:.4rem .65rem;border:1px solid var(--line);border-radius:999px;color:var(--fg);text-decoration:none;font-size:.9rem}
.methods a[aria-current]{border-color:var(--primary);outline:1px solid var(--primary);font-weight:600}
.foot{text-align:center;color:var(--muted);font-size:.8rem;padding:1rem}
`;
