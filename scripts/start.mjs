// `npm start`: the dev server, with the browser opened on it only where there is a desktop to open
// it on. `vite --open` on a machine without one (a server, a container, CI, ssh without X) calls
// xdg-open, which is missing or has no display, and prints an error or stops the server; here such a
// machine gets the address to open from another computer instead. BROWSER=none (Vite's own switch)
// never opens one. Options of Vite's command line: `npm run dev -- --host` etc.
import { createServer } from 'vite';

const hasDesktop = process.platform === 'darwin' || process.platform === 'win32' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const open = hasDesktop && process.env.BROWSER !== 'none';

const server = await createServer({ server: { open } });
await server.listen();
server.printUrls();
server.bindCLIShortcuts({ print: true });
if (!open) {
  const url = server.resolvedUrls?.local[0] ?? `http://localhost:${server.config.server.port}/`;
  const why = hasDesktop ? 'BROWSER=none' : 'no desktop here (DISPLAY and WAYLAND_DISPLAY are unset)';
  console.log(`\n  Not opening a browser: ${why}. Open ${url} in a browser on this machine, or run \`npm run dev -- --host\` to reach it from another one.\n`);
}
