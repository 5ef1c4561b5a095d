'use strict';
// Loaded into every node process of a PANIC run (NODE_OPTIONS=--require .../preload.js): the mocha
// process, the panic-client relay processes panic-manager forks, and their helpers. It adapts Gun.js's
// own tests in node_modules/gun/test/panic at run time, without copying or editing them on disk:
//  * require('ip') answers 127.0.0.1, so every address the tests build is loopback;
//  * require('puppeteer') is puppeteer-core launching Debian's Chromium (shims/puppeteer.js);
//  * the test files are compiled with two textual substitutions (patchSource): the PANIC port comes
//    from PANIC_PORT (free ports chosen by run.js), mocha's 10-minute step timeout is capped at
//    PANIC_STEP_TIMEOUT_MS, and nothing else changes;
//  * in a relay process, the tests' ROD_PATH hook (written for a Rust port) spawns our relay script and
//    then calls test.done() at once: spawn() is wrapped so that it returns only once the relay's port
//    accepts connections (browsers must not connect before the relay is up), and the relay is killed
//    (SIGKILL, i.e. crashed) when the process that spawned it exits, as Gun.js's in-process relay would.
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

if (process.env.ROD_PATH) {
  const childProcess = require('child_process');
  const spawn = childProcess.spawn;
  const children = [];
  childProcess.spawn = function (file, args, ...rest) {
    const child = spawn.call(this, file, args, ...rest);
    if (file !== process.env.ROD_PATH) {
      return child;
    }
    children.push(child);
    const portAt = (args || []).indexOf('--port');
    const port = portAt >= 0 ? Number(args[portAt + 1]) : NaN;
    child.on('exit', (code, signal) => {
      console.log('[panic-jgun] relay on port ' + port + ' (pid ' + child.pid + ') exited: ' + (signal || code));
    });
    if (port) {
      waitForPort(port, child.pid, Number(process.env.PANIC_RELAY_START_MS) || 45000);
    }
    return child;
  };
  process.on('exit', () => {
    for (const child of children) {
      try { child.kill('SIGKILL'); } catch (e) { /* already gone */ }
    }
  });
}

// Blocks this process until 127.0.0.1:port accepts a connection (a synchronous child does the polling),
// the relay process `pid` is gone, or timeoutMs passed.
function waitForPort(port, pid, timeoutMs) {
  const script = `
    const net = require('net'); const end = Date.now() + ${timeoutMs};
    const alive = () => { try { process.kill(${pid}, 0); return true; } catch (e) { return false; } };
    (function poll() {
      const s = net.connect(${port}, '127.0.0.1');
      s.on('connect', () => { s.destroy(); process.exit(0); });
      s.on('error', () => {
        if (!alive()) { process.exit(2); }
        if (Date.now() > end) { process.exit(1); }
        setTimeout(poll, 100);
      });
    })();`;
  const started = Date.now();
  const r = require('child_process').spawnSync(process.execPath, ['-e', script],
    { stdio: 'ignore', env: Object.assign({}, process.env, { NODE_OPTIONS: '' }) });
  const took = Date.now() - started;
  if (r.status === 0) {
    console.log('[panic-jgun] relay on port ' + port + ' accepts connections (' + took + ' ms)');
  } else {
    console.log('[panic-jgun] relay on port ' + port + (r.status === 2 ? ' ended before it accepted connections'
      : ' did not accept connections within ' + timeoutMs + ' ms'));
  }
}
