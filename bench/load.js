#!/usr/bin/env node
// A lean load client for GUN relays (jgun or Gun.js): raw WebSocket connections (the `ws` package,
// no Gun.js client, so the load side stays cheap) speaking the Gun wire protocol directly.
//
//   node bench/load.js --port 8765 --mode put -c 10 -w 10 -s 64 -d 20s [options]
//   node bench/load.js --port 8765 --mode get -c 10 -w 10 --keys 10000 --prefix g/ -d 20s
//
// Modes (both closed loop: each connection keeps W requests in flight and sends the next one as soon
// as one is answered):
//   put  {"#":id,"put":{soul:{"_":{"#":soul,">":{k:state}},k:value}}}, acked by {"@":id,"ok":…}
//        (or {"@":id,"err":…}, counted as an error). A new soul per put, named by --souls:
//          seq     PREFIX + n, n = 0, 1, 2… (the default; what a get run reads back)
//          uuid    as Gun.js's opt.uuid names the nodes of set(): the state in base 36 without its
//                  dot, then 12 random characters (so new souls sort after older ones)
//          random  12 random characters, after --prefix if one is given (spread over the whole
//                  key space, among the souls stored before, as random ids used as souls are)
//        With --keys K > 0 (seq only): souls PREFIX + (n modulo K), i.e. overwrites; states only
//        ever increase.
//   get  {"#":id,"get":{"#":soul}} for souls PREFIX + n, n < K (--keys), written before (e.g. by a
//        put run with -n K and the same --prefix); the first reply carrying "@":id ends the request.
//        Connection i reads the souls n ≡ i (mod C) in turn, so it is the only subscriber of its souls
//        and the relay has nobody to forward its GETs to.
// States are Date.now() - 1 plus a counter fraction, strictly increasing and never ahead of the
// relay's clock (a stock Gun.js relay defers, and never acks, a field even a fraction of a millisecond
// in the future). Values are S printable ASCII bytes cut from a random pool (not compressible).
//
// The run stops by itself after -d (duration) or -n (requests sent), whichever comes first, waits up
// to --drain for the requests in flight, closes, and prints one JSON line with the results: ops/s over
// the measured window (after --warmup), latency p50/p90/p99/p999/max in ms (of the requests sent
// after the warm-up), errors, timeouts, and this process's own CPU time (so a run where the load tool
// was the limit can be told apart). Only loopback relays are accepted.
//
// Options: --host 127.0.0.1  --port P  --path /gun  --mode put|get  -c/--connections C
//   -w/--window W  -s/--size S  -f/--fields F (fields per put, default 1)  -d/--duration 20s
//   -n/--count N (0: no bound)  --warmup 0s  --keys K  --prefix P (default: a random run prefix)
//   --souls seq|uuid|random (puts)
//   --timeout 10s (per request)  --drain 5s  --connect-timeout 10s  --label TEXT (copied to the output)
//   --progress 5s (0: off): a line {"t","opsPerSec","inFlight"} on stderr every interval
'use strict';

var path = require('path');
var WebSocket;
try { WebSocket = require('ws') } catch (e) {
  WebSocket = require(path.join(__dirname, '..', 'jgun-interop', 'node', 'node_modules', 'ws'));
}

// ---------------------------------------------------------------------------------------- options
function parseDuration(s) {
  var m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(String(s));
  if (!m) { die('bad duration: ' + s) }
  var v = +m[1];
  return m[2] === 'ms' ? v : m[2] === 'm' ? v * 60000 : v * 1000;
}
function die(msg) { process.stderr.write('load.js: ' + msg + '\n'); process.exit(2) }

