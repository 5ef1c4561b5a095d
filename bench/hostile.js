#!/usr/bin/env node
// hostile.js: a live hostile-input run against a relay, with well-behaved peers working beside it.
//
//   node bench/hostile.js --port 8765 [--frames 1000000] [--conns 50] [--good 10] [--pid PID]
//        [--max-seconds 600] [--seed N] [--max-chars 2000000]
//
// --conns hostile connections send --frames frames in all, each a golden frame (real Gun.js traffic,
// jgun-core/src/test/resources/io/jgun/wire/golden) mutated as jgun-core's HostileFrames does: byte
// flips, truncation, splices, deep nesting, huge numbers and strings, prototype-named souls and keys
// (__proto__, constructor), batches; some connections flood as fast as the socket takes frames, some
// never read what the relay sends (paused sockets), and they reconnect when the relay drops them.
// Meanwhile --good well-behaved peers put (one in flight each) and GET each write they got an ack for
// back; at the end every acked write is read back again. The well-behaved peers run in a process of
// their own (started here), as they would on other machines: making megabyte frames blocks this
// process's event loop for seconds at a time, and their acks would wait behind it (--same-process 1
// keeps them here, as runs before 2026-12-08 did). --pid: the relay's process, whose RSS is sampled
// every 500 ms. Prints one JSON line: frames sent, hostile connections dropped by the relay, good
// puts acked (and their put→ack p50/p99 ms), errors, acked writes lost, the relay alive or not, RSS
// min/max.
'use strict';
var fs = require('fs'), path = require('path');
var WebSocket;
try { WebSocket = require('ws') } catch (e) {
  WebSocket = require(path.join(__dirname, '..', 'jgun-interop', 'node', 'node_modules', 'ws'));
}
var opt = {host: '127.0.0.1', port: 8765, frames: 1000000, conns: 50, good: 10, pid: 0, maxSeconds: 600, maxChars: 2000000, seed: Date.now() % 2147483647, sameProcess: 0};
for (var i = 2; i < process.argv.length; i += 2) {
  var k = process.argv[i].replace(/^--/, '').replace(/-(\w)/g, function (_, c) { return c.toUpperCase() });
  if (!(k in opt)) { process.stderr.write('hostile.js: unknown option ' + process.argv[i] + '\n'); process.exit(2) }
  opt[k] = k === 'host' ? process.argv[i + 1] : +process.argv[i + 1];
}
var url = 'ws://' + opt.host + ':' + opt.port + '/gun';
var goodChild = null, goodChildOut = '', stopRequested = false;
if (opt.good > 0 && opt.conns > 0 && !opt.sameProcess) {
  goodChild = require('child_process').spawn(process.execPath,
    [__filename, '--host', opt.host, '--port', opt.port, '--conns', 0, '--good', opt.good, '--seed', opt.seed, '--max-seconds', opt.maxSeconds].map(String),
    {stdio: ['ignore', 'pipe', 'inherit']});
  goodChild.stdout.on('data', function (d) { goodChildOut += d });
  goodChild.on('close', function () { goodChild.closed = true; if (goodChild.then) goodChild.then() });
  opt.good = 0;
}
// SIGTERM ends the run and reports (the good peers' process is stopped so); a second one exits at once.
process.on('SIGTERM', function () { if (stopRequested) process.exit(143); stopRequested = true });

