// A browser-like Gun.js client driven over stdin/stdout by the jgun interop tests.
//
// It loads only gun/gun.js (what a browser loads: no lib/server.js, so no AXE, no radisk, no
// multicast, opt.super false), takes its WebSocket from the `ws` package that gun depends on, and
// has localStorage off. Its peers: the relay URLs given as the first argument, comma-separated.
//
//   node client.js ws://127.0.0.1:PORT/gun[,ws://…/gun] [name] [driftMs]
//
// driftMs (default 0) is added to Gun.state(), the client's state clock. The tests run clients of a
// stock Gun.js relay 1 ms behind it (-1): that relay treats a state even a fraction of a millisecond
// ahead of its own clock as "future" (docs/protocol.md §2.2) and defers those fields without ever acking the put,
// and a put whose fields straddle its clock is applied partly at once and partly later. `set` makes
// two states in one millisecond (t+0.001, t+0.002), so its callback often never fires (20 of 120 on a
// busy 2-core machine). The jgun relay is tested with true clocks and must not lose those acks.
//
// Protocol: one JSON object per line in each direction.
//   in : {"id": 1, "op": "put", ...arguments}
//   out: {"id": 1, "ok": true, ...result}   or   {"id": 1, "ok": false, "error": "..."}
//   out: {"sub": "s1", "key": "...", "found": true, "data": ..., "soul": "..."}    (streamed events)
//   out: {"peer": "hi"|"bye", "near": n}                                           (mesh events)
//   out: {"ready": true, "pid": 123, "name": "..."}                                 (first line)
// `data` is the value as Gun.js hands it to the callback, with the `_` metadata removed (its soul is
// reported separately as `soul`); links stay {"#": soul}. `found:false` means the callback got undefined.
// Every wait has an explicit timeout given by the caller (`timeoutMs`); a timeout is an error answer.
// stdin closing ends the process, so a dying test JVM never leaves this process behind.
'use strict';
// stdout is the protocol channel: Gun.js's own console output (welcome banner, warnings) goes to stderr.
console.log = console.info = console.warn = function(){ process.stderr.write(require('util').format.apply(null, arguments) + '\n') };
var Gun = require('gun/gun.js');
var WebSocket = require('ws');
// JGUN_INTEROP_TRACE=1: every frame in and out goes to stderr (the test harness shows stderr on failure).
if(process.env.JGUN_INTEROP_TRACE){
  var trace = function(dir, data){ process.stderr.write(dir + ' ' + String(data).slice(0, +process.env.JGUN_INTEROP_TRACE > 1 ? +process.env.JGUN_INTEROP_TRACE : 2000) + '\n') };
  var send = WebSocket.prototype.send;
  WebSocket.prototype.send = function(data){ trace('>>', data); return send.apply(this, arguments) };
  var emit = WebSocket.prototype.emit;
  WebSocket.prototype.emit = function(ev, data){ if('message' === ev){ trace('<<', data) } return emit.apply(this, arguments) };
}
var readline = require('readline');

var URL = process.argv[2];
var NAME = process.argv[3] || 'client';
var DRIFT = +process.argv[4] || 0;
if(!URL){ process.stderr.write('usage: node client.js RELAY_URL [name]\n'); process.exit(2) }

Gun.state.drift = DRIFT;
var gun = Gun({peers: URL.split(','), WebSocket: WebSocket, localStorage: false});
var root = gun._;

// Remember the souls that opt.uuid hands out, so `set` can report the soul of the item it created.
var firstUuid = null, uuid = root.opt.uuid;
root.opt.uuid = function(l){ var s = uuid(l); if(firstUuid === null){ firstUuid = s } return s };

function write(o){ process.stdout.write(JSON.stringify(o) + '\n') }
function answer(id, result){ result = result || {}; result.id = id; result.ok = true; write(result) }
function fail(id, e){ write({id: id, ok: false, error: String(e && e.stack || e)}) }

function chain(path){
  var c = gun;
  (path || []).forEach(function(k){ c = c.get(k) });
  return c;
}
function plain(d){
  if(d === undefined){ return undefined }
  if(d === null || 'object' != typeof d){ return d }
  var o = {};
  Object.keys(d).forEach(function(k){ if('_' !== k){ o[k] = d[k] } });
  return o;
}
function event(d, k){
  var e = {key: k, found: d !== undefined};
  if(d !== undefined){ e.data = plain(d) }
  if(d && d._ && d._['#']){ e.soul = d._['#'] }
  return e;
}
function ackOf(ack){ return ack.err ? {err: String(ack.err)} : {ok: ack.ok === undefined ? null : ack.ok} }

// Live listeners, by the subscription id the caller chose, so `off` can stop them.
var subs = {};
function stream(sub, extra){
  return function(d, k, msg, ev){
    var s = subs[sub];
    if(!s){ return } // switched off: Gun.js may still deliver what was already queued
    if(ev && ev.off && s.evs.indexOf(ev) < 0){ s.evs.push(ev) }
    var e = event(d, k); e.sub = sub;
    if(extra){ extra(e, this) }
    write(e);
  };
}
function subscribe(id, a, how){
  if(!a.sub){ throw new Error('sub missing') }
  if(subs[a.sub]){ throw new Error('sub in use: ' + a.sub) }
  subs[a.sub] = {evs: []};
  how(stream(a.sub));
  answer(id, {sub: a.sub});
}
// One timer per outstanding request: a callback that never comes becomes an error answer.
function within(id, ms, f, detail){
  var done = false;
  var t = setTimeout(function(){
    if(done){ return } done = true;
    fail(id, 'timeout after ' + ms + ' ms' + (detail ? ': ' + detail() : ''));
  }, ms);
  f(function(result){ if(done){ return } done = true; clearTimeout(t); answer(id, result) });
}

