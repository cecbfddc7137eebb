// An open-loop load: `send(i)` is called `rate` times a second for `seconds` (10 ms ticks), without
// waiting for earlier calls, as independent clients would; resolves once every call has settled.
export async function openLoop({ rate, seconds, send }) {
  const pending = new Set();
  let n = 0;
  let ok = 0;
  let owed = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (owed += rate / 100; owed >= 1; owed--) {
      const p = Promise.resolve(send(n++))
        .then((good) => {
          if (good !== false) ok++;
        }, () => {})
        .finally(() => pending.delete(p));
      pending.add(p);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(pending);
  return { sent: n, ok };
}