// ------------------------------------------------------------------ seeds and mutations
var dir = path.join(__dirname, '..', 'jgun-core', 'src', 'test', 'resources', 'io', 'jgun', 'wire', 'golden');
var seeds = [];
fs.readdirSync(dir).filter(function (f) { return /\.jsonl$/.test(f) }).sort().forEach(function (f) {
  fs.readFileSync(path.join(dir, f), 'utf8').split('\n').forEach(function (l) {
    if (!l.trim()) return;
    var r = JSON.parse(l);
    if (typeof r.raw === 'string') seeds.push(r.raw);
  });
});
var rnd = (function (s) { return function () { s = (s * 1103515245 + 12345) & 0x7fffffff; return s / 0x80000000 } })(opt.seed);
function int(n) { return Math.floor(rnd() * n) }
var JUNK = '{}[]":,\\/0123456789eE-+.tfn#@>_*<\'\u0000\u001f\u007f\u00e9\ud83d\ude00\ud800 \t\n';
var PROTO = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', '_', '#', '>', ''];
var NUMS = ['1e309', '-1e309', '1e-400', '-0', '123456789012345678901234567890123456789', '9007199254740993', 'NaN', 'Infinity', '-', '1e', '0x1F', '.5'];
var MAX = opt.maxChars; // frames stop growing past this
function strings(f) { var re = /"((?:[^"\\]|\\.)*)"/g, m, out = []; while ((m = re.exec(f)) && out.length < 2000) out.push([m.index + 1, m.index + 1 + m[1].length]); return out }
function mutateOnce(f) {
  var s, p, n;
  switch (int(10)) {
    case 0: s = f.split(''); for (n = 1 + int(4); n > 0 && s.length; n--) s[int(s.length)] = JUNK[int(JUNK.length)]; return s.join('');
    case 1: return f.slice(0, int(f.length));
    case 2: var o = seeds[int(seeds.length)]; return f.slice(0, int(f.length)) + o.slice(int(o.length));
    case 3: var d = 1 + int(rnd() < 0.5 ? 100 : Math.min(5000, MAX >> 4)), arr = rnd() < 0.5;
      return (arr ? '[' : '{"a":').repeat(d) + f + (arr ? ']' : '}').repeat(rnd() < 0.3 ? d >> 1 : d);
    case 4: var re = /-?\d+(\.\d+)?([eE][+-]?\d+)?/g, m, at = []; while ((m = re.exec(f)) && at.length < 2000) at.push([m.index, m.index + m[0].length]);
      if (!at.length) return f; p = at[int(at.length)]; return f.slice(0, p[0]) + NUMS[int(NUMS.length)] + f.slice(p[1]);
    case 5: s = strings(f); if (!s.length) return f; p = s[int(s.length)];
      n = Math.min(MAX, rnd() < 0.3 ? 1 << (10 + int(11)) : 1 + int(200)); return f.slice(0, p[0]) + 'a'.repeat(n) + f.slice(p[1]);
    case 6: case 7: s = strings(f); if (!s.length) return f; p = s[int(s.length)]; return f.slice(0, p[0]) + PROTO[int(PROTO.length)] + f.slice(p[1]);
    case 8: s = strings(f); if (!s.length) return f; p = s[int(s.length)];
      var v = ['null', 'true', '[]', '{}', '{"#":"__proto__"}', '[1,2,3]', '{"_":null}', '1e999']; return f.slice(0, p[0] - 1) + v[int(v.length)] + f.slice(p[1] + 1);
    default: n = Math.min(2 + int(rnd() < 0.25 ? 20000 : 20), Math.max(2, Math.floor(MAX / (f.length + 1))));
      return '[' + (f + ',').repeat(n - 1) + f + ']';
  }
}
function hostileFrame() {
  var f = seeds[int(seeds.length)];
  for (var r = 1 + int(4); r > 0 && f.length < MAX; r--) f = mutateOnce(f);
  return f.length > MAX ? f.slice(0, MAX) : f;
}

// ------------------------------------------------------------------ the run
var t0 = Date.now(), deadline = t0 + opt.maxSeconds * 1000;
var st = {framesSent: 0, bytesSent: 0, hostileOpened: 0, hostileDropped: 0, connectFailed: 0,
  goodPuts: 0, goodAcked: 0, goodErrors: 0, goodTimeouts: 0, goodReadBack: 0, lostAcked: 0, goodDisconnects: 0};
