// Deterministic ids: XPay prefixes plus base62 drawn from a seeded PRNG (one per namespace).
import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE62_CODES = Array.from(BASE62, (c) => c.charCodeAt(0));

/** sfc32 generator: small, fast and fully determined by its seed. */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    const h = createHash('sha256').update(seed).digest();
    this.a = h.readUInt32LE(0);
    this.b = h.readUInt32LE(4);
    this.c = h.readUInt32LE(8);
    this.d = h.readUInt32LE(12);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** `length` random base62 characters after `prefix`, as one flat string. */
  base62(length: number, prefix = ''): string {
    // Built from char codes: `+=` or a template would leave a rope (cons string) that every
    // stored id then carries as extra objects.
    const codes = new Array<number>(prefix.length + length);
    for (let i = 0; i < prefix.length; i++) codes[i] = prefix.charCodeAt(i);
    for (let i = prefix.length; i < codes.length; i++) codes[i] = BASE62_CODES[this.nextUint32() % 62]!;
    return String.fromCharCode.apply(null, codes);
  }

  hex(bytes: number): string {
    let out = '';
    for (let i = 0; i < bytes; i++) out += (this.nextUint32() & 0xff).toString(16).padStart(2, '0');
    return out;
  }

  /** Internal state, so snapshots can resume the exact same id sequence. */
  state(): [number, number, number, number] {
    return [this.a, this.b, this.c, this.d];
  }

  restore(state: [number, number, number, number]): void {
    [this.a, this.b, this.c, this.d] = state;
  }
}

export class IdGenerator {
  constructor(
    readonly random: SeededRandom,
    private readonly livemode: boolean,
  ) {}

  /** `prefix` like 'cs' gives cs_test_… / cs_live_…; plain prefixes ('cus') get no mode marker. */
  next(prefix: string, withMode = false): string {
    const mode = withMode ? (this.livemode ? 'live_' : 'test_') : '';
    return this.random.base62(22, `${prefix}_${mode}`);
  }
}
