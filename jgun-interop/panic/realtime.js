#!/usr/bin/env node
'use strict';
// Browser realtime check: two separate Chromium contexts (tabs that share nothing) load a page with
// node_modules/gun/gun.js, both Gun({peers: [relay]}). Tab B subscribes with
// gun.get(soul).get('v').on(cb); tab A puts 1..20 to `v`, each after the previous put's ack, then
// 21..40 pipelined (no waiting). B must see every value, in order. An initial undefined/absent value
// and repeats of the value just seen are recorded, not failures, unless Gun.js's relay shows none and
// jgun's does (repeats are compared when both relays run). Puts must all be acked, B must see the values
// in increasing order and the last one; skipped intermediate values fail a relay unless expected.js
// (realtime.skipsIntermediateValues) lists it: both relays skip some today.
//
//   node realtime.js [--relays gunjs,jgun] [--json FILE]
//
// Relays: a stock Gun.js relay (lib/gunjs-relay.js) and a jgun relay (bin/jgun relay --memory), each
// started fresh on a free loopback port. REALTIME_JGUN_EXPECT_FAIL=0|1 overrides expected.js for jgun;
// REALTIME_TRACE=1 prints every frame B heard and the relay's output.
const fs = require('fs');
const os = require('os');
const net = require('net');
const path = require('path');
const http = require('http');
const childProcess = require('child_process');
const { chromium } = require('playwright-core');
const expected = require('./expected');

const HERE = __dirname;
const ROOT = path.resolve(HERE, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ACKED = 20;
const PIPELINED = 20;
const WAIT_MS = 15000;

const args = process.argv.slice(2);
let relays = (process.env.REALTIME_RELAYS || 'gunjs,jgun').split(',').filter(Boolean);
let jsonOut = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--relays') relays = args[++i].split(',').filter(Boolean);
  else if (args[i] === '--json') jsonOut = path.resolve(args[++i]);
  else { console.error('unknown argument ' + args[i]); process.exit(2); }
}
const skips = Object.assign({}, expected.realtime.skipsIntermediateValues);
if (process.env.REALTIME_JGUN_EXPECT_FAIL !== undefined) skips.jgun = process.env.REALTIME_JGUN_EXPECT_FAIL === '1';

const children = [];
process.on('exit', () => children.forEach((c) => { try { c.kill('SIGKILL'); } catch (e) { /* gone */ } }));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

function waitForPort(port, timeoutMs) {
  const end = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    (function poll() {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); resolve(); });
      s.on('error', () => (Date.now() > end ? reject(new Error('port ' + port + ' not accepting after ' + timeoutMs + ' ms')) : setTimeout(poll, 100)));
    })();
  });
}

async function startRelay(kind) {
  const port = await freePort();
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'jgun-realtime-' + kind + '-'));
  const child = kind === 'jgun'
    ? childProcess.spawn(path.join(ROOT, 'bin', 'jgun'), ['relay', '--port', String(port), '--memory'],
      { stdio: ['pipe', 'pipe', 'pipe'], env: Object.assign({ JGUN_JAVA_OPTS: '-Xmx512m -XX:+UseSerialGC' }, process.env) })
    : childProcess.spawn(process.execPath, [path.join(HERE, 'lib', 'gunjs-relay.js'), String(port), data],
      { stdio: ['pipe', 'pipe', 'pipe'], env: Object.assign({}, process.env, process.env.REALTIME_TRACE ? { GUNJS_RELAY_TRACE: '1' } : {}) });
  children.push(child);
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  try {
    await waitForPort(port, 120000);
  } catch (e) {
    throw new Error(kind + ' relay did not start: ' + e.message + '\n' + output.slice(-2000));
  }
  return { kind, port, url: 'http://127.0.0.1:' + port + '/gun', stop: () => { child.kill('SIGKILL'); fs.rmSync(data, { recursive: true, force: true }); }, output: () => output };
}

function startStatic() {
  const gunJs = fs.readFileSync(path.join(HERE, 'node_modules', 'gun', 'gun.js'));
  const page = '<!doctype html><meta charset="utf-8"><title>realtime</title><script src="/gun.js"></script><p>jgun realtime check</p>';
  const server = http.createServer((req, res) => {
    if (req.url === '/favicon.ico') { res.writeHead(204); res.end(); return; }
    if (req.url === '/gun.js') { res.writeHead(200, { 'content-type': 'application/javascript' }); res.end(gunJs); return; }
    if (req.url === '/' || req.url.startsWith('/?')) { res.writeHead(200, { 'content-type': 'text/html' }); res.end(page); return; }
    res.writeHead(404); res.end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function openTab(browser, origin, relayUrl, name) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.log('  [' + name + ' console] ' + m.text()); });
  await page.goto(origin + '/');
  await page.evaluate((url) => {
    window.gun = Gun({ peers: [url] });
  }, relayUrl);
  // connected: a peer with an open WebSocket
  await page.waitForFunction(() => {
    const peers = window.gun._.opt.peers;
    return Object.keys(peers).some((k) => peers[k].wire && peers[k].wire.readyState === 1);
  }, null, { timeout: 20000 });
  return page;
}