var goodLatency = [];
var rss = [], relayAlive = true, finished = false;
function sampleRss() {
  if (!opt.pid) return;
  try {
    var m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/' + opt.pid + '/status', 'utf8'));
    if (m) rss.push(+m[1] >> 10);
  } catch (e) { relayAlive = false }
}
var rssTimer = setInterval(sampleRss, 500);

function hostile(n) {
  if (finished || st.framesSent >= opt.frames || Date.now() > deadline) return;
  var kind = n % 5; // 0: never reads; 1: floods; else paced by the socket's buffer
  var ws = new WebSocket(url, {perMessageDeflate: false, maxPayload: 256 << 20});
  var open = false;
  ws.on('open', function () {
    open = true; st.hostileOpened++;
    if (kind === 0 && ws._socket) ws._socket.pause(); // a reader that never reads
    (function pump() {
      while (ws.readyState === 1 && st.framesSent < opt.frames && Date.now() < deadline) {
        if (kind !== 1 && ws.bufferedAmount > (1 << 20)) return setTimeout(pump, 5);
        var f = hostileFrame(); ws.send(f); st.framesSent++; st.bytesSent += f.length;
        if (st.framesSent % 200 === 0) return setImmediate(pump);
      }
      if (ws.readyState === 1) ws.close();
    })();
  });
  ws.on('error', function () { if (!open) st.connectFailed++ });
  ws.on('close', function () { if (open && st.framesSent < opt.frames) st.hostileDropped++; setTimeout(function () { hostile(n) }, open ? 0 : 100) });
}

var acked = {}; // soul -> value
function good(n) {
  var ws = new WebSocket(url, {perMessageDeflate: false}), seq = 0, pending = {}, timer;
  function put() {
    if (finished || ws.readyState !== 1) return;
    var soul = 'good/' + opt.seed + '/' + n + '/' + (seq++), id = 'gp' + n + 'x' + seq, val = 'v' + seq, now = Date.now();
    pending[id] = {soul: soul, val: val, at: now};
    var node = {_: {'#': soul, '>': {v: now}}, v: val}, put = {}; put[soul] = node;
    ws.send(JSON.stringify({'#': id, put: put})); st.goodPuts++;
  }
  ws.on('open', put);
  ws.on('message', function (data) {
    var msgs; try { msgs = JSON.parse(data.toString()) } catch (e) { return }
    (Array.isArray(msgs) ? msgs : [msgs]).forEach(function (m) {
      var p = m && pending[m['@']];
      if (!p) return;
      delete pending[m['@']];
      if (m.ok) { st.goodAcked++; acked[p.soul] = p.val; goodLatency.push(Date.now() - p.at) } else if (m.err) st.goodErrors++;
      put();
    });
  });
  timer = setInterval(function () { var now = Date.now(); for (var id in pending) if (now - pending[id].at > 10000) { st.goodTimeouts++; delete pending[id]; put() } }, 1000);
  ws.on('close', function () { clearInterval(timer); if (!finished) { st.goodDisconnects++; setTimeout(function () { good(n) }, 100) } });
  ws.on('error', function () {});
  goods.push(ws);
}
var goods = [];
for (var g = 0; g < opt.good; g++) good(g);
for (var h = 0; h < opt.conns; h++) hostile(h);

var check = setInterval(function () {
  if (st.framesSent < opt.frames && Date.now() < deadline && relayAlive && !stopRequested) return;
  clearInterval(check); finished = true;
  goods.forEach(function (w) { try { w.close() } catch (e) {} });
  setTimeout(readBack, 2000);
}, 200);

