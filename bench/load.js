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
//   fanout  --subscribers N connections each GET-subscribe to one soul ({"#":soul}: the relay
//        pushes every accepted change of it to them), then one more connection, the writer, puts
//        updates of that soul: update k sets field v (with -f F > 1: field v(k mod F)) to "|k|" +
//        padding to S bytes, a distinct value per update. Closed loop with -w (--inflight) W puts in
//        flight on the writer's acks, or open loop at --rate R updates/s; -n N stops after N updates.
//        Each subscriber keeps the set of sequence numbers it received (it scans pushes for the
//        values' "|k|" instead of JSON-parsing them, so the tool stays cheap). Counted: the updates
//        written in the measured window (after --warmup); expected deliveries = updates ×
//        subscribers; a delivery is the first receipt of update k by a subscriber, whenever it
//        arrives until the run ends (the run waits up to --drain after the last write for the
//        missing ones, and ends early once none are missing); a receipt of k again is a duplicate,
//        counted apart. A relay that coalesces updates (sends only the latest value of a field)
//        shows as missing deliveries. Reports updates written (and written/s), deliveries
//        expected, received, missing (count and %), duplicates, deliveries/s (distinct deliveries
//        received during the window), the updates that reached every / no subscriber, the
//        delivery latency (writer's send of k to a subscriber's first receipt of k, in the
//        histogram), and the writer's acks.
//   idle  open C connections (at most --connect-batch opening at once, spread over --sources
//        local addresses 127.0.0.x so ephemeral ports do not run out), answer each relay's hello,
//        touch --ready-file once all are open, hold them for -d, close. Reports how many opened.
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
//   get: --linger 0s: after the last answer, wait this long for GET answers that come after a
//        not-found (a relay that forwards the GET to its peers answers first from its own graph);
//        counted as foundLater (foundLaterMs: from the GET's send to that answer)
//   --timeout 10s (per request)  --drain 5s  --connect-timeout 10s  --label TEXT (copied to the output)
//   --progress 5s (0: off): a line {"t","opsPerSec","inFlight"} on stderr every interval
//   fanout: --subscribers N (default 100)  --rate R (0: closed loop on acks with -w in flight)
//        -w/--inflight W  -f F (fields the updates rotate over)  -n N (updates)  --drain 5s
//        --writer-port P: the writer connects to port P (another relay serving the same graph, e.g. on
//        one PostgreSQL), the subscribers to --port: the cross-relay fan-out
//   idle and fanout: --sources 127.0.0.1,127.0.0.2 (local addresses, round robin; default: any)
//   --connect-batch 256 (connections opening at once)  --ready-file PATH (idle: touched when all open)
//   --procs P (put and get): P load processes, each with its share of the connections (and of -n),
//        results merged into one line (latency histograms merged exactly); for when one node
//        process is the limit. Seq souls then get a per-process prefix (PREFIX + i + '/'), so a
//        put run meant to be read back should use --procs 1.
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
  connectTimeout: 10000, label: '', progress: 0, souls: 'seq', subscribers: 100, rate: 0, sources: '',
  connectBatch: 256, readyFile: '', procs: 1, connBase: 0, connTotal: 0, emitHist: 0, writerPort: 0, linger: 0
};
var alias = {c: 'connections', w: 'window', inflight: 'window', s: 'size', f: 'fields', d: 'duration', n: 'count'};
var durations = {duration: 1, warmup: 1, timeout: 1, drain: 1, connectTimeout: 1, progress: 1, linger: 1};
(function parse(argv) {
  for (var i = 0; i < argv.length; i++) {
    var a = argv[i];
    if (a === '-h' || a === '--help') {
      var lines = require('fs').readFileSync(__filename, 'utf8').split('\n'), head = [];
      for (var li = 1; li < lines.length && /^\/\//.test(lines[li]); li++) { head.push(lines[li].replace(/^\/\/ ?/, '')) }
      process.stdout.write(head.join('\n') + '\n');
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
if (['put', 'get', 'fanout', 'idle'].indexOf(opt.mode) < 0) { die('--mode put|get|fanout|idle') }
if (opt.connections < 1 || opt.connections > 60000) { die('--connections 1..60000') }
if (opt.mode === 'fanout') {
  if (opt.subscribers < 1 || opt.subscribers > 60000) { die('--subscribers 1..60000') }
  opt.connections = opt.subscribers + 1;
}
if (opt.connectBatch < 1) { die('--connect-batch: at least 1') }
if (opt.procs < 1 || opt.procs > 64) { die('--procs 1..64') }
if (opt.procs > 1 && opt.mode !== 'put' && opt.mode !== 'get') { die('--procs: put and get only') }
if (opt.procs > opt.connections) { die('--procs: at most one process per connection') }
var CONN_TOTAL = opt.connTotal || opt.connections;
var SOURCES = opt.sources ? opt.sources.split(',').filter(Boolean) : [];
SOURCES.forEach(function (a) { if (!/^127\.\d+\.\d+\.\d+$/.test(a)) { die('--sources: loopback IPv4 addresses only: ' + a) } });
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
var hostPart = opt.host.indexOf(':') >= 0 && opt.host[0] !== '[' ? '[' + opt.host + ']' : opt.host;
var url = 'ws://' + hostPart + ':' + opt.port + opt.path;
var writerUrl = opt.writerPort ? 'ws://' + hostPart + ':' + opt.writerPort + opt.path : url;
var conns = [], pending = new Map(); // id -> {conn, sent (ms), measured}
var now = function () { return performance.now() };
var t0, tMeasure, tStop = null, stopping = false, finished = false;
var sent = 0, done = 0, doneInWindow = 0, errors = 0, timeouts = 0, late = 0, notFound = 0;
// get: ids answered not-found first (-> the time sent); of them, found by a later answer, and when
var notFoundIds = new Map(), foundLater = 0, foundLaterMs = [];
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
    conn.nextKey += CONN_TOTAL; if (conn.nextKey >= opt.keys) { conn.nextKey = conn.index }
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
  if (!p) {
    late++;
    if (notFoundIds.has(id) && hasData(msg)) {
      foundLaterMs.push(now() - notFoundIds.get(id));
      notFoundIds.delete(id);
      foundLater++;
      if (lingering && !notFoundIds.size) { lingered = true; finish() }
    }
    return;
  }
  pending.delete(id);
  var t = now();
  p.conn.inFlight--;
  if (msg.err !== undefined && msg.err !== null) {
    errors++;
    if (firstErrors.length < 5) { firstErrors.push(String(msg.err)) }
  } else if (opt.mode === 'get' && !hasData(msg)) {
    notFound++;
    notFoundIds.set(id, p.sent);
  }
  if (p.measured) { record(t - p.sent) }
  done++;
  if (t >= tMeasure && (tStop === null || t <= tStop)) { doneInWindow++ }
  if (stopping) { if (!pending.size) { finish() } } else { issue(p.conn) }
}

function hasData(msg) { return !!(msg.put && typeof msg.put === 'object' && Object.keys(msg.put).length) }

function onMessage(conn, data) {
  framesIn++;
  var text = typeof data === 'string' ? data : data.toString('utf8');
  bytesIn += text.length;
  if (conn.role === 'sub' && conn.subscribed && text.indexOf(FAN_MARK) >= 0) { fanReceive(conn, text); return }
  if (conn.role === 'idle' && conn.greeted) { return }
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
      if (conn.role === 'writer') { fanAck(at, m) }
      else if (conn.role === 'sub' && at === conn.subId) { conn.subscribed = true; conn.onSubscribed() }
      else if (pending.has(at) || notFoundIds.has(at)) { complete(at, m) } else { unmatched++ }
    } else {
      otherMessages++; // pushes or forwarded GETs: not answered (a lean client)
    }
  }
}

function connect(index, role) {
  return new Promise(function (resolve, reject) {
    var conn = {index: index, role: role || 'load', pid: random(9), inFlight: 0, nextKey: index, greeted: false, ws: null,
      subscribed: false, subId: null, bits: new Uint32Array(0), delivered: 0, duplicates: 0};
    var timer = setTimeout(function () { reject(new Error('no dam:"?" hello from ' + url + ' within ' + opt.connectTimeout + ' ms')) }, opt.connectTimeout);
    conn.onGreeted = function () { clearTimeout(timer); resolve(conn) };
    var wsOpt = {perMessageDeflate: false, maxPayload: 100 * 1024 * 1024};
    if (SOURCES.length) { wsOpt.localAddress = SOURCES[index % SOURCES.length] }
    conn.ws = new WebSocket(conn.role === 'writer' ? writerUrl : url, wsOpt);
    conn.ws.on('message', function (d) { onMessage(conn, d) });
    conn.ws.on('error', function (e) { clearTimeout(timer); reject(e) });
    conn.ws.on('close', function () {
      if (t0 === undefined) { clearTimeout(timer); reject(new Error('connection closed before the hello')); return }
      if (!stopping) { closedEarly++; if (opt.mode !== 'idle') { beginStop() } }
    });
    conns.push(conn);
  });
}

function beginStop() {
  if (stopping) { return }
  stopping = true;
  tStop = now();
  if (opt.mode === 'fanout' ? allCaughtUp() : !pending.size) { finish(); return }
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
  if (opt.mode === 'fanout') {
    fanPending.forEach(function (seq, id) {
      if (t - fanSendTimes[seq] > opt.timeout) {
        fanPending.delete(id); fanTimeouts++; timeouts++; fanInFlight--;
        if (!stopping && !opt.rate) { fanIssue() }
      }
    });
  }
}


// ------------------------------------------------------------------------------------ fan-out
// Every update carries its own sequence number: the value is "|SEQ|" + padding ('|' is not in the
// value pool, so '"|' only ever starts one of our values in a push). Update SEQ writes field
// FIELD_KEYS[SEQ % F]. Each subscriber keeps a bitset of the sequence numbers it received; a sequence
// number received again is a duplicate, not a delivery. The updates counted are those written in the
// measured window (after --warmup); a delivery counts if it arrives before the run ends (at the
// latest --drain after the last write), else that update is missing for that subscriber.
var FAN_MARK = '"|';
var fanSoul = prefix + 'fan';
var fanSendTimes = [];      // seq -> performance.now() at send
var fanSent = 0, fanAcked = 0, fanAckedInWindow = 0, fanErrors = 0, fanTimeouts = 0, fanInFlight = 0;
var fanFirstSeq = -1;       // the first update written in the measured window (-1: none yet)
var fanSentInWindow = 0, fanCapped = false;
var fanPending = new Map(); // put id -> seq
var fanAckHist = [];        // writer ack latencies (ms), sampled: at most 100k kept
var fanDelivered = 0, fanDeliveredInWindow = 0, fanDeliveredAfterWindow = 0, fanDuplicates = 0;
var fanValuesIn = 0, fanStray = 0, fanWarmupDeliveries = 0, subscribeFailed = 0;
var fanBitWords = 0;        // size of every subscriber's bitset, in 32-bit words
var fanSeqCount = new Uint16Array(0); // seq -> subscribers that received it
var FAN_MAX_BITS = 2e9;     // subscribers × updates tracked at most (250 MB of bitsets): the writer stops there
var writer = null, subs = [];

function fanGrow(n) { // room for sequence numbers < n in every bitset and in fanSeqCount
  if (n <= fanBitWords * 32) { return }
  var words = Math.max(1024, fanBitWords * 2);
  while (words * 32 < n) { words *= 2 }
  subs.forEach(function (c) { var b = new Uint32Array(words); b.set(c.bits); c.bits = b });
  var sc = new Uint16Array(words * 32); sc.set(fanSeqCount); fanSeqCount = sc;
  fanBitWords = words;
}

function fanReceive(conn, text) {
  var at = 0, t = now();
  while ((at = text.indexOf(FAN_MARK, at)) >= 0) {
    at += FAN_MARK.length;
    var end = text.indexOf('|', at);
    if (end < 0 || end - at > 15) { fanStray++; continue }
    var seq = +text.substring(at, end);
    if (!(seq >= 0) || seq >= fanSent || seq % 1) { fanStray++; continue }
    fanValuesIn++;
    var w = seq >>> 5, bit = 1 << (seq & 31);
    if (conn.bits[w] & bit) { fanDuplicates++; conn.duplicates++; continue }
    conn.bits[w] |= bit;
    fanSeqCount[seq]++;
    if (fanFirstSeq < 0 || seq < fanFirstSeq) { fanWarmupDeliveries++; continue }
    fanDelivered++; conn.delivered++;
    if (tStop === null) { fanDeliveredInWindow++ } else { fanDeliveredAfterWindow++ }
    record(t - fanSendTimes[seq]);
  }
  if (stopping && allCaughtUp()) { finish() }
}

function fanMeasured() { return fanFirstSeq < 0 ? 0 : fanSent - fanFirstSeq }
function allCaughtUp() { return !fanPending.size && fanDelivered >= fanMeasured() * subs.length }

function fanIssue() {
  if (stopping || writer.ws.readyState !== WebSocket.OPEN) { return }
  if ((opt.count && fanSent >= opt.count) || (fanSent + 1) * Math.max(1, subs.length) > FAN_MAX_BITS) {
    if (!opt.count || fanSent < opt.count) { fanCapped = true }
    beginStop(); return;
  }
  var id = nextId(), seq = fanSent, st = nextState(), t = now();
  fanGrow(seq + 1);
  fanSent++;
  if (t >= tMeasure) { if (fanFirstSeq < 0) { fanFirstSeq = seq } fanSentInWindow++ }
  var v = '|' + seq + '|', pad = opt.size - v.length, key = FIELD_KEYS[seq % FIELD_KEYS.length];
  if (pad > 0) { v += value().substr(0, pad) }
  var states = {}; states[key] = st;
  var node = {_: {'#': fanSoul, '>': states}}; node[key] = v;
  var put = {}; put[fanSoul] = node;
  var frame = JSON.stringify({'#': id, put: put});
  fanPending.set(id, seq);
  fanInFlight++;
  fanSendTimes.push(t);
  bytesOut += frame.length;
  sent++;
  writer.ws.send(frame);
}

var fanInit = null, fanInitId = null;
function fanAck(id, msg) {
  if (id === fanInitId) { fanInitId = null; fanInit(); return }
  var seq = fanPending.get(id);
  if (seq === undefined) { late++; return }
  fanPending.delete(id);
  fanInFlight--;
  var t = now();
  if (msg.err !== undefined && msg.err !== null) { fanErrors++; if (firstErrors.length < 5) { firstErrors.push(String(msg.err)) } }
  fanAcked++; done++;
  if (t >= tMeasure && (tStop === null || t <= tStop)) { fanAckedInWindow++ }
  if (fanAckHist.length < 100000) { fanAckHist.push(t - fanSendTimes[seq]) }
  if (stopping) { if (allCaughtUp()) { finish() } return }
  if (!opt.rate) { fanIssue() }
}

function fanSubscribe(conn) {
  return new Promise(function (resolve) {
    var timer = setTimeout(function () { subscribeFailed++; resolve(conn) }, opt.connectTimeout);
    conn.subId = nextId();
    conn.onSubscribed = function () { clearTimeout(timer); resolve(conn) };
    conn.ws.send(JSON.stringify({'#': conn.subId, get: {'#': fanSoul}}));
  });
}

function fanStart() {
  if (opt.rate) {
    // Open loop: update k is due k/R s after the start; a 5 ms tick sends those due (so a stalled
    // event loop catches up in a burst, and the rate written is reported as measured).
    var t1 = now(), issued = 0;
    var tick = setInterval(function () {
      if (stopping) { clearInterval(tick); return }
      var due = Math.floor((now() - t1) / 1000 * opt.rate);
      var sock = writer.ws._socket; if (sock) { sock.cork() }
      while (issued < due && !stopping) { fanIssue(); issued++ }
      if (sock) { sock.uncork() }
    }, 5);
  } else {
    for (var w = 0; w < opt.window; w++) { fanIssue() }
  }
}

// The fan-out figures: what was written, what each subscriber received, what is missing.
function fanReport(windowMs, tEnd) {
  var r3 = function (x) { return x === null ? null : Math.round(x * 1000) / 1000 };
  var secs = windowMs / 1000, measured = fanMeasured(), expected = measured * subs.length;
  var missing = expected - fanDelivered;
  var toAll = 0, toNone = 0, missingByField = FIELD_KEYS.map(function () { return 0 }), missingSample = [];
  for (var s = Math.max(0, fanFirstSeq); fanFirstSeq >= 0 && s < fanSent; s++) {
    var n = fanSeqCount[s];
    if (n >= subs.length) { toAll++ } else {
      if (n === 0) { toNone++ }
      missingByField[s % FIELD_KEYS.length] += subs.length - n;
      if (missingSample.length < 10) { missingSample.push(s) }
    }
  }
  var perSub = subs.map(function (c) { return measured ? c.delivered / measured : 1 }).sort(function (a, b) { return a - b });
  fanAckHist.sort(function (a, b) { return a - b });
  return {
    subscribers: subs.length, subscribeFailed: subscribeFailed, fields: FIELD_KEYS.length,
    rate: opt.rate || undefined, inflight: opt.rate ? undefined : opt.window,
    updatesWritten: measured, updatesWrittenInWarmup: fanFirstSeq < 0 ? fanSent : fanFirstSeq,
    updatesPerSec: Math.round(fanSentInWindow / secs), capped: fanCapped || undefined,
    deliveriesExpected: expected, deliveriesReceived: fanDelivered,
    deliveriesAfterWindow: fanDeliveredAfterWindow, drainSeconds: tStop === null ? 0 : r3((tEnd - tStop) / 1000),
    missing: missing, missingPct: expected ? r3(missing / expected * 100) : 0,
    deliveredPct: expected ? r3(fanDelivered / expected * 100) : 100,
    // distinct deliveries of the measured updates received during the window, per second
    deliveriesPerSec: Math.round(fanDeliveredInWindow / secs),
    duplicates: fanDuplicates, valuesReceived: fanValuesIn, stray: fanStray,
    updatesToEverySubscriber: toAll, updatesToNoSubscriber: toNone,
    missingByField: FIELD_KEYS.length > 1 ? missingByField : undefined,
    firstIncompleteUpdates: missingSample.length ? missingSample : undefined,
    subscribersMissingSome: perSub.filter(function (x) { return x < 1 }).length,
    perSubscriberDeliveredPct: {min: r3(perSub.length ? perSub[0] * 100 : null), p50: r3(perSub.length ? perSub[perSub.length >> 1] * 100 : null),
      max: r3(perSub.length ? perSub[perSub.length - 1] * 100 : null)},
    writer: {acked: fanAcked, acksPerSec: Math.round(fanAckedInWindow / secs), errors: fanErrors, timeouts: fanTimeouts, unacked: fanPending.size,
      ackMs: {p50: r3(sortedQuantile(fanAckHist, 0.5)), p99: r3(sortedQuantile(fanAckHist, 0.99)), max: r3(sortedQuantile(fanAckHist, 1))}}
  };
}

function sortedQuantile(arr, q) {
  if (!arr.length) { return null }
  return arr[Math.min(arr.length - 1, Math.ceil(q * arr.length) - 1)];
}

// Opens connections with at most --connect-batch opening at once; resolves with {ok: [...], failed, firstError}.
function connectMany(n, role, firstIndex) {
  return new Promise(function (resolve) {
    var next = 0, active = 0, ok = [], failed = 0, firstError = null;
    function pump() {
      while (active < opt.connectBatch && next < n) {
        active++;
        connect(firstIndex + next++, role).then(function (c) { ok.push(c) }, function (e) {
          failed++; if (!firstError) { firstError = String(e && e.message || e) }
        }).then(function () { active--; if (next < n) { pump() } else if (!active) { resolve({ok: ok, failed: failed, firstError: firstError}) } });
      }
    }
    if (!n) { resolve({ok: ok, failed: 0, firstError: null}) } else { pump() }
  });
}

var cpu0, idleInfo = null, lingering = false, lingered = false;
function finish() {
  if (finished) { return }
  if (opt.linger && opt.mode === 'get' && notFoundIds.size && !lingered) {
    if (!lingering) { lingering = true; setTimeout(function () { lingered = true; finish() }, opt.linger) }
    return;
  }
  finished = true;
  if (sweeper) { clearInterval(sweeper) }
  var tEnd = now(), cpu = process.cpuUsage(cpu0);
  var inFlightAtEnd = pending.size;
  conns.forEach(function (c) { try { c.ws.terminate() } catch (e) { /* already closed */ } });
  var windowMs = (tStop === null ? tEnd : tStop) - tMeasure;
  var r3 = function (x) { return x === null ? null : Math.round(x * 1000) / 1000 };
  var extra = {};
  if (opt.mode === 'fanout') {
    extra = fanReport(windowMs, tEnd);
    doneInWindow = fanDeliveredInWindow;
    errors = fanErrors;
  } else if (opt.mode === 'idle') {
    extra = idleInfo || {};
  }
  var out = {
    label: opt.label || undefined, mode: opt.mode, url: url, connections: opt.connections, window: opt.window,
    size: opt.mode === 'put' || opt.mode === 'fanout' ? opt.size : undefined, fields: opt.mode === 'put' ? opt.fields : undefined,
    souls: opt.mode === 'put' ? opt.souls : undefined, keys: opt.keys || undefined, prefix: prefix,
    seconds: r3(windowMs / 1000), warmupSeconds: opt.warmup / 1000,
    sent: sent, completed: done, opsPerSec: Math.round(doneInWindow / (windowMs / 1000)),
    latencyMs: {n: histCount, mean: histCount ? r3(latSum / histCount) : null, p50: r3(quantile(0.5)), p90: r3(quantile(0.9)),
      p99: r3(quantile(0.99)), p999: r3(quantile(0.999)), max: r3(latMax)},
    errors: errors, timeouts: timeouts, unansweredAtEnd: inFlightAtEnd, late: late, unmatched: unmatched,
    notFound: opt.mode === 'get' ? notFound : undefined, foundLater: opt.mode === 'get' ? foundLater : undefined,
    foundLaterMs: foundLaterMs.length ? (foundLaterMs.sort(function (a, b) { return a - b }), {p50: r3(sortedQuantile(foundLaterMs, 0.5)), p99: r3(sortedQuantile(foundLaterMs, 0.99))}) : undefined,
    otherMessages: otherMessages, closedEarly: closedEarly,
    relayErrors: relayErrors.length ? relayErrors : undefined, firstErrors: firstErrors.length ? firstErrors : undefined,
    framesIn: framesIn, badFrames: badFrames, firstBadFrames: firstBadFrames.length ? firstBadFrames : undefined, mbOut: r3(bytesOut / 1e6), mbIn: r3(bytesIn / 1e6),
    fanout: opt.mode === 'fanout' ? extra : undefined, idle: opt.mode === 'idle' ? extra : undefined,
    hist: opt.emitHist ? sparseHist() : undefined, latSum: opt.emitHist ? latSum : undefined,
    client: {cpuSeconds: r3((cpu.user + cpu.system) / 1e6), cpuPercent: Math.round((cpu.user + cpu.system) / 1e3 / (tEnd - t0) * 100),
      wallSeconds: r3((tEnd - t0) / 1000), rssMb: Math.round(process.memoryUsage().rss / 1e6)}
  };
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(closedEarly && !done ? 1 : 0);
}


function sparseHist() { var out = []; for (var b = 0; b < hist.length; b++) { if (hist[b]) { out.push([b, hist[b]]) } } return out }

// --procs P: P children, each with its share of the connections; one merged line.
function runProcs() {
  var cp = require('child_process'), args = process.argv.slice(2), base = [], results = [], left = opt.procs, cpuStart = process.cpuUsage();
  for (var i = 0; i < args.length; i++) {
    if (['--procs', '-c', '--connections', '-n', '--count', '--prefix', '--label', '--conn-base', '--conn-total', '--emit-hist'].indexOf(args[i]) >= 0) { i++; continue }
    base.push(args[i]);
  }
  var at = 0;
  for (var k = 0; k < opt.procs; k++) {
    var c = Math.floor(opt.connections / opt.procs) + (k < opt.connections % opt.procs ? 1 : 0);
    var n = opt.count ? Math.floor(opt.count / opt.procs) + (k < opt.count % opt.procs ? 1 : 0) : 0;
    var pre = opt.mode === 'put' && opt.souls === 'seq' && !opt.keys ? prefix + k + '/' : prefix;
    var a = base.concat(['-c', String(c), '-n', String(n), '--prefix', pre, '--conn-base', String(at), '--conn-total', String(opt.connections), '--emit-hist', '1']);
    at += c;
    (function (child) {
      var out = '';
      child.stdout.on('data', function (d) { out += d });
      child.on('close', function (code) {
        try { results.push(JSON.parse(out.trim().split('\n').pop())) } catch (e) { process.stderr.write('load.js: a child failed (exit ' + code + ')\n') }
        if (--left === 0) { merge() }
      });
    })(cp.spawn(process.execPath, [__filename].concat(a), {stdio: ['ignore', 'pipe', 'inherit']}));
  }
  function sum(f) { return results.reduce(function (t, r) { return t + (f(r) || 0) }, 0) }
  function merge() {
    if (!results.length) { process.exit(1) }
    results.forEach(function (r) { (r.hist || []).forEach(function (h) { hist[h[0]] += h[1]; histCount += h[1] }); latSum += r.latSum || 0; latMax = Math.max(latMax, r.latencyMs.max || 0) });
    var r3 = function (x) { return x === null ? null : Math.round(x * 1000) / 1000 }, first = results[0], own = process.cpuUsage(cpuStart);
    var out = {
      label: opt.label || undefined, mode: opt.mode, url: first.url, connections: opt.connections, window: opt.window, procs: opt.procs,
      size: first.size, fields: first.fields, souls: first.souls, keys: first.keys, prefix: prefix,
      seconds: r3(Math.max.apply(null, results.map(function (r) { return r.seconds }))), warmupSeconds: first.warmupSeconds,
      sent: sum(function (r) { return r.sent }), completed: sum(function (r) { return r.completed }), opsPerSec: sum(function (r) { return r.opsPerSec }),
      latencyMs: {n: histCount, mean: histCount ? r3(latSum / histCount) : null, p50: r3(quantile(0.5)), p90: r3(quantile(0.9)), p99: r3(quantile(0.99)), p999: r3(quantile(0.999)), max: r3(latMax)},
      errors: sum(function (r) { return r.errors }), timeouts: sum(function (r) { return r.timeouts }), unansweredAtEnd: sum(function (r) { return r.unansweredAtEnd }),
      late: sum(function (r) { return r.late }), unmatched: sum(function (r) { return r.unmatched }),
      notFound: opt.mode === 'get' ? sum(function (r) { return r.notFound }) : undefined,
      foundLater: opt.mode === 'get' ? sum(function (r) { return r.foundLater }) : undefined, otherMessages: sum(function (r) { return r.otherMessages }),
      closedEarly: sum(function (r) { return r.closedEarly }), framesIn: sum(function (r) { return r.framesIn }), badFrames: sum(function (r) { return r.badFrames }),
      mbOut: r3(sum(function (r) { return r.mbOut })), mbIn: r3(sum(function (r) { return r.mbIn })),
      client: {cpuSeconds: r3(sum(function (r) { return r.client.cpuSeconds }) + (own.user + own.system) / 1e6),
        // the busiest process's share of a core: the figure that says whether the tool was the limit
        cpuPercent: Math.max.apply(null, results.map(function (r) { return r.client.cpuPercent })),
        cpuPercentAll: sum(function (r) { return r.client.cpuPercent }), wallSeconds: first.client.wallSeconds,
        rssMb: sum(function (r) { return r.client.rssMb })}
    };
    process.stdout.write(JSON.stringify(out) + '\n');
    process.exit(0);
  }
}

function startClock() {
  cpu0 = process.cpuUsage();
  t0 = now();
  tMeasure = t0 + opt.warmup;
  setTimeout(beginStop, opt.warmup + opt.duration).unref();
  sweeper = setInterval(sweep, Math.min(250, opt.timeout));
  if (opt.progress) {
    var lastDone = 0, lastT = t0;
    setInterval(function () {
      var t = now(), d = opt.mode === 'fanout' ? fanDelivered : done;
      process.stderr.write(JSON.stringify({t: Math.round((t - t0) / 100) / 10, opsPerSec: Math.round((d - lastDone) / ((t - lastT) / 1000)), inFlight: pending.size + fanInFlight}) + '\n');
      lastDone = d; lastT = t;
    }, opt.progress).unref();
  }
}

function fail(e) {
  process.stderr.write('load.js: connect failed: ' + (e && e.message || e) + '\n');
  conns.forEach(function (c) { try { c.ws.terminate() } catch (x) { /* ignore */ } });
  process.exit(1);
}

(function main() {
  if (opt.mode === 'idle') {
    var tc = now();
    connectMany(opt.connections, 'idle', 0).then(function (r) {
      idleInfo = {requested: opt.connections, open: r.ok.length, failed: r.failed, firstError: r.firstError || undefined,
        connectSeconds: Math.round((now() - tc) / 10) / 100, sources: SOURCES.length || 1};
      if (opt.readyFile) { require('fs').writeFileSync(opt.readyFile, JSON.stringify(idleInfo) + '\n') }
      startClock(); // holds for -d; nothing is sent but the hello answers
    });
    return;
  }
  if (opt.mode === 'fanout') {
    // The writer first puts the soul (value "init", not counted), so the subscribers' GETs find it
    // and a relay has no reason to forward them to the other peers.
    connect(opt.subscribers, 'writer').then(function (w) {
      writer = w;
      return new Promise(function (resolve) {
        var id = nextId(), put = {}, t = setTimeout(resolve, opt.timeout);
        var st = nextState(), node = {_: {'#': fanSoul, '>': {}}};
        FIELD_KEYS.forEach(function (k) { node._['>'][k] = st; node[k] = 'init' });
        put[fanSoul] = node;
        fanInit = function () { clearTimeout(t); resolve() };
        fanInitId = id;
        writer.ws.send(JSON.stringify({'#': id, put: put}));
      });
    }).then(function () {
      return connectMany(opt.subscribers, 'sub', 0);
    }).then(function (r) {
      if (r.failed) { fail(r.failed + ' of ' + opt.subscribers + ' subscribers did not connect; first: ' + r.firstError) }
      subs = r.ok;
      return Promise.all(subs.map(fanSubscribe));
    }).then(function () {
      startClock();
      fanStart();
    }, fail);
    return;
  }
  if (opt.procs > 1) { runProcs(); return }
  connectMany(opt.connections, 'load', opt.connBase).then(function (r) {
    if (r.failed) { fail(r.failed + ' of ' + opt.connections + ' connections failed; first: ' + r.firstError) }
    startClock();
    // Start the window of every connection; corking makes a burst one write, frames stay separate.
    conns.forEach(function (c) {
      var sock = c.ws._socket;
      if (sock) { sock.cork() }
      for (var w = 0; w < opt.window; w++) { issue(c) }
      if (sock) { sock.uncork() }
    });
  });
})();