async function check(browser, origin, relay) {
  const soul = 'realtime-' + relay.kind + '-' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  const a = await openTab(browser, origin, relay.url, 'A');
  const b = await openTab(browser, origin, relay.url, 'B');
  await b.evaluate((s) => {
    window.seen = [];
    window.heard = [];
    const mesh = window.gun.back('opt.mesh');
    const hear = mesh.hear;
    mesh.hear = function (raw, peer) {
      window.heard.push(typeof raw === 'string' ? raw : String(raw));
      return hear.apply(this, arguments);
    };
    window.gun.get(s).get('v').on((v) => { window.seen.push(v === undefined ? '(undefined)' : v); });
  }, soul);
  await b.waitForTimeout(1000); // B's subscription reaches the relay
  const writer = await a.evaluate(async ({ s, acked, pipelined }) => {
    const ref = window.gun.get(s).get('v');
    const errors = [];
    const t0 = Date.now();
    for (let i = 1; i <= acked; i++) {
      await new Promise((resolve) => {
        const to = setTimeout(() => { errors.push('no ack for ' + i + ' within 5 s'); resolve(); }, 5000);
        ref.put(i, (ack) => { clearTimeout(to); if (ack.err) errors.push('put ' + i + ': ' + ack.err); resolve(); });
      });
    }
    const acks = [];
    for (let i = acked + 1; i <= acked + pipelined; i++) {
      acks.push(new Promise((resolve) => {
        const to = setTimeout(() => { errors.push('no ack for ' + i + ' within 5 s'); resolve(); }, 5000);
        ref.put(i, (ack) => { clearTimeout(to); if (ack.err) errors.push('put ' + i + ': ' + ack.err); resolve(); });
      }));
    }
    await Promise.all(acks);
    return { errors, ms: Date.now() - t0 };
  }, { s: soul, acked: ACKED, pipelined: PIPELINED });
  const last = ACKED + PIPELINED;
  try {
    await b.waitForFunction((n) => window.seen.indexOf(n) >= 0, last, { timeout: WAIT_MS });
  } catch (e) { /* judged below */ }
  await b.waitForTimeout(1000); // late repeats
  const seen = await b.evaluate(() => window.seen.slice());
  const heard = await b.evaluate(() => window.heard.slice());
  if (process.env.REALTIME_TRACE) {
    heard.forEach((h) => console.log('  B heard: ' + h.slice(0, 300)));
    console.log('  relay output:\n' + relay.output());
  }
  await a.context().close();
  await b.context().close();

  const values = seen.filter((v) => typeof v === 'number');
  const distinct = values.filter((v, i) => i === 0 || v !== values[i - 1]);
  const want = Array.from({ length: last }, (_, i) => i + 1);
  const missing = want.filter((v) => distinct.indexOf(v) < 0);
  const inOrder = distinct.every((v, i) => i === 0 || v > distinct[i - 1]);
  const repeats = values.length - distinct.length;
  const complete = missing.length === 0 && inOrder && distinct.length === last;
  return {
    relay: relay.kind, soul, writerMs: writer.ms, writerErrors: writer.errors,
    seenCount: seen.length, seen, missing, inOrder, repeats,
    nonNumbers: seen.filter((v) => typeof v !== 'number'),
    complete,
  };
}

(async () => {
  const results = [];
  let ok = true;
  const server = await startStatic();
  const origin = 'http://127.0.0.1:' + server.address().port;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    for (const kind of relays) {
      const relay = await startRelay(kind);
      try {
        const r = await check(browser, origin, relay);
        results.push(r);
        console.log(kind + ': B saw ' + r.seenCount + ' callbacks: ' + JSON.stringify(r.seen));
        console.log(kind + ': ' + (r.complete ? 'every value 1..40 in order' : 'INCOMPLETE: missing ' + r.missing.length +
          ' values (' + r.missing.slice(0, 12).join(',') + (r.missing.length > 12 ? ',...' : '') + ')' + (r.inOrder ? '' : ', out of order')) +
          ', repeats ' + r.repeats + ', non-values ' + JSON.stringify(r.nonNumbers) +
          ', writer ' + r.writerMs + ' ms' + (r.writerErrors.length ? ', writer errors: ' + r.writerErrors.join('; ') : ''));
      } finally {
        relay.stop();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  const gunjs = results.find((r) => r.relay === 'gunjs');
  const summary = {};
  for (const r of results) {
    const problems = [];
    if (!r.inOrder) problems.push('values out of order');
    if (r.seen.indexOf(ACKED + PIPELINED) < 0) problems.push('never saw the last value ' + (ACKED + PIPELINED));
    if (r.writerErrors.length) problems.push('writer: ' + r.writerErrors.join('; '));
    if (r.relay === 'jgun' && gunjs && r.repeats > 0 && gunjs.repeats === 0) problems.push(r.repeats + ' repeated values (Gun.js relay: none)');
    const skipped = r.missing.filter((v) => v !== ACKED + PIPELINED);
    let verdict;
    if (skipped.length && !skips[r.relay]) problems.push('skipped ' + skipped.length + ' of ' + (ACKED + PIPELINED) + ' values');
    if (problems.length) { verdict = 'FAILED: ' + problems.join('; '); ok = false; }
    else if (skipped.length) verdict = 'passed, skipping ' + skipped.length + ' intermediate values (listed in expected.js)';
    else verdict = 'passed, every value' + (skips[r.relay] ? ' (listed as skipping values: flip expected.js realtime.skipsIntermediateValues.' + r.relay + '?)' : '');
    summary[r.relay] = verdict + '; B saw ' + JSON.stringify(r.seen);
    console.log(r.relay + ': ' + verdict);
  }
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ ok, summary, results }, null, 2));
  process.exit(ok ? 0 : 1);
})().catch((e) => {
  console.error('realtime check error: ' + (e && e.stack || e));
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ ok: false, summary: { error: String(e && e.message || e) } }));
  process.exit(1);
});