// Every acked write, read back over up to 10 connections, each with at most 50 GETs in flight and
// 800 a second: under the relay's default 1,000 messages/s per connection (a connection over it for
// 60 s is dropped), and no more GETs waiting at once than one connection with 500 in flight, as
// earlier runs read back (ten connections with 500 each ran a 256 MiB relay out of heap right after
// a megabyte-frame flood, 2026-12-08). A reply whose value differs is a lost write; GETs left
// unanswered when a connection closes, or for 15 s, are counted apart (readBackUnanswered,
// readBackUnsent), not as lost.
function readBack() {
  var souls = Object.keys(acked), next = 0, open = Math.max(1, Math.min(10, Math.ceil(souls.length / 20000)));
  if (!souls.length) return report();
  for (var c = 0; c < open; c++) reader();
  function reader() {
    var ws = new WebSocket(url, {perMessageDeflate: false}), want = {}, inFlight = 0, timer = null, over = false, heard = Date.now();
    ws.on('open', function () {
      timer = setInterval(function () {
        if (inFlight > 0 && Date.now() - heard > 15000) return finish(); // no answer for 15 s: counted unanswered
        for (var k = 0; k < 80 && inFlight < 50 && next < souls.length; k++) {
          var id = 'rb' + next; want[id] = souls[next++]; inFlight++;
          ws.send(JSON.stringify({'#': id, get: {'#': want[id]}}));
        }
        if (next >= souls.length && inFlight === 0) finish();
      }, 100);
    });
    ws.on('message', function (data) {
      var msgs; try { msgs = JSON.parse(data.toString()) } catch (e) { return }
      heard = Date.now();
      (Array.isArray(msgs) ? msgs : [msgs]).forEach(function (m) {
        var soul = m && want[m['@']];
        if (!soul) return;
        delete want[m['@']]; inFlight--;
        var node = m.put && m.put[soul];
        if (node && node.v === acked[soul]) st.goodReadBack++; else st.lostAcked++;
      });
    });
    ws.on('error', function (e) { st.readBackError = e.message });
    ws.on('close', finish);
    function finish() {
      if (over) return;
      over = true;
      if (timer) clearInterval(timer);
      st.readBackUnanswered = (st.readBackUnanswered || 0) + Object.keys(want).length;
      try { ws.close() } catch (e) {}
      if (--open === 0) {
        st.readBackUnsent = souls.length - next;
        report();
      }
    }
  }
}
var reported = false;
function report(err) {
  if (reported) return; reported = true;
  sampleRss(); clearInterval(rssTimer);
  goodLatency.sort(function (a, b) { return a - b });
  function pct(q) { return goodLatency.length ? goodLatency[Math.min(goodLatency.length - 1, Math.floor(q * goodLatency.length))] : null }
  var out = Object.assign({seconds: (Date.now() - t0) / 1000, seed: opt.seed, hostileConns: opt.conns, goodPeers: opt.good}, st,
    {ackedWrites: Object.keys(acked).length, goodAckMs: {p50: pct(0.5), p99: pct(0.99), max: pct(1)}, relayAlive: relayAlive,
     rssMb: rss.length ? {first: rss[0], min: Math.min.apply(null, rss), max: Math.max.apply(null, rss), last: rss[rss.length - 1]} : null});
  if (err) out.error = err;
  if (!goodChild) { console.log(JSON.stringify(out)); process.exit(0) }
  // the well-behaved peers' process: stopped now, its figures merged into this line
  goodChild.then = function () {
    var g = {};
    try { g = JSON.parse(goodChildOut.trim().split('\n').pop()) } catch (e) { out.goodError = 'no report from the good peers\' process' }
    ['goodPuts', 'goodAcked', 'goodErrors', 'goodTimeouts', 'goodReadBack', 'lostAcked', 'goodDisconnects', 'ackedWrites', 'goodAckMs',
      'readBackUnanswered', 'readBackUnsent', 'readBackError'].forEach(function (k) { if (k in g) out[k] = g[k] });
    out.goodPeers = g.goodPeers; out.goodProcess = 'own';
    if (g.error) out.goodError = g.error;
    console.log(JSON.stringify(out));
    process.exit(0);
  };
  if (goodChild.closed) goodChild.then(); else goodChild.kill('SIGTERM');
}