var ops = {
  // put(data) at a path, answering with the first ack (or just "sent" when ack:false).
  put: function(a, id){
    if(a.ack === false){ chain(a.path).put(a.data); answer(id, {sent: true}); return }
    within(id, a.timeoutMs || 10000, function(done){
      chain(a.path).put(a.data, function(ack){ done({ack: ackOf(ack)}) });
    });
  },
  // Many puts at once (each {path, data}); answers when every one has its first ack.
  // Many puts, at most `window` (default: all) in flight, each with a callback; answers when every
  // one has its first ack, or says which are missing.
  putMany: function(a, id){
    var waiting = {}, next = 0, win = a.window || a.items.length;
    within(id, a.timeoutMs || 30000, function(done){
      var left = a.items.length, errs = [];
      if(!left){ done({acked: 0, errors: []}); return }
      function more(){
        while(next < a.items.length && Object.keys(waiting).length < win){ one(next++) }
      }
      function one(i){
        var it = a.items[i];
        waiting[i] = true;
        chain(it.path).put(it.data, function(ack){
          if(!waiting[i]){ return } delete waiting[i];
          if(ack.err){ errs.push(String(ack.err)) }
          if(--left === 0){ done({acked: a.items.length, errors: errs}); return }
          more();
        });
      }
      more();
    }, function(){
      var keys = Object.keys(waiting);
      return keys.length + ' in flight without ack, ' + (a.items.length - next) + ' not sent yet, e.g. '
        + JSON.stringify(keys.slice(0, 5).map(function(i){ return a.items[i].path }));
    });
  },
  set: function(a, id){
    within(id, a.timeoutMs || 10000, function(done){
      firstUuid = null;
      var soul = null;
      chain(a.path).set(a.data, function(ack){ done({ack: ackOf(ack), soul: soul}) });
      soul = firstUuid;
    });
  },
  once: function(a, id){
    within(id, a.timeoutMs || 10000, function(done){
      chain(a.path).once(function(d, k){ done(event(d, k)) }, a.wait ? {wait: a.wait} : undefined);
    });
  },
  on: function(a, id){ subscribe(id, a, function(cb){ chain(a.path).on(cb) }) },
  mapOn: function(a, id){ subscribe(id, a, function(cb){ chain(a.path).map().on(cb) }) },
  mapOnce: function(a, id){ subscribe(id, a, function(cb){ chain(a.path).map().once(cb) }) },
  // Lex on field keys: gun.get(soul).get({'.': lex}).on(cb) streams every matching field it hears.
  lexOn: function(a, id){ subscribe(id, a, function(cb){ chain(a.path).get({'.': a.lex}).on(cb) }) },
  // map(lex).once: the items of a node whose keys match, each resolved to its value or node.
  lexMapOnce: function(a, id){ subscribe(id, a, function(cb){ chain(a.path).map({'.': a.lex}).once(cb) }) },
  off: function(a, id){
    var s = subs[a.sub];
    if(!s){ throw new Error('no such sub: ' + a.sub) }
    s.evs.forEach(function(ev){ ev.off() });
    delete subs[a.sub];
    answer(id, {sub: a.sub});
  },
  // Answers once at least `count` peers are connected (DAM handshake seen), or times out.
  waitPeers: function(a, id){
    var want = a.count === undefined ? 1 : a.count;
    within(id, a.timeoutMs || 10000, function(done){
      (function check(){
        var mesh = root.opt.mesh;
        if(mesh && mesh.near >= want){ done({near: mesh.near}); return }
        setTimeout(check, 10);
      }());
    });
  },
  status: function(a, id){
    var mesh = root.opt.mesh;
    answer(id, {near: mesh ? mesh.near : 0, peers: Object.keys(root.opt.peers || {})});
  },
  ping: function(a, id){ answer(id, {pong: true}) },
  exit: function(a, id){ answer(id, {}); setTimeout(function(){ process.exit(0) }, 10) }
};

root.on('hi', function(peer){ this.to.next(peer); write({peer: 'hi', near: root.opt.mesh.near}) });
root.on('bye', function(peer){ this.to.next(peer); write({peer: 'bye', near: root.opt.mesh.near}) });

readline.createInterface({input: process.stdin}).on('line', function(line){
  if(!line.trim()){ return }
  var m;
  try{ m = JSON.parse(line) }catch(e){ fail(null, 'bad command line: ' + e.message); return }
  var op = ops[m.op];
  if(!op){ fail(m.id, 'unknown op: ' + m.op); return }
  try{ op(m, m.id) }catch(e){ fail(m.id, e) }
}).on('close', function(){ process.exit(0) });

process.on('uncaughtException', function(e){ process.stderr.write('uncaught: ' + (e && e.stack || e) + '\n') });
write({ready: true, pid: process.pid, name: NAME});
