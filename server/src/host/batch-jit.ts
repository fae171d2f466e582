/**
 * V8's tier-up for a batch run: the `factorlint` CLI process, never the language server.
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
 * The language server keeps V8's defaults: it runs for hours, where optimising early pays back.
 */
import * as v8 from 'node:v8';

/** Bytecode budget before a function is considered for optimisation (V8's default is 132 KB). */
export const BATCH_INTERRUPT_BUDGET = 400_000;

/** The flag, unless the user already chose a budget (`node --interrupt-budget=… factorlint`; NODE_OPTIONS cannot carry it). */
export function batchJitFlags(execArgv: readonly string[] = process.execArgv): string[] {
  return execArgv.some((arg) => /^--interrupt[-_]budget\b/.test(arg)) ? [] : [`--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`];
}

/**
 * Applies the batch budget to this process (all its threads: V8's flags are per process). Call
 * it first thing in a CLI process, before the engine and the compiler run: functions count
 * their budget from their first call. Returns the flags applied.
 */
export function tuneJitForBatch(execArgv: readonly string[] = process.execArgv): string[] {
  const flags = batchJitFlags(execArgv);
  for (const flag of flags) {
    try {
      v8.setFlagsFromString(flag);
    } catch {
      return []; // an optimisation only
    }
  }
  return flags;
}
