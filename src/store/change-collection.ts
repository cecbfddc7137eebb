// Turning what changed in memory into one journal line (decision 0008): every namespace's change
// since the last line (namespace-changes.ts tells what), drops of reset or evicted namespaces,
// and, under XPAY_SIM_VERIFY_JOURNAL=1, the check that replaying the line gives memory back.
// persistence.ts decides when a line is taken and where it is written.
import { dumpNamespace, type NamespaceDump } from '../control/ns-state.js';
import type { Simulator } from '../simulator.js';
import type { EpochSource, MapChanges } from './change-tracking.js';
import type { NamespaceChange, ReplayState } from './journal-format.js';
import type { Namespace } from './namespace.js';
import { changeOf, fullChange, sameShape, type NamespaceTrack } from './namespace-changes.js';

/** What persistence knows of the journal's view of memory (Persistence implements it). */
export interface JournalView extends EpochSource {
  readonly sim: Simulator;
  /** Namespaces whose state the journal holds, with what it last recorded. */
  readonly known: Map<string, NamespaceTrack>;
  /** Evicted namespaces removed by a reset of everything: journaled as dropped with the next line. */
  readonly dropped: Set<string>;
  /** Operations running now, with the epoch they started in. */
  readonly running: Set<{ epoch: number }>;
  /** Tracked collections with changes not yet journaled. */
  readonly active: Set<MapChanges>;
  /** XPAY_SIM_VERIFY_JOURNAL=1: the journal replayed so far. */
  shadow: ReplayState | undefined;
  /** Starts watching a namespace whose current state the journal holds. */
  track(ns: Namespace): NamespaceTrack;
}

/** One journal record with everything that changed since the last one, or undefined. */
export function collectChanges(view: JournalView): string | undefined {
  const changes: NamespaceChange[] = [];
  for (const key of view.dropped) changes.push({ key, drop: true });
  view.dropped.clear();
  for (const key of view.known.keys()) {
    if (!view.sim.namespaces.has(key)) {
      changes.push({ key, drop: true });
      view.known.delete(key);
    }
  }
  for (const [key, ns] of view.sim.namespaces) {
    // Deliveries built after an answer go into the same commit as the event they announce.
    ns.settle();
    const t = view.known.get(key);
    if (!t || !sameShape(t, ns)) {
      // New, reset or restored: the whole namespace, once.
      changes.push(fullChange(ns));
      view.track(ns);
      continue;
    }
    const change = changeOf(t, ns, view);
    if (change) changes.push(change);
  }
  const keepFrom = Math.min(Infinity, ...[...view.running].map((op) => op.epoch));
  for (const m of view.active) {
    m.written(keepFrom);
    if (!m.pending) view.active.delete(m);
  }
  view.epoch++;
  if (changes.length === 0) return undefined;
  const text = JSON.stringify({ at: Date.now(), c: changes }) + '\n';
  if (view.shadow) {
    try {
      verifyLine(view.sim, view.shadow, text);
    } catch (e) {
      process.stderr.write(`xpay-sim: ${(e as Error).message}\n`);
      throw e;
    }
  }
  return text;
}

/** XPAY_SIM_VERIFY_JOURNAL=1 (tests): replays the record and compares the result with memory. */
function verifyLine(sim: Simulator, shadow: ReplayState, text: string): void {
  shadow.apply(JSON.parse(text));
  for (const [key, ns] of sim.namespaces) {
    const live = dumpNamespace(ns);
    const journaled = shadow.dump(key);
    const norm = (d: NamespaceDump | undefined) => d && JSON.stringify({ ...d, clock: { ...d.clock, now: d.clock.mode === 'real' ? 0 : d.clock.now } });
    if (norm(live) !== norm(journaled)) {
      const a = norm(live)!;
      const b = norm(journaled) ?? '';
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      throw new Error(`journal verification: namespace ${key} differs from memory near …${a.slice(Math.max(0, i - 200), i + 100)}… vs …${b.slice(Math.max(0, i - 200), i + 100)}…`);
    }
  }
}
