// Stops early, with the versions named, when this Node is outside package.json's `engines.node`
// (npm only warns). Written plainly so that an old Node can run it far enough to say so.
// The range is what the dependencies declare: Vite 8 (rolldown) needs ^20.19.0 || >=22.12.0,
// ESLint 10 ^20.19.0 || ^22.13.0 || >=24; Vitest 5 asks for Node 22.12+, and runs on 20.19+ with
// scripts/node20-polyfills.mjs (as the project's machines do).
import { readFileSync } from 'fs';

const range = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;
const have = process.versions.node.split('.').map(Number);

/** `^a.b.c` (same major, at least a.b.c) or `>=a.b.c` (at least a.b.c); nothing else is used here. */
function satisfies(term) {
  const match = /^(\^|>=)\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(term.trim());
  if (!match) throw new Error(`scripts/check-node.mjs cannot read the engines term "${term}" of package.json`);
  const want = [Number(match[2]), Number(match[3] || 0), Number(match[4] || 0)];
  if (match[1] === '^' && have[0] !== want[0]) return false;
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
}

const terms = range.split('||');
if (!terms.some(satisfies)) {
  const [, major, minor] = /(\d+)\.(\d+)/.exec(terms[0]).map(Number);
  const tooOld = have[0] < major || (have[0] === major && have[1] < minor);
  const needed = tooOld ? `Node ${major}.${minor} or later is needed (package.json engines: ${range})` : `Node ${range} is needed (this release line is not among them)`;
  console.error(`${needed}; this machine has ${process.versions.node}. Install a Node.js release in that range (nodejs.org, or nvm) and run again.`);
  process.exit(1);
}
