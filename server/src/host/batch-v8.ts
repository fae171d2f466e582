/**
 * V8 settings for a batch run (its tier-up and its heap policy): the `factorlint` CLI process,
 * never the language server.
 *
 * V8 optimises a function with TurboFan once it has run for an "interrupt budget" of bytecode.
 * A CLI scan runs the compiler's parser, the engine, ~50 rules and the model facts over each
 * file once: hundreds of functions become hot for a few hundred milliseconds each, and compiling
 * them was a third of a `--jobs 1` run's CPU (on background threads: 574 optimised compilations
 * on typeorm's 984 files against 326 for the bare parser, "CLI CPU over the floor" in
 * docs/performance.md). A larger budget lets briefly hot code finish in the interpreter and
 * baseline code instead, while the parser's and the rules' really hot loops still get optimised
 * early in a run. Measured (wave 6, load 5–9): the ~1,000-file packages (typeorm, NestJS, rxjs)
 * spent 10–25% less CPU, half the optimised compilations; 3,000 and 12,000 files: within the
 * noise. The bare parser gains from it too (7–18%): it is V8's warm-up, not only ours.
 *
 * The batch run also turns off V8's allocation-site pretenuring. The role pre-pass keeps the
 * parse of each file it had to parse (type-only imports, shutdown handling) until that file's
 * analysis, so the parser's node allocations survive young-generation collections; V8 then
 * allocates every later node of those sites directly in the old generation, where the garbage of
 * thousands of parses piles up between full collections. Measured on the bench workspace (14.8k
 * files, `--jobs 1`, 2 runs each): CPU −15% (Node 20) and −17% (Node 24), GC 3.7 → 1.4 s, peak
 * RSS 1.3 → 0.7 GB (Node 24: 1.7 → 0.8 GB), same findings ("CLI CPU over the floor, wave 12").
 *
 * The language server keeps V8's defaults: it runs for hours, where optimising early pays back.
 */
import * as v8 from 'node:v8';

/** Bytecode budget before a function is considered for optimisation (V8's default is 132 KB). */
export const BATCH_INTERRUPT_BUDGET = 400_000;

/** Allocation-site pretenuring off (see above). */
export const BATCH_NO_PRETENURING = '--no-allocation-site-pretenuring';

/** The flags, each unless the user already chose that setting (`node --interrupt-budget=… factorlint`; NODE_OPTIONS cannot carry them). */
export function batchV8Flags(execArgv: readonly string[] = process.execArgv): string[] {
  const chose = (pattern: RegExp) => execArgv.some((arg) => pattern.test(arg));
  return [
    ...(chose(/^--interrupt[-_]budget\b/) ? [] : [`--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`]),
    ...(chose(/^--(?:no-)?allocation[-_]site[-_]pretenuring\b/) ? [] : [BATCH_NO_PRETENURING]),
  ];
}

/**
 * Applies the batch flags to this process (all its threads: V8's flags are per process). Call
 * it first thing in a CLI process, before the engine and the compiler run: functions count
 * their budget from their first call. Returns the flags applied.
 */
export function tuneV8ForBatch(execArgv: readonly string[] = process.execArgv): string[] {
  const flags = batchV8Flags(execArgv);
  const applied: string[] = [];
  for (const flag of flags) {
    try {
      v8.setFlagsFromString(flag);
      applied.push(flag);
    } catch {
      // an optimisation only
    }
  }
  return applied;
}