var opt = {
  host: '127.0.0.1', port: 8765, path: '/gun', mode: 'put', connections: 10, window: 10, size: 64,
  fields: 1, duration: 20000, count: 0, warmup: 0, keys: 0, prefix: '', timeout: 10000, drain: 5000,
  connectTimeout: 10000, label: '', progress: 0, souls: 'seq'
};
var alias = {c: 'connections', w: 'window', s: 'size', f: 'fields', d: 'duration', n: 'count'};
var durations = {duration: 1, warmup: 1, timeout: 1, drain: 1, connectTimeout: 1, progress: 1};
(function parse(argv) {
  for (var i = 0; i < argv.length; i++) {
    var a = argv[i];
    if (a === '-h' || a === '--help') {
      process.stdout.write(require('fs').readFileSync(__filename, 'utf8').split('\n')
        .filter(function (l) { return /^\/\//.test(l) }).map(function (l) { return l.replace(/^\/\/ ?/, '') }).join('\n') + '\n');
      process.exit(0);
    }
    var k = a.replace(/^--?/, '').replace(/-([a-z])/g, function (_, c) { return c.toUpperCase() });
    k = alias[k] || k;
    if (!(k in opt) || i + 1 >= argv.length) { die('unknown option or missing value: ' + a) }
    var v = argv[++i];
    if (k in durations) { opt[k] = parseDuration(v) }
    else if (typeof opt[k] === 'number') {
      if (!/^\d+$/.test(v)) { die('not a non-negative integer: ' + a + ' ' + v) }
      opt[k] = +v;
    } else { opt[k] = v }
  }
})(process.argv.slice(2));

if (!/^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/.test(opt.host)) { die('only loopback targets: ' + opt.host) }
if (opt.mode !== 'put' && opt.mode !== 'get') { die('--mode put|get') }
if (opt.connections < 1 || opt.connections > 10000) { die('--connections 1..10000') }
if (opt.window < 1 || opt.window > 10000) { die('--window 1..10000') }
if (opt.size < 1 || opt.size > 1 << 20) { die('--size 1..1048576') }
if (opt.fields < 1 || opt.fields > 1000) { die('--fields 1..1000') }
if (opt.duration <= 0 || opt.duration > 3600000) { die('--duration: more than 0, at most 1h') }
if (['seq', 'uuid', 'random'].indexOf(opt.souls) < 0) { die('--souls seq|uuid|random') }
if (opt.souls !== 'seq' && (opt.mode === 'get' || opt.keys)) { die('--souls ' + opt.souls + ': only for puts without --keys') }
if (opt.mode === 'get' && opt.keys < 1) { die('get needs --keys K (souls PREFIX0..PREFIX{K-1} written before)') }
if (opt.mode === 'get' && opt.keys < opt.connections) { die('get needs --keys >= --connections') }

// ------------------------------------------------------------------------------------------ ids
var ALPHA = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXZabcdefghijklmnopqrstuvwxyz'; // Gun.js's String.random
function random(n) { var s = ''; while (n--) { s += ALPHA.charAt(Math.floor(Math.random() * ALPHA.length)) } return s }
var RUN = random(4);
var prefix = opt.prefix || ('lb/' + RUN + '/');
// Message ids as a Gun.js client makes them (String.random(9)): a stock relay's parser mishandled
// some short sequential ids under load (acks lost, or sent back as invalid JSON).
function nextId() { var id; do { id = random(9) } while (pending.has(id)); return id }

// States: Date.now() - 1 plus a fraction, strictly increasing across the whole process.
var lastState = 0;
function nextState() {
  var s = Date.now() - 1;
  if (s <= lastState) { s = lastState + 0.001 }
  lastState = s;
  return s;
}

// Values: slices of a random printable pool (no quotes or backslashes, so JSON does not escape them).
var POOL = (function () {
  var len = Math.max(1 << 16, opt.size * 4), b = Buffer.allocUnsafe(len);
  for (var i = 0; i < len; i++) { b[i] = 0x30 + Math.floor(Math.random() * 75) } // '0'..'z'
  return b.toString('latin1').replace(/\\/g, '/');
})();
function value() { var at = Math.floor(Math.random() * (POOL.length - opt.size)); return POOL.substr(at, opt.size) }

var FIELD_KEYS = []; for (var fi = 0; fi < opt.fields; fi++) { FIELD_KEYS.push(opt.fields === 1 ? 'v' : 'v' + fi) }

function putFrame(id, soul) {
  var st = nextState(), states = {}, node = {_: {'#': soul, '>': states}};
  for (var i = 0; i < FIELD_KEYS.length; i++) { states[FIELD_KEYS[i]] = st; node[FIELD_KEYS[i]] = value() }
  var put = {}; put[soul] = node;
  return JSON.stringify({'#': id, put: put});
}
function getFrame(id, soul) { return JSON.stringify({'#': id, get: {'#': soul}}) }

// ------------------------------------------------------------------------------------ histogram
// Log-bucketed latencies: bucket b holds [1.01^b, 1.01^(b+1)) microseconds, so quantiles are within 1%.
var LOG_STEP = Math.log(1.01), hist = new Float64Array(2400), histCount = 0, latMax = 0, latSum = 0;
function record(ms) {
  var us = Math.max(1, ms * 1000), b = Math.min(hist.length - 1, Math.floor(Math.log(us) / LOG_STEP));
  hist[b]++; histCount++; latSum += ms; if (ms > latMax) { latMax = ms }
}
function quantile(q) {
  if (!histCount) { return null }
  var want = Math.ceil(q * histCount), seen = 0;
  for (var b = 0; b < hist.length; b++) {
    seen += hist[b];
    if (seen >= want) { return Math.min(latMax, Math.pow(1.01, b + 0.5) / 1000) }
  }
  return latMax;
}

// ------------------------------------------------------------------------------------ the run
var url = 'ws://' + (opt.host.indexOf(':') >= 0 && opt.host[0] !== '[' ? '[' + opt.host + ']' : opt.host) + ':' + opt.port + opt.path;
var conns = [], pending = new Map(); // id -> {conn, sent (ms), measured}
var now = function () { return performance.now() };
var t0, tMeasure, tStop = null, stopping = false, finished = false;
var sent = 0, done = 0, doneInWindow = 0, errors = 0, timeouts = 0, late = 0, notFound = 0;
var unmatched = 0, relayErrors = [], firstErrors = [], closedEarly = 0, otherMessages = 0;
var bytesOut = 0, bytesIn = 0, framesIn = 0, badFrames = 0, firstBadFrames = [];

function issue(conn) {
  if (stopping || conn.ws.readyState !== WebSocket.OPEN) { return }
  if (opt.count && sent >= opt.count) { beginStop(); return }
  var id = nextId(), frame;
  if (opt.mode === 'put') {
    var soul;
    if (opt.souls === 'uuid') { soul = nextState().toString(36).replace('.', '') + random(12) }
    else if (opt.souls === 'random') { soul = opt.prefix + random(12) }
    else { soul = prefix + (opt.keys ? sent % opt.keys : sent) }
    frame = putFrame(id, soul);
  } else {
    var soul = prefix + conn.nextKey;
    conn.nextKey += opt.connections; if (conn.nextKey >= opt.keys) { conn.nextKey = conn.index }
    frame = getFrame(id, soul);
  }
  sent++;
  var t = now();
  pending.set(id, {conn: conn, sent: t, measured: t >= tMeasure});
  conn.inFlight++;
  bytesOut += frame.length;
  conn.ws.send(frame);
}

function complete(id, msg) {
  var p = pending.get(id);
  if (!p) { late++; return }
  pending.delete(id);
  var t = now();
  p.conn.inFlight--;
  if (msg.err !== undefined && msg.err !== null) {
    errors++;
    if (firstErrors.length < 5) { firstErrors.push(String(msg.err)) }
  } else if (opt.mode === 'get' && !(msg.put && typeof msg.put === 'object' && Object.keys(msg.put).length)) {
    notFound++;
  }
  if (p.measured) { record(t - p.sent) }
  done++;
  if (t >= tMeasure && (tStop === null || t <= tStop)) { doneInWindow++ }
  if (stopping) { if (!pending.size) { finish() } } else { issue(p.conn) }
}

function onMessage(conn, data) {
  framesIn++;
  var text = typeof data === 'string' ? data : data.toString('utf8');
  bytesIn += text.length;
  var c = text.charAt(0);
  if (c !== '{' && c !== '[') { return }
  var parsed;
  try { parsed = JSON.parse(text) } catch (e) {
    badFrames++; // a Gun.js peer logs "DAM JSON parse error" and drops it too
    if (firstBadFrames.length < 3) { firstBadFrames.push(text.slice(0, 300)) }
    return;
  }
  var list = Array.isArray(parsed) ? parsed : [parsed];
  var sock = list.length > 1 ? conn.ws._socket : null;
  if (sock) { sock.cork() } // the replacements for a batch of acks go out in one write
  try { handle(conn, list) } finally { if (sock) { sock.uncork() } }
}

function handle(conn, list) {
  for (var i = 0; i < list.length; i++) {
    var m = list[i];
    if (!m || typeof m !== 'object') { continue }
    if (m.dam !== undefined) {
      if (m.dam === '?' && m['@'] === undefined) {
        // The relay's hello: answer with our pid, as a Gun.js peer does.
        conn.ws.send(JSON.stringify({dam: '?', pid: conn.pid, '@': m['#'], '#': random(9)}));
        if (!conn.greeted) { conn.greeted = true; conn.onGreeted() }
      } else if (m.dam === '!') {
        if (relayErrors.length < 5) { relayErrors.push(String(m.err)) }
      }
      continue;
    }
    var at = m['@'];
    if (at !== undefined && at !== null) {
      if (pending.has(at)) { complete(at, m) } else { unmatched++ }
    } else {
      otherMessages++; // pushes or forwarded GETs: not answered (a lean client)
    }
  }
}

function connect(index) {
  return new Promise(function (resolve, reject) {
    var conn = {index: index, pid: random(9), inFlight: 0, nextKey: index, greeted: false, ws: null};
    var timer = setTimeout(function () { reject(new Error('no dam:"?" hello from ' + url + ' within ' + opt.connectTimeout + ' ms')) }, opt.connectTimeout);
    conn.onGreeted = function () { clearTimeout(timer); resolve(conn) };
    conn.ws = new WebSocket(url, {perMessageDeflate: false, maxPayload: 100 * 1024 * 1024});
    conn.ws.on('message', function (d) { onMessage(conn, d) });
    conn.ws.on('error', function (e) { clearTimeout(timer); reject(e) });
    conn.ws.on('close', function () {
      if (t0 === undefined) { clearTimeout(timer); reject(new Error('connection closed before the hello')); return }
      if (!stopping) { closedEarly++; beginStop() }
    });
    conns.push(conn);
  });
}

function beginStop() {
  if (stopping) { return }
  stopping = true;
  tStop = now();
  if (!pending.size) { finish(); return }
  setTimeout(finish, opt.drain).unref();
}

var sweeper = null;
function sweep() {
  var t = now();
  pending.forEach(function (p, id) {
    if (t - p.sent > opt.timeout) {
      pending.delete(id);
      timeouts++;
      p.conn.inFlight--;
      if (!stopping) { issue(p.conn) }
    }
  });
}

var cpu0;
function finish() {
  if (finished) { return }
  finished = true;
  if (sweeper) { clearInterval(sweeper) }
  var tEnd = now(), cpu = process.cpuUsage(cpu0);
  var inFlightAtEnd = pending.size;
  conns.forEach(function (c) { try { c.ws.terminate() } catch (e) { /* already closed */ } });
  var windowMs = (tStop === null ? tEnd : tStop) - tMeasure;
  var r3 = function (x) { return x === null ? null : Math.round(x * 1000) / 1000 };
  var out = {
    label: opt.label || undefined, mode: opt.mode, url: url, connections: opt.connections, window: opt.window,
    size: opt.mode === 'put' ? opt.size : undefined, fields: opt.mode === 'put' ? opt.fields : undefined,
    souls: opt.mode === 'put' ? opt.souls : undefined, keys: opt.keys || undefined, prefix: prefix,
    seconds: r3(windowMs / 1000), warmupSeconds: opt.warmup / 1000,
    sent: sent, completed: done, opsPerSec: Math.round(doneInWindow / (windowMs / 1000)),
    latencyMs: {n: histCount, mean: histCount ? r3(latSum / histCount) : null, p50: r3(quantile(0.5)), p90: r3(quantile(0.9)),
      p99: r3(quantile(0.99)), p999: r3(quantile(0.999)), max: r3(latMax)},
    errors: errors, timeouts: timeouts, unansweredAtEnd: inFlightAtEnd, late: late, unmatched: unmatched,
    notFound: opt.mode === 'get' ? notFound : undefined, otherMessages: otherMessages, closedEarly: closedEarly,
    relayErrors: relayErrors.length ? relayErrors : undefined, firstErrors: firstErrors.length ? firstErrors : undefined,
    framesIn: framesIn, badFrames: badFrames, firstBadFrames: firstBadFrames.length ? firstBadFrames : undefined, mbOut: r3(bytesOut / 1e6), mbIn: r3(bytesIn / 1e6),
    client: {cpuSeconds: r3((cpu.user + cpu.system) / 1e6), cpuPercent: Math.round((cpu.user + cpu.system) / 1e3 / (tEnd - t0) * 100),
      wallSeconds: r3((tEnd - t0) / 1000), rssMb: Math.round(process.memoryUsage().rss / 1e6)}
  };
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(closedEarly && !done ? 1 : 0);
}

(function main() {
  var all = [];
  for (var i = 0; i < opt.connections; i++) { all.push(connect(i)) }
  Promise.all(all).then(function () {
    cpu0 = process.cpuUsage();
    t0 = now();
    tMeasure = t0 + opt.warmup;
    setTimeout(beginStop, opt.warmup + opt.duration).unref();
    sweeper = setInterval(sweep, Math.min(250, opt.timeout));
    if (opt.progress) {
      var lastDone = 0, lastT = t0;
      setInterval(function () {
        var t = now();
        process.stderr.write(JSON.stringify({t: Math.round((t - t0) / 100) / 10, opsPerSec: Math.round((done - lastDone) / ((t - lastT) / 1000)), inFlight: pending.size}) + '\n');
        lastDone = done; lastT = t;
      }, opt.progress).unref();
    }
    // Start the window of every connection; corking makes a burst one write, frames stay separate.
    conns.forEach(function (c) {
      var sock = c.ws._socket;
      if (sock) { sock.cork() }
      for (var w = 0; w < opt.window; w++) { issue(c) }
      if (sock) { sock.uncork() }
    });
  }, function (e) {
    process.stderr.write('load.js: connect failed: ' + (e && e.message || e) + '\n');
    conns.forEach(function (c) { try { c.ws.terminate() } catch (x) { /* ignore */ } });
    process.exit(1);
  });
})();
