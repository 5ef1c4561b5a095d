'use strict';
// Loaded into every node process of a PANIC run (NODE_OPTIONS=--require .../preload.js): the mocha
// process, the panic-client relay processes panic-manager forks, and their helpers. It adapts Gun.js's
// own tests in node_modules/gun/test/panic at run time, without copying or editing them on disk:
//  * require('ip') answers 127.0.0.1, so every address the tests build is loopback;
//  * require('puppeteer') is puppeteer-core launching Debian's Chromium (shims/puppeteer.js);
//  * the test files are compiled with two textual substitutions (patchSource): the PANIC port comes
//    from PANIC_PORT (free ports chosen by run.js), mocha's 10-minute step timeout is capped at
//    PANIC_STEP_TIMEOUT_MS, and nothing else changes;
//  * the tests' ROD_PATH hook (written for a Rust port) spawns our relay script in a relay process and
//    calls test.done() at once: spawn() is wrapped to register the relay (a file "<port>-<pid>" in
//    PANIC_RELAY_DIR), and in the mocha process every PANIC job (Client#run) resolves only once each
//    registered relay accepts connections, so browsers never connect before the relays listen; the
//    relay is killed (SIGKILL, i.e. crashed) when the process that spawned it exits, as Gun.js's
//    in-process relay would be.
const Module = require('module');
const path = require('path');
const fs = require('fs');

const SHIMS = {
  ip: path.join(__dirname, 'shims', 'ip.js'),
  puppeteer: path.join(__dirname, 'shims', 'puppeteer.js'),
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (Object.prototype.hasOwnProperty.call(SHIMS, request)) {
    return SHIMS[request];
  }
  return resolve.call(this, request, ...rest);
};

const PANIC_DIR = path.join(path.dirname(require.resolve('gun/package.json', { paths: [__dirname] })),
  'test', 'panic') + path.sep;

function patchSource(src) {
  const cap = Number(process.env.PANIC_STEP_TIMEOUT_MS) || 60000;
  return src
    .replace(/port:\s*8765\b/g, 'port: (Number(process.env.PANIC_PORT) || 8765)')
    .replace(/this\.timeout\(([^()]*(?:\([^()]*\))?[^()]*)\)/g, 'this.timeout(Math.min(' + cap + ', $1))');
}
module.exports.patchSource = patchSource;

const loadJs = Module._extensions['.js'];
Module._extensions['.js'] = function (module, filename) {
  if (filename.startsWith(PANIC_DIR)) {
    module._compile(patchSource(fs.readFileSync(filename, 'utf8')), filename);
    return;
  }
  loadJs(module, filename);
};

const RELAYS = process.env.PANIC_RELAY_DIR; // one file per running foreign relay: "<port>-<pid>"

if (process.env.ROD_PATH && RELAYS) {
  // a relay process: spawn the relay, register its port, never block (panic-client stays responsive)
  const childProcess = require('child_process');
  const spawn = childProcess.spawn;
  const children = [];
  childProcess.spawn = function (file, args, ...rest) {
    const child = spawn.call(this, file, args, ...rest);
    if (file !== process.env.ROD_PATH) {
      return child;
    }
    const portAt = (args || []).indexOf('--port');
    const port = portAt >= 0 ? Number(args[portAt + 1]) : NaN;
    const mark = path.join(RELAYS, port + '-' + child.pid);
    children.push({ child, mark });
    fs.writeFileSync(mark, String(Date.now()));
    child.on('exit', (code, signal) => {
      try { fs.unlinkSync(mark); } catch (e) { /* gone */ }
      console.log('[panic-jgun] relay on port ' + port + ' (pid ' + child.pid + ') exited: ' + (signal || code));
    });
    return child;
  };
  process.on('exit', () => {
    for (const { child, mark } of children) {
      try { fs.unlinkSync(mark); } catch (e) { /* gone */ }
      try { child.kill('SIGKILL'); } catch (e) { /* already gone */ }
    }
  });
}

if (RELAYS && /mocha-one\.js$/.test(process.argv[1] || '')) {
  // the mocha process: a PANIC job (client.run) counts as finished only once every registered relay
  // accepts connections, so browsers never connect before the relays listen (the hook's test.done()
  // comes right after the spawn)
  const Client = require(require.resolve('panic-server/src/Client.js', { paths: [__dirname] }));
  const run = Client.prototype.run;
  Client.prototype.run = function (job, props) {
    return run.call(this, job, props).then((value) => relaysReady().then(() => value));
  };
}

const ready = new Set();
function relaysReady() {
  const timeoutMs = Number(process.env.PANIC_RELAY_START_MS) || 45000;
  const marks = fs.readdirSync(RELAYS).filter((m) => !ready.has(m));
  return Promise.all(marks.map((mark) => {
    const port = Number(mark.split('-')[0]);
    const started = Date.now();
    return new Promise((resolve) => {
      (function poll() {
        if (!fs.existsSync(path.join(RELAYS, mark))) { resolve(); return; } // it exited
        const s = require('net').connect(port, '127.0.0.1');
        s.on('connect', () => {
          s.destroy();
          ready.add(mark);
          console.log('[panic-jgun] relay on port ' + port + ' accepts connections (' + (Date.now() - started) + ' ms after the job)');
          resolve();
        });
        s.on('error', () => {
          if (Date.now() - started > timeoutMs) {
            console.log('[panic-jgun] relay on port ' + port + ' did not accept connections within ' + timeoutMs + ' ms');
            ready.add(mark);
            resolve();
            return;
          }
          setTimeout(poll, 100);
        });
      })();
    });
  }));
}
