/**
 * Variables a package.json script sets for the command it runs: `BUILD_ENV=pre npm run build`,
 * `cross-env NODE_ENV=production X=1 node app.js`, `env X=1 node app.js`, `export X=1 && …`.
 * The script is then where the variable's value is written down, as a Dockerfile `ENV` would be.
 */
import { argv, basename as programName, shellCommands } from '../../parse/shell';

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;
/** Programs whose leading `NAME=value` arguments set the environment of the command after them. */
const ENV_SETTERS = new Set(['cross-env', 'cross-env-shell', 'env', 'export', 'set']);

export function scriptAssignedVars(script: string): string[] {
  const names = new Set<string>();
  for (const command of shellCommands(script)) {
    const words = command.words;
    // the words before the program (reserved words, `NAME=value` assignments)
    const first = words.length - argv(command).length;
    for (const w of words.slice(0, first)) {
      const m = ASSIGNMENT.exec(w.value);
      if (m) names.add(m[1]);
    }
    // `cross-env A=1 B=2 cmd`, `export A=1`: assignments right after the setter
    for (let i = 0; i < words.length; i++) {
      if (!ENV_SETTERS.has(programName(words[i].value))) continue;
      for (let j = i + 1; j < words.length; j++) {
        const m = ASSIGNMENT.exec(words[j].value);
        if (!m) break;
        names.add(m[1]);
      }
    }
  }
  return [...names].sort();
}
