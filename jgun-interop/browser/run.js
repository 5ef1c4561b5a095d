#!/usr/bin/env node
'use strict';
// Browser end-to-end tests: Gun.js web apps (npm gun@0.2020.1241's gun.js and sea.js, as shipped) in
// Debian's Chromium, driven by playwright-core, against a jgun relay and, beside it, Gun.js's own relay.
// Every tab is its own browser context (they share no storage). Scenarios, per relay kind:
//   chain    put/once between two tabs, a stream of 20 updates seen in order by the other tab, map/set
//   sea      create, auth, a signed write, read by pub from another tab, a forged write refused by the
//            relay, a login from the other tab
//   offline  a tab writes while its relay restarts, then its writes reach a fresh tab
//   mixed    a browser tab, a Java client (jgun-client, via bin/jgun put/get) and a Gun.js node peer
//            all see each other's writes
//   mesh     two relays meshed (the second dials the first), a tab on each, writes both ways
// and, on the jgun relay only:
//   status   the status page (/status) under load: its numbers move; saves a screenshot (--screenshot)
//   chat     examples/chat served by the relay with --static: two users, messages both ways, history
//            after a reload
//
//   node run.js [--relays jgun,gunjs] [--scenarios chain,sea,...] [--json FILE] [--screenshot FILE]
//
// Exit code 0 only when every scenario passed on every relay. A failure line names the relay, the
// scenario and what the tab saw. Environment: CHROMIUM_PATH (default /usr/bin/chromium),
// BROWSER_TRACE=1 (the relays' output after each scenario).
const fs = require('fs');
const os = require('os');
const net = require('net');
const path = require('path');
const http = require('http');
const childProcess = require('child_process');
const { chromium } = require('playwright-core');

const HERE = __dirname;
const ROOT = path.resolve(HERE, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WAIT_MS = 20000;
const ALL = ['chain', 'sea', 'offline', 'mixed', 'mesh', 'status', 'chat'];
const JGUN_ONLY = new Set(['status', 'chat']);

const args = process.argv.slice(2);
let relayKinds = ['jgun', 'gunjs'];
let scenarios = ALL.slice();
let jsonOut = null;
let screenshot = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--relays') relayKinds = args[++i].split(',').filter(Boolean);
  else if (args[i] === '--scenarios') scenarios = args[++i].split(',').filter(Boolean);
  else if (args[i] === '--json') jsonOut = path.resolve(args[++i]);
  else if (args[i] === '--screenshot') screenshot = path.resolve(args[++i]);
  else { console.error('unknown argument ' + args[i]); process.exit(2); }
}
for (const s of scenarios) if (ALL.indexOf(s) < 0) { console.error('unknown scenario ' + s + '; known: ' + ALL.join(',')); process.exit(2); }

const children = new Set();
process.on('exit', () => children.forEach((c) => { try { process.kill(-c.pid, 'SIGKILL'); } catch (e) { /* gone */ } }));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

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

// A relay of `kind` on its own port and data folder; restart() starts it again on the same port and data.
async function startRelay(kind, opts = {}) {
  const port = opts.port || await freePort();
  const data = opts.data || fs.mkdtempSync(path.join(os.tmpdir(), 'jgun-browser-' + kind + '-'));
  const peers = opts.peers || [];
  let argv;
  let command;
  if (kind === 'jgun') {
    command = path.join(ROOT, 'bin', 'jgun');
    argv = ['relay', '--host', '127.0.0.1', '--port', String(port), '--data', path.join(data, 'jgun'), '--durability', 'WAL'];
    if (peers.length) argv.push('--peers', peers.join(','));
    if (opts.staticDir) argv.push('--static', opts.staticDir);
  } else {
    command = process.execPath;
    argv = [path.join(HERE, 'lib', 'gunjs-relay.js'), String(port), path.join(data, 'radata'), peers.join(','), opts.staticDir || ''];
  }
  const child = childProcess.spawn(command, argv, {
    stdio: ['pipe', 'pipe', 'pipe'], detached: true,
    env: Object.assign({ JGUN_JAVA_OPTS: '-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1' }, process.env),
  });
  children.add(child);
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  child.on('exit', () => children.delete(child));
  try {
    await waitForPort(port, 120000);
  } catch (e) {
    throw new Error(kind + ' relay did not start: ' + e.message + '\n' + output.slice(-2000));
  }
  const relay = {
    kind, port, data, url: 'http://127.0.0.1:' + port + '/gun', origin: 'http://127.0.0.1:' + port,
    output: () => output,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      try { process.kill(-child.pid, 'SIGTERM'); } catch (e) { resolve(); }
      setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch (e) { /* gone */ } }, 10000);
    }),
    restart: async () => { await relay.stop(); return startRelay(kind, Object.assign({}, opts, { port, data })); },
    remove: () => fs.rmSync(data, { recursive: true, force: true }),
  };
  return relay;
}

