// Reading and checking the card element's fields before anything is sent (the server checks
// again; this only spares a round trip and tells the element when it is complete).
export interface CardFields {
  number: string;
  exp: string;
  cvc: string;
  name: string;
}

export interface ReadCard {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  name: string;
}

export type CardCheck = { ok: true; card: ReadCard } | { ok: false; param: string; message: string };

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export function checkCard(f: CardFields): CardCheck {
  const number = f.number.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number) || !luhn(number)) return { ok: false, param: 'card.number', message: 'Your card number is incomplete or invalid.' };
  const exp = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(f.exp);
  const month = exp ? Number(exp[1]) : 0;
  if (!exp || month < 1 || month > 12) return { ok: false, param: 'card.exp', message: "Your card's expiry date is incomplete." };
  const year = exp[2]!.length === 2 ? 2000 + Number(exp[2]) : Number(exp[2]);
  if (!/^\d{3,4}$/.test(f.cvc.trim())) return { ok: false, param: 'card.cvc', message: "Your card's security code is incomplete." };
  if (f.name.trim() === '') return { ok: false, param: 'card.name', message: 'Enter the name on the card.' };
  return { ok: true, card: { number, expMonth: month, expYear: year, cvc: f.cvc.trim(), name: f.name.trim() } };
}