// The web app's own server: gun.js and sea.js exactly as npm ships them, and an empty page.
function startSite() {
  const files = {
    '/gun.js': fs.readFileSync(path.join(HERE, 'node_modules', 'gun', 'gun.js')),
    '/sea.js': fs.readFileSync(path.join(HERE, 'node_modules', 'gun', 'sea.js')),
  };
  const page = '<!doctype html><meta charset="utf-8"><title>app</title><script src="/gun.js"></script><script src="/sea.js"></script><p>jgun browser test</p>';
  const server = http.createServer((req, res) => {
    const f = files[req.url];
    if (f) { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(f); return; }
    if (req.url === '/' || req.url.startsWith('/?')) { res.writeHead(200, { 'content-type': 'text/html' }); res.end(page); return; }
    res.writeHead(404); res.end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

class Failure extends Error {}
function check(cond, what) { if (!cond) throw new Failure(what); }

const openContexts = [];

async function newPage(browser, name) {
  const context = await browser.newContext();
  openContexts.push(context);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(name + ': ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(m.text())) page.errors.push(name + ' console: ' + m.text()); });
  return page;
}

// A tab of the web app, Gun({peers}) and connected (a peer with an open WebSocket).
async function openTab(browser, origin, peers, name) {
  const page = await newPage(browser, name);
  await page.goto(origin + '/');
  await page.evaluate((p) => {
    // the frames this tab sent (the last 50), for failure messages
    window.said = [];
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      window.said.push(String(data).slice(0, 400));
      if (window.said.length > 50) window.said.shift();
      return send.apply(this, arguments);
    };
    window.gun = Gun({ peers: p });
    // the frames this tab heard (the last 50), for failure messages
    window.heard = [];
    const mesh = window.gun.back('opt.mesh');
    const hear = mesh.hear;
    mesh.hear = function (raw) {
      window.heard.push(String(raw).slice(0, 400));
      if (window.heard.length > 50) window.heard.shift();
      return hear.apply(this, arguments);
    };
  }, peers);
  await connected(page, name);
  return page;
}

async function connected(page, name, timeout) {
  try {
    await page.waitForFunction(() => {
      const peers = window.gun._.opt.peers;
      return Object.keys(peers).some((k) => peers[k].wire && peers[k].wire.readyState === 1);
    }, null, { timeout: timeout || WAIT_MS });
  } catch (e) {
    const state = await page.evaluate(() => Object.values(window.gun._.opt.peers).map((p) => ({
      url: p.url, readyState: p.wire && p.wire.readyState, retry: p.retry, hidden: document.hidden, online: navigator.onLine,
    }))).catch((x) => String(x));
    throw new Failure('tab ' + name + ' never connected to the relay: ' + JSON.stringify(state));
  }
}

async function waitFor(page, fn, arg, what) {
  try {
    await page.waitForFunction(fn, arg, { timeout: WAIT_MS });
  } catch (e) {
    throw new Failure(what);
  }
}

const uniq = (p) => p + '-' + Date.now().toString(36) + Math.random().toString(36).slice(2, 7);

// In the page: put `data` at `keys` (a path) and resolve with the ack's err, or 'no ack'.
const PUT = ({ keys, data }) => new Promise((resolve) => {
  let ref = window.gun;
  keys.forEach((k) => { ref = ref.get(k); });
  const to = setTimeout(() => resolve('no ack within 10 s'), 10000);
  ref.put(data, (ack) => { clearTimeout(to); resolve(ack.err || null); });
});

// --- scenarios (each gets a fresh relay) ---

async function chain(ctx) {
  const { browser, site } = ctx;
  const relay = await ctx.relay();
  const a = await openTab(browser, site, [relay.url], 'A');
  const b = await openTab(browser, site, [relay.url], 'B');
  const soul = uniq('chain');
  let err = await a.evaluate(PUT, { keys: [soul], data: { title: 'hello', n: 1 } });
  check(err === null, 'A put ' + soul + ': ' + err);
  const once = await b.evaluate((s) => new Promise((resolve) => {
    const to = setTimeout(() => resolve('(nothing within 10 s)'), 10000);
    // once() gives up after `wait` ms (Gun.js's default 99 ms: less than a loaded CI machine may take)
    window.gun.get(s).once((v) => { clearTimeout(to); resolve(v ? { title: v.title, n: v.n } : v); }, { wait: 3000 });
  }), soul);
  check(once && once.title === 'hello' && once.n === 1, 'B once(' + soul + ') saw ' + JSON.stringify(once));

  // a stream: B subscribes; A writes 0 (B seeing it means B is subscribed), then 1..20 each after its ack
  const stream = uniq('stream');
  await b.evaluate((s) => { window.seen = []; window.gun.get(s).get('v').on((v) => { window.seen.push(v); }); }, stream);
  err = await a.evaluate(PUT, { keys: [stream, 'v'], data: 0 });
  check(err === null, 'A put v=0: ' + err);
  await waitFor(b, () => window.seen.indexOf(0) >= 0, null, 'B never saw v=0 (saw ' + JSON.stringify(await b.evaluate(() => window.seen)) + ')');
  for (let i = 1; i <= 20; i++) {
    err = await a.evaluate(PUT, { keys: [stream, 'v'], data: i });
    check(err === null, 'A put v=' + i + ': ' + err);
  }
  try { await b.waitForFunction(() => window.seen.indexOf(20) >= 0, null, { timeout: WAIT_MS }); } catch (e) { /* judged below */ }
  const seen = await b.evaluate(() => window.seen.slice());
  const distinct = seen.filter((v, i) => i === 0 || v !== seen[i - 1]);
  const inOrder = distinct.every((v, i) => i === 0 || v > distinct[i - 1]);
  check(inOrder && distinct[distinct.length - 1] === 20, 'B saw the stream ' + JSON.stringify(seen) + ' (want 0..20 in order)');
  const missing = [];
  for (let i = 0; i <= 20; i++) if (distinct.indexOf(i) < 0) missing.push(i);
  // Gun.js's relay coalesces fast updates (see panic/expected.js realtime): every one is required of jgun
  if (relay.kind === 'jgun') check(!missing.length, 'B missed updates ' + JSON.stringify(missing) + ' of the stream: saw ' + JSON.stringify(seen));
  const note = missing.length ? 'missed ' + missing.length + ' of 21 updates (' + relay.kind + ')' : 'every update in order';

  // set/map: A adds 5 items to a list, B maps over it; B answers on a field A watches
  const list = uniq('list');
  for (let i = 1; i <= 5; i++) {
    err = await a.evaluate(({ l, i }) => new Promise((resolve) => {
      const to = setTimeout(() => resolve('no ack within 10 s'), 10000);
      window.gun.get(l).set({ i, label: 'item ' + i }, (ack) => { clearTimeout(to); resolve(ack.err || null); });
    }), { l: list, i });
    check(err === null, 'A set item ' + i + ': ' + err);
  }
  await b.evaluate((l) => { window.items = {}; window.gun.get(l).map().on((v) => { if (v && v.i) window.items[v.i] = v.label; }); }, list);
  await waitFor(b, () => Object.keys(window.items).length === 5, null,
    'B map() over the list saw ' + JSON.stringify(await b.evaluate(() => window.items)) + ' (want 5 items)');
  await a.evaluate((s) => { window.reply = undefined; window.gun.get(s).get('reply').on((v) => { window.reply = v; }); }, soul);
  err = await b.evaluate(PUT, { keys: [soul, 'reply'], data: 'from B' });
  check(err === null, 'B put reply: ' + err);
  await waitFor(a, () => window.reply === 'from B', null, 'A never saw B\'s reply (saw ' + JSON.stringify(await a.evaluate(() => window.reply)) + ')');
  return note;
}

async function sea(ctx) {
  const { browser, site } = ctx;
  const relay = await ctx.relay();
  const a = await openTab(browser, site, [relay.url], 'A');
  const b = await openTab(browser, site, [relay.url], 'B');
  const alias = uniq('alice');
  const pass = 'correct horse ' + alias;
  const created = await a.evaluate(({ alias, pass }) => new Promise((resolve) => {
    const user = window.gun.user();
    user.create(alias, pass, (ack) => {
      if (ack.err) return resolve({ err: 'create: ' + ack.err });
      user.auth(alias, pass, (at) => {
        if (at.err) return resolve({ err: 'auth: ' + at.err });
        user.get('name').put('Alice', (p) => resolve({ pub: at.sea.pub, err: p.err ? 'signed put: ' + p.err : null }));
      });
    });
  }), { alias, pass });
  check(!created.err, 'A ' + created.err);
  const pub = created.pub;
  const read = await b.evaluate((pub) => new Promise((resolve) => {
    const to = setTimeout(() => resolve('(nothing within 10 s)'), 10000);
    window.gun.user(pub).get('name').on((v) => { if (v !== undefined) { clearTimeout(to); resolve(v); } });
  }), pub);
  check(read === 'Alice', 'B read ~' + pub.slice(0, 8) + '….name and saw ' + JSON.stringify(read));

  // a forged write, sent by B as raw frames (B's own SEA would refuse to send it): the relay refuses it
  const forged = await b.evaluate(({ url, pub }) => new Promise((resolve) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'));
    const soul = '~' + pub;
    const id = 'forge' + Math.random().toString(36).slice(2, 10);
    const to = setTimeout(() => { ws.close(); resolve({ ack: null }); }, 8000);
    ws.onopen = () => ws.send(JSON.stringify({ '#': id, put: { [soul]: { _: { '#': soul, '>': { name: Date.now() } }, name: 'Mallory' } } }));
    ws.onmessage = (e) => {
      const msgs = [].concat(JSON.parse(e.data));
      for (const m of msgs) if (m['@'] === id) { clearTimeout(to); ws.close(); resolve({ ack: m }); }
    };
  }), { url: relay.url, pub });
  check(forged.ack && forged.ack.err && !forged.ack.ok, 'the relay answered the forged write with ' + JSON.stringify(forged.ack) + ' (want an err ack)');
  const c = await openTab(browser, site, [relay.url], 'C');
  const after = await c.evaluate((pub) => new Promise((resolve) => {
    const to = setTimeout(() => resolve('(nothing within 10 s)'), 10000);
    window.gun.get('~' + pub).get('name').once((v) => { clearTimeout(to); resolve(v); }, { wait: 3000 });
  }), pub);
  check(after === 'Alice', 'after the forged write a fresh tab C read name ' + JSON.stringify(after) + ' (want Alice)');

  // the same user logs in from tab B
  const login = await b.evaluate(({ alias, pass }) => new Promise((resolve) => {
    const to = setTimeout(() => resolve({ err: 'no answer within 15 s' }), 15000);
    window.gun.user().auth(alias, pass, (at) => { clearTimeout(to); resolve(at.err ? { err: at.err } : { pub: at.sea.pub }); });
  }), { alias, pass });
  check(login.pub === pub, 'B logging in as ' + alias + ' got ' + JSON.stringify(login));
  return 'signed write read by pub; forged write refused (' + forged.ack.err + '); login from the other tab';
}

async function offline(ctx) {
  const { browser, site } = ctx;
  let relay = await ctx.relay();
  const a = await openTab(browser, site, [relay.url], 'A');
  const soul = uniq('offline');
  // A shows what it writes, as an app does (and so the relay knows A holds that node). Gun.js
  // 0.2020.1241 in a browser retries a lost relay once, 2 s after losing it (its 'bye' forgets the
  // peer, so the retry's failure ends its reconnecting): an app re-adds its relay when the
  // network comes back (until it is connected), as A does here.
  await a.evaluate(({ s, url }) => {
    window.gun.get(s).on(() => {});
    window.addEventListener('online', () => {
      window.onlineAgain = true;
      (function redial() { // what Gun.js does at start: the peer in opt, then a 'hi' out dials it
        const peers = window.gun._.opt.peers;
        if (Object.keys(peers).some((k) => peers[k].wire && peers[k].wire.readyState === 1)) return;
        window.gun.opt({ peers: [url] });
        window.gun._.on('out', { dam: 'hi' });
        setTimeout(redial, 1000);
      })();
    });
  }, { s: soul, url: relay.url });
  let err = await a.evaluate(PUT, { keys: [soul, 'before'], data: 'online' });
  check(err === null, 'A put before the restart: ' + err);
  // the relay stops and the tab goes offline (its network, as a laptop's would) while it restarts
  await relay.stop();
  await a.context().setOffline(true);
  await waitFor(a, () => {
    const peers = window.gun._.opt.peers;
    return !Object.keys(peers).some((k) => peers[k].wire && peers[k].wire.readyState === 1);
  }, null, 'A still had an open WebSocket after its relay stopped');
  await a.evaluate((s) => { window.gun.get(s).put({ w1: 'offline 1', w2: 'offline 2' }); }, soul);
  relay = await relay.restart();
  ctx.replaced(relay);
  await a.context().setOffline(false);
  await connected(a, 'A (back online after the restart)');
  check(await a.evaluate(() => window.onlineAgain === true), 'A got no "online" event when its network came back');
  // a fresh tab reads the node: the relay has "before"; A's offline writes come from A
  const b = await openTab(browser, site, [relay.url], 'B');
  const want = (t) => waitFor(t, () => window.got && window.got.w1 === 'offline 1' && window.got.w2 === 'offline 2' && window.got.before === 'online', null, '');
  const watch = (t, s) => t.evaluate((s) => { window.got = {}; window.gun.get(s).on((v) => { window.got = { before: v.before, w1: v.w1, w2: v.w2 }; }); }, s);
  const seen = async (t, who) => who + ' saw ' + JSON.stringify(await t.evaluate(() => window.got)) + ' (want A\'s offline writes w1, w2 and the earlier "before"); '
    + who + ' sent ' + JSON.stringify(await t.evaluate(() => window.said.slice(-6))) + ', heard ' + JSON.stringify(await t.evaluate(() => window.heard.slice(-6)))
    + '; A sent since the restart ' + JSON.stringify(await a.evaluate(() => window.said.slice(-6)));
  await watch(b, soul);
  try { await want(b); } catch (e) { throw new Failure('a fresh tab B ' + await seen(b, 'B')); }
  // A's offline writes are now on the relay itself: a tab that connects after A closed reads them
  await a.context().close();
  const c = await openTab(browser, site, [relay.url], 'C');
  await watch(c, soul);
  try { await want(c); } catch (e) { throw new Failure('with A closed, a fresh tab C ' + await seen(c, 'C').catch(() => '(A closed)')); }
  return 'writes made offline while the relay restarted reached fresh tabs, and the relay kept them';
}

async function mixed(ctx) {
  const { browser, site } = ctx;
  const relay = await ctx.relay();
  const soul = uniq('mixed');
  const tab = await openTab(browser, site, [relay.url], 'tab');
  await tab.evaluate((s) => { window.got = {}; window.gun.get(s).on((v) => { window.got = { browser: v.browser, node: v.node, java: v.java }; }); }, soul);
  // a Gun.js node peer, in this process
  const Gun = require('gun/gun.js');
  const nodePeer = Gun({ peers: [relay.url], WebSocket: require('ws'), localStorage: false, axe: false });
  let nodeGot = {};
  nodePeer.get(soul).on((v) => { nodeGot = { browser: v.browser, node: v.node, java: v.java }; });
  try {
    let err = await tab.evaluate(PUT, { keys: [soul, 'browser'], data: 'from the tab' });
    check(err === null, 'the tab put: ' + err);
    err = await new Promise((resolve) => {
      const to = setTimeout(() => resolve('no ack within 10 s'), 10000);
      nodePeer.get(soul).get('node').put('from node', (ack) => { clearTimeout(to); resolve(ack.err || null); });
    });
    check(err === null, 'the node peer put: ' + err);
    const java = runJava(['put', '--peer', relay.url, soul, 'java=from java']);
    check(java.status === 0, 'the Java client put failed (exit ' + java.status + '): ' + java.out);
    const want = { browser: 'from the tab', node: 'from node', java: 'from java' };
    await waitFor(tab, (w) => window.got.browser === w.browser && window.got.node === w.node && window.got.java === w.java, want,
      'the tab saw ' + JSON.stringify(await tab.evaluate(() => window.got)) + ' (want ' + JSON.stringify(want) + ')');
    const end = Date.now() + WAIT_MS;
    while (Date.now() < end && !(nodeGot.browser === want.browser && nodeGot.java === want.java && nodeGot.node === want.node)) await new Promise((r) => setTimeout(r, 100));
    check(nodeGot.browser === want.browser && nodeGot.java === want.java, 'the node peer saw ' + JSON.stringify(nodeGot) + ' (want ' + JSON.stringify(want) + ')');
    const read = runJava(['get', '--peer', relay.url, soul]);
    let javaGot = null;
    try { javaGot = JSON.parse(read.out.trim().split('\n').pop()); } catch (e) { /* judged below */ }
    check(read.status === 0 && javaGot && javaGot.browser === want.browser && javaGot.node === want.node,
      'the Java client read (exit ' + read.status + '): ' + read.out.trim().slice(-400));
  } finally {
    const peers = nodePeer._.opt.peers;
    Object.keys(peers).forEach((k) => { const p = peers[k]; p.retry = 0; if (p.wire) p.wire.close(); });
    nodePeer._.opt.peers = {};
  }
  return 'tab, Java client and node peer each saw all three writes';
}

function runJava(argv) {
  const r = childProcess.spawnSync(path.join(ROOT, 'bin', 'jgun'), argv, {
    encoding: 'utf8', timeout: 60000,
    env: Object.assign({}, process.env, { JGUN_JAVA_OPTS: '-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1' }),
  });
  return { status: r.status, out: (r.stdout || '') + (r.stderr || '') };
}

async function mesh(ctx) {
  const { browser, site } = ctx;
  const first = await ctx.relay();
  const second = await ctx.relay({ peers: [first.url] });
  const linked = first.kind === 'jgun' ? /connected to peer/ : /hi http/;
  const end = Date.now() + WAIT_MS;
  while (!linked.test(second.output()) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  check(linked.test(second.output()), 'the second relay never connected to the first: ' + second.output().slice(-1000));
  const a = await openTab(browser, site, [first.url], 'A (first relay)');
  const b = await openTab(browser, site, [second.url], 'B (second relay)');
  const soul = uniq('mesh');
  await a.evaluate((s) => { window.got = {}; window.gun.get(s).on((v) => { window.got = { a: v.a, b: v.b }; }); }, soul);
  await b.evaluate((s) => { window.got = {}; window.gun.get(s).on((v) => { window.got = { a: v.a, b: v.b }; }); }, soul);
  let err = await a.evaluate(PUT, { keys: [soul, 'a'], data: 'from A' });
  check(err === null, 'A put: ' + err);
  await waitFor(b, () => window.got.a === 'from A', null, 'B on the second relay saw ' + JSON.stringify(await b.evaluate(() => window.got)) + ' (want a: "from A")');
  err = await b.evaluate(PUT, { keys: [soul, 'b'], data: 'from B' });
  check(err === null, 'B put: ' + err);
  await waitFor(a, () => window.got.b === 'from B', null, 'A on the first relay saw ' + JSON.stringify(await a.evaluate(() => window.got)) + ' (want b: "from B")');
  return 'writes crossed the meshed relays both ways';
}

async function status(ctx) {
  const { browser, site } = ctx;
  const relay = await ctx.relay();
  const page = await newPage(browser, 'status');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(relay.origin + '/status');
  await waitFor(page, () => document.getElementById('state').textContent === 'live', null, 'the status page never showed "live"');
  const read = () => page.evaluate(() => ({
    puts: Number(document.getElementById('putsAccepted').textContent.replace(/,/g, '')),
    connections: Number(document.getElementById('connections').textContent.replace(/,/g, '')),
    inRate: document.getElementById('inRate').textContent,
  }));
  const before = await read();
  // load: a writer tab puts for a while, acked one after another
  const w = await openTab(browser, site, [relay.url], 'writer');
  const soul = uniq('load');
  await w.evaluate((s) => {
    let i = 0;
    window.stop = false;
    (function next() { if (window.stop) return; window.gun.get(s).get('k' + (i % 50)).put(i++, () => setTimeout(next, 5)); })();
  }, soul);
  // and a reader subscribed to what it writes: GETs and pushes
  const r = await openTab(browser, site, [relay.url], 'reader');
  await r.evaluate((s) => { window.gun.get(s).map().on(() => {}); }, soul);
  await waitFor(page, (b) => Number(document.getElementById('putsAccepted').textContent.replace(/,/g, '')) >= b + 100
    && Number(document.getElementById('connections').textContent) >= 2 && Number(document.getElementById('inRate').textContent.replace(/,/g, '')) > 0
    && Number(document.getElementById('pushes').textContent.replace(/,/g, '')) > 0 && Number(document.getElementById('gets').textContent.replace(/,/g, '')) > 0,
  before.puts, 'the status page\'s numbers did not move under load: ' + JSON.stringify(await read()));
  // a few more points on the charts (BROWSER_STATUS_SECONDS longer for the docs' screenshot)
  await page.waitForTimeout(1000 * (Number(process.env.BROWSER_STATUS_SECONDS) || 6));
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  const after = await read();
  await w.evaluate(() => { window.stop = true; });
  const text = await page.evaluate(() => document.body.innerText);
  check(text.indexOf(soul) < 0, 'the status page shows a soul: ' + soul);
  return 'puts accepted ' + before.puts + ' -> ' + after.puts + ', messages in/s ' + after.inRate + (screenshot ? '; screenshot ' + path.relative(ROOT, screenshot) : '');
}

async function chat(ctx) {
  const { browser } = ctx;
  const dir = path.join(ROOT, 'examples', 'chat');
  check(fs.existsSync(path.join(dir, 'node_modules', 'gun', 'sea.js')), 'examples/chat has no node_modules (npm ci there first)');
  const relay = await ctx.relay({ staticDir: dir });
  const room = uniq('room');
  async function user(name) {
    const page = await newPage(browser, name);
    await page.goto(relay.origin + '/?room=' + room);
    await page.fill('#alias', name + '-' + room);
    await page.fill('#pass', 'pass phrase of ' + name);
    await page.click('#signup');
    await waitFor(page, () => document.body.classList.contains('in'), null, name + ' could not sign up: ' + await page.textContent('#status'));
    return page;
  }
  async function say(page, text) {
    await page.fill('#text', text);
    await page.click('#send');
  }
  const messages = (page) => page.evaluate(() => [...document.querySelectorAll('#messages li')].map((li) => li.dataset.who + ': ' + li.querySelector('.text').textContent + (li.dataset.verified === 'yes' ? '' : ' (unverified)')));
  const has = (page, line, who) => waitFor(page, (l) => [...document.querySelectorAll('#messages li')].some((li) => (li.dataset.who + ': ' + li.querySelector('.text').textContent) === l && li.dataset.verified === 'yes'),
    line, who + ' never saw "' + line + '" (verified)');
  const alice = await user('alice');
  const bob = await user('bob');
  const aliceName = 'alice-' + room;
  const bobName = 'bob-' + room;
  await say(alice, 'hi bob');
  await has(bob, aliceName + ': hi bob', 'bob');
  await say(bob, 'hi alice');
  await has(alice, bobName + ': hi alice', 'alice');
  await bob.reload();
  await bob.fill('#alias', bobName);
  await bob.fill('#pass', 'pass phrase of bob');
  await bob.click('#login');
  await waitFor(bob, () => document.body.classList.contains('in'), null, 'bob could not log in after the reload: ' + await bob.textContent('#status'));
  await has(bob, aliceName + ': hi bob', 'bob after the reload');
  await has(bob, bobName + ': hi alice', 'bob after the reload');
  return 'two users chatted both ways; history after a reload: ' + JSON.stringify(await bob.evaluate(() => document.querySelectorAll('#messages li').length)) + ' messages';
}

const RUN = { chain, sea, offline, mixed, mesh, status, chat };

(async () => {
  const site = await startSite();
  const origin = 'http://127.0.0.1:' + site.address().port;
  // playwright gives the browser a fresh --user-data-dir of its own (a temporary folder) at each launch
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const results = [];
  try {
    for (const kind of relayKinds) {
      for (const name of scenarios) {
        if (JGUN_ONLY.has(name) && kind !== 'jgun') continue;
        const started = [];
        const ctx = {
          browser, site: origin,
          relay: async (opts) => { const r = await startRelay(kind, opts); started.push(r); return r; },
          replaced: (r) => started.push(r),
        };
        const t0 = Date.now();
        let verdict;
        try {
          const note = await RUN[name](ctx);
          verdict = { relay: kind, scenario: name, ok: true, detail: note };
        } catch (e) {
          const detail = e instanceof Failure ? e.message : 'error: ' + (e && e.stack || e);
          verdict = { relay: kind, scenario: name, ok: false, detail };
          if (process.env.BROWSER_TRACE) started.forEach((r) => console.log('--- ' + r.kind + ' relay output\n' + r.output().slice(-4000)));
        } finally {
          for (const c of openContexts.splice(0)) await c.close().catch(() => {});
          for (const r of started) { await r.stop(); r.remove(); }
        }
        verdict.seconds = Math.round((Date.now() - t0) / 100) / 10;
        results.push(verdict);
        console.log((verdict.ok ? 'PASS ' : 'FAIL ') + kind + ' relay, ' + name + ' (' + verdict.seconds + ' s): ' + verdict.detail);
      }
    }
  } finally {
    await browser.close();
    site.close();
  }
  const ok = results.every((r) => r.ok);
  console.log('== browser summary: ' + results.filter((r) => r.ok).length + '/' + results.length + ' passed');
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ ok, results }, null, 2));
  process.exit(ok ? 0 : 1);
})().catch((e) => {
  console.error('browser runner error: ' + (e && e.stack || e));
  process.exit(1);
});
