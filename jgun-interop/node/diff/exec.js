// Runs one scenario (scenario.js) against running relays and returns what every peer observed,
// normalised: ids and souls of the run replaced by stable names, states by what the scenario chose
// (or by 'clock' for states from a Gun.js peer's clock), arrival jitter removed by comparing each
// field's sequence of values and never the interleaving of different fields or peers.
//
// Peers: Gun.js peers are gun/gun.js instances in this process (what a browser loads: no radisk, no
// AXE, WebSocket from `ws`, localStorage off, one relay each); raw peers are plain `ws` sockets that
// speak the wire protocol directly (explicit states and message ids).
'use strict';
var WebSocket = require('ws');
var path = require('path');
// JGUN_DIFF_TRACE=1: every frame any peer of this process sends or gets, on stderr, with the time and
// the relay's port (a run's souls carry its id: df<run>/...)
if(process.env.JGUN_DIFF_TRACE){
  var t00 = Date.now();
  var tr = function(ws, dir, data){ process.stderr.write((Date.now() - t00) + ' ' + (ws._url || ws.url || '').replace(/^.*:(\d+)\/gun$/, '$1') + ' ' + dir + ' ' + String(data).slice(0, 3000) + '\n') };
  var send0 = WebSocket.prototype.send;
  WebSocket.prototype.send = function(data){ tr(this, '>>', data); return send0.apply(this, arguments) };
  var emit0 = WebSocket.prototype.emit;
  WebSocket.prototype.emit = function(ev, data){ if('message' === ev){ tr(this, '<<', data) } if('close' === ev){ tr(this, 'close', '') } return emit0.apply(this, arguments) };
}
var execFile = require('child_process').execFile;
var Gun = require('gun/gun.js');

// Gun.js peers run 1 ms behind the relays' clocks: a stock relay defers (and never acks) a state
// even a fraction of a millisecond ahead of its clock, and set() makes states t+0.001, t+0.002.
// Both relays get the same input, so this is no favour to either.
Gun.state.drift = -1;

var QUIET_MS = +process.env.JGUN_DIFF_QUIET_MS || 300; // no event for this long: the step has settled
var STEP_MAX_MS = 6000;                                 // a step settles within this, whatever happens
var ACK_WAIT_MS = 2500;                                  // a put without an ack by then: 'none'
var FUTURE_MS = 1500;                                    // how far ahead a future state is

function sorted(o){ var r = {}; Object.keys(o).sort().forEach(function(k){ r[k] = o[k] }); return r }
function sleep(ms){ return new Promise(function(res){ setTimeout(res, ms) }) }

function Run(scenario, urls, runId, opts){
  this.sc = scenario;
  this.urls = urls;
  this.ns = 'df' + runId;           // every soul of this run starts with ns + '/'
  this.t0 = Math.floor(Date.now()); // raw peers' states are t0 + an offset the scenario chose
  this.last = Date.now();           // time of the last event any peer saw
  this.step = -1;
  this.obs = {};                    // key -> normalised observation
  this.seqs = {};                   // sequence key -> [{step, v}]
  this.gun = {};
  this.raw = {};
  this.offsets = {};                // state offset -> name, for normalisation
  this.trace = opts && opts.trace;
  this.log = [];
}

Run.prototype.touch = function(){ this.last = Date.now() };

// --- normalisation -------------------------------------------------------------------------------

Run.prototype.nsoul = function(s){
  if('string' !== typeof s){ return s }
  var p = this.ns + '/';
  return this.npub(s.indexOf(p) === 0 ? '~/' + s.slice(p.length) : s);
};
// SEA users' keys (random per run) become <pub0>, <pub1>..., their aliases <alias0>...
Run.prototype.npub = function(s){
  (this.pubs || []).forEach(function(p, i){ s = s.split(p).join('<key' + i + '>') });
  return s.split(this.ns).join('<ns>');
};
// A SEA-signed value ('{":": value, "~": signature}' as text): the value, the signature as <sig> (it
// is random per signing); an account's encrypted key pair ('auth') as <auth>.
Run.prototype.nsea = function(g){
  var self = this;
  Object.keys(g || {}).forEach(function(soul){
    Object.keys(g[soul]).forEach(function(k){
      var v = g[soul][k][0];
      if('string' !== typeof v || v.indexOf('{":"') !== 0){ return }
      try{ var o = JSON.parse(v); g[soul][k][0] = {signed: k === 'auth' ? '<auth>' : self.nval(o[':']), sig: o['~'] ? '<sig>' : null} }catch(e){}
    });
  });
  return g;
};
// A value as a peer got it: links {'#': soul} with the soul normalised; nodes (objects with `_`) as
// their fields with links normalised; strings may carry souls of this run (none do) and stay as is.
Run.prototype.nval = function(v){
  var self = this;
  if(v === undefined){ return '<undefined>' }
  if('string' === typeof v){ return this.npub(v) }
  if(v === null || 'object' !== typeof v){ return v }
  if(v['#'] !== undefined && Object.keys(v).length === 1){ return {'#': self.nsoul(v['#'])} }
  var o = {};
  Object.keys(v).forEach(function(k){ if(k !== '_'){ o[self.nsoul(k)] = self.nval(v[k]) } });
  return sorted(o);
};
Run.prototype.nstate = function(s){
  if('number' !== typeof s){ return String(s) }
  var off = s - this.t0;
  if(this.offsets[off] !== undefined){ return this.offsets[off] }
  return s <= Date.now() + 5 ? 'clock' : 'future?';
};
// A graph from the wire: {soul: {field: [value, stateName]}}.
Run.prototype.ngraph = function(put){
  var self = this, g = {};
  Object.keys(put || {}).sort().forEach(function(soul){
    var node = put[soul] || {}, st = (node._ || {})['>'] || {}, n = {};
    Object.keys(node).forEach(function(k){
      if(k === '_'){ return }
      n[self.nsoul(k)] = [self.nval(node[k]), self.nstate(st[k])];
    });
    g[self.nsoul(soul)] = sorted(n);
  });
  return g;
};

Run.prototype.record = function(key, v){ this.obs[key] = v };
Run.prototype.seq = function(key, v){
  (this.seqs[key] = this.seqs[key] || []).push({step: this.step, v: JSON.stringify(v)});
};

// --- Gun.js peers ---------------------------------------------------------------------------------

Run.prototype.startGun = function(p){
  var self = this;
  var g = Gun({peers: [this.urls[p.relay]], WebSocket: WebSocket, localStorage: false, file: false});
  var n = 0;
  // deterministic souls for set(): what a uuid is named is a client's choice, not the relay's
  g._.opt.uuid = function(){ return self.ns + '/' + p.name + 'u' + (n++) };
  g._.on('hi', function(peer){ this.to.next(peer); self.touch(); p.near = (p.near || 0) + 1; p.his = (p.his || 0) + 1 });
  g._.on('bye', function(peer){ this.to.next(peer); self.touch(); p.near = (p.near || 0) - 1 });
  this.gun[p.name] = {g: g, p: p};
};
Run.prototype.chain = function(name, path){
  var c = this.gun[name].g;
  var self = this;
  path.forEach(function(k, i){ c = c.get(i === 0 ? self.ns + '/' + k : k) });
  return c;
};
Run.prototype.peerOf = function(name){ return this.gun[name].p };

Run.prototype.waitPeers = async function(){
  var self = this, end = Date.now() + 15000;
  while(Date.now() < end){
    var ok = Object.keys(this.gun).every(function(k){ return self.gun[k].p.near >= 1 })
      && Object.keys(this.raw).every(function(k){ return self.raw[k].open });
    if(ok){ return }
    await sleep(20);
  }
  throw new Error('peers did not connect within 15 s');
};

// A put with a callback: records the first ack as 'ok' or 'err: ...', or 'none' after ACK_WAIT_MS.
Run.prototype.gunPut = function(key, name, path, data, how){
  var self = this;
  return new Promise(function(res){
    var done = false;
    var t = setTimeout(function(){ if(!done){ done = true; if(key){ self.record(key, 'none') } res('none') } }, ACK_WAIT_MS);
    var cb = function(ack){
      if(done){ return } done = true; clearTimeout(t); self.touch();
      var v = ack.err ? 'err: ' + ack.err : 'ok';
      if(key){ self.record(key, v) }
      res(v);
    };
    var c = self.chain(name, path);
    if(how === 'set'){ c.set(data, cb) }
    else if(how === 'link'){ c.put(self.chain(name, [data]), cb) }
    else { c.put(data, cb) }
  });
};

Run.prototype.onceOf = async function(name, path){
  var self = this;
  var v = await new Promise(function(res){
    var t = setTimeout(function(){ res('<no callback>') }, 5000);
    self.chain(name, path).once(function(d){ clearTimeout(t); res(d) });
  });
  return this.nval(v);
};

// on(): every callback, per field. A node-level listener records each field's value when it changes;
// a field-level one records the value (a node it links to as {'#': soul}).
Run.prototype.listen = function(st){
  var self = this, c = this.chain(st.peer, st.path), base = st.sub + '@' + st.peer + ':' + st.path.join('.');
  function field(key, v){ self.seq(key, v) }
  function node(prefix, d){
    Object.keys(d).forEach(function(k){ if(k !== '_'){ field(prefix + '.' + k, self.nval(d[k])) } });
  }
  if(st.op === 'on'){
    var whole = st.path.length === 1;
    c.on(function(d){
      self.touch();
      if(whole){ if(d && 'object' === typeof d){ node(base, d) } else { field(base, self.nval(d)) } return }
      if(d && 'object' === typeof d && d._){ field(base, {'#': self.nsoul(d._['#'])}) } else { field(base, self.nval(d)) }
    });
  } else if(st.op === 'mapOn'){
    c.map().on(function(d, k){
      self.touch();
      var key = base + '[' + self.nsoul(k) + ']';
      if(d && 'object' === typeof d){ node(key, d) } else { field(key, self.nval(d)) }
    });
  } else if(st.op === 'lexOn'){
    base += JSON.stringify(st.lex);
    c.get({'.': st.lex}).on(function(d, k){
      self.touch();
      var key = base + '[' + self.nsoul(k) + ']';
      if(d && 'object' === typeof d){ node(key, d) } else { field(key, self.nval(d)) }
    });
  }
};

// --- raw peers ------------------------------------------------------------------------------------

var ALPHA = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXZabcdefghijklmnopqrstuvwxyz';
function rid(n){ var s = ''; for(var i = 0; i < (n || 9); i++){ s += ALPHA[Math.floor(Math.random() * ALPHA.length)] } return s }

Run.prototype.startRaw = function(p){
  var self = this;
  var r = {p: p, pid: rid(9), replies: {}, open: false, pushes: []};
  var ws = r.ws = new WebSocket(this.urls[p.relay]);
  ws.on('open', function(){ r.open = true; self.touch() });
  ws.on('error', function(){});
  ws.on('message', function(data){
    self.touch();
    var text = String(data), msgs;
    try{ msgs = JSON.parse(text) }catch(e){ return }
    if(!Array.isArray(msgs)){ msgs = [msgs] }
    msgs.forEach(function(m){
      if(!m || 'object' !== typeof m){ return }
      if(m.dam === '?' && !m['@']){ ws.send(JSON.stringify({dam: '?', pid: r.pid, '@': m['#'], '#': rid()})); return }
      if(m.dam){ return }
      if(m['@']){ (r.replies[m['@']] = r.replies[m['@']] || []).push(m); return }
      if(m.put){ self.rawPush(p.name, m) }
    });
  });
  this.raw[p.name] = r;
};
// Pushes a raw peer gets (puts without '@'): per field, the sequence of values.
Run.prototype.rawPush = function(name, m){
  var self = this;
  var g = this.ngraph(m.put);
  Object.keys(g).forEach(function(soul){
    Object.keys(g[soul]).forEach(function(k){
      var key = 'push@' + name + ':' + soul + '.' + k;
      (self.seqs[key] = self.seqs[key] || []).push({step: self.step, v: JSON.stringify(g[soul][k])});
    });
  });
};
Run.prototype.rawSend = function(name, msgs){
  var r = this.raw[name];
  r.ws.send(JSON.stringify(msgs.length === 1 ? msgs[0] : msgs));
};
// A state the scenario chose: t0 + offset, named after the raw peer that writes it ('r0:S-30000'),
// so a state read back anywhere says who wrote it and which one it was.
Run.prototype.state = function(offset, author, label){
  this.offsets[offset] = author + ':' + (label || ('S' + offset));
  return this.t0 + offset;
};
Run.prototype.node = function(soul, fields, states){
  var n = {_: {'#': soul, '>': {}}};
  Object.keys(fields).forEach(function(k){ n[k] = fields[k]; n._['>'][k] = states[k] });
  return n;
};
Run.prototype.rawPutMsg = function(soul, fields, state, id){
  var states = {};
  Object.keys(fields).forEach(function(k){ states[k] = state });
  var put = {};
  put[soul] = this.node(soul, fields, states);
  return {'#': id || rid(), put: put, ok: {'@': 9, '/': 1}};
};
// What came back for a request id: acks as 'ok'/'err: ...' (all of them, in order, to count), and
// for GETs the union of every answer's graph (chunks and memory + disk answers merged).
Run.prototype.ackOf = function(name, id){
  var rs = this.raw[name].replies[id] || [];
  if(!rs.length){ return 'none' }
  return rs.map(function(m){ return m.err ? 'err: ' + m.err : 'ok' })[0];
};
Run.prototype.getOf = function(name, id){
  var self = this, rs = this.raw[name].replies[id] || [];
  if(!rs.length){ return 'none' }
  var merged = {}, any = false;
  rs.forEach(function(m){
    if(m.err){ merged['!err'] = m.err }
    if(!m.put){ return }
    any = true;
    Object.keys(m.put).forEach(function(soul){
      var n = m.put[soul], t = merged[soul] = merged[soul] || {_: {'#': soul, '>': {}}};
      Object.keys(n).forEach(function(k){
        if(k === '_'){ return }
        var s = ((n._ || {})['>'] || {})[k], was = t._['>'][k];
        if(was === undefined || s > was){ t[k] = n[k]; t._['>'][k] = s }
      });
    });
  });
  if(!any){ return merged['!err'] ? {err: merged['!err']} : 'not found' }
  delete merged['!err'];
  return this.ngraph(merged);
};

// One run of node/sea-users.js (a Gun.js user with sea.js, a process of its own): its JSON line.
function seaUsers(args){
  return new Promise(function(res){
    execFile(process.execPath, [path.join(__dirname, '..', 'sea-users.js')].concat(args), {timeout: 60000},
      function(e, stdout){
        try{ res(JSON.parse(String(stdout).trim().split('\n').pop())) }catch(x){ res({failed: String(e || x).slice(0, 200)}) }
      });
  });
}

// Waits for the first reply to a request (a GET is always answered, if only with not-found; a put's
// ack may never come: an old or future write), at most `ms`; a loaded machine can take its time.
Run.prototype.reply = async function(name, id, ms){
  var end = Date.now() + ms;
  while(Date.now() < end){
    if((this.raw[name].replies[id] || []).length){ return true }
    await sleep(15);
  }
  return false;
};

// Waits until nothing has happened for QUIET_MS (and at least `min` ms), at most STEP_MAX_MS.
Run.prototype.settle = async function(min){
  var start = Date.now();
  if(min){ await sleep(min) }
  while(Date.now() - start < STEP_MAX_MS){
    if(Date.now() - this.last >= QUIET_MS){ return }
    await sleep(25);
  }
};

// --- steps ----------------------------------------------------------------------------------------

Run.prototype.exec = async function(st, i){
  var self = this, key = i + ':' + st.op;
  switch(st.op){
    case 'on': case 'mapOn': case 'lexOn':
      this.listen(st);
      await this.settle(200);
      return;
    case 'rawSub': {
      var id = rid();
      this.rawSend(st.peer, [{'#': id, get: {'#': this.ns + '/' + st.soul}}]);
      await this.reply(st.peer, id, 3000);
      await this.settle(200);
      this.record(key + '@' + st.peer, this.getOf(st.peer, id));
      return;
    }
    case 'put':
      await this.gunPut(key + '@' + st.peer, st.peer, st.path, st.data);
      return this.settle();
    case 'link':
      await this.gunPut(key + '@' + st.peer, st.peer, st.path, st.to, 'link');
      return this.settle();
    case 'set':
      await this.gunPut(key + '@' + st.peer, st.peer, st.path, st.data, 'set');
      return this.settle();
    case 'rapid': {
      var data = function(v){ var d = {}; d[st.path[1]] = v; return d };
      if(st.mode === 'pipelined'){
        var acks = await Promise.all(st.values.map(function(v){ return self.gunPut(null, st.peer, [st.path[0]], data(v)) }));
        this.record(key + '@' + st.peer, acks);
      } else {
        var seen = [];
        for(var k = 0; k < st.values.length; k++){ seen.push(await this.gunPut(null, st.peer, [st.path[0]], data(st.values[k]))) }
        this.record(key + '@' + st.peer, seen);
      }
      return this.settle();
    }
    case 'race': {
      // Two Gun.js writers, one field, in the same tick. Which state is higher (each put takes its
      // state when the chain is ready) and which write arrives first are up to timing, so this step
      // records only that every peer ends with the same value, one of the two, and that at least one
      // put was acked; listeners drop what they saw during this step (see run()). Then the first
      // writer writes a known value, so later steps are deterministic again.
      var d0 = {}, d1 = {};
      d0[st.path[1]] = st.values[0]; d1[st.path[1]] = st.values[1];
      var acks = await Promise.all([this.gunPut(null, st.peers[0], [st.path[0]], d0),
        this.gunPut(null, st.peers[1], [st.path[0]], d1)]);
      await this.settle();
      this.record(key + ' acked', acks.indexOf('ok') >= 0);
      var vals = [];
      var names = Object.keys(this.gun);
      for(var q = 0; q < names.length; q++){
        vals.push(JSON.stringify(await this.onceOf(names[q], st.path)));
      }
      var vs = st.values.map(function(v){ return JSON.stringify(v) });
      this.record(key + ' converged', vals.every(function(v){ return v === vals[0] }) && vs.indexOf(vals[0]) >= 0);
      this.step = i + 0.5; // the reset is not racy
      await this.gunPut(key + ' reset@' + st.peers[0], st.peers[0], [st.path[0]], (function(){ var d = {}; d[st.path[1]] = 'reset' + i; return d }()));
      return this.settle();
    }
    case 'rawRace': {
      // Two raw writers, one field, the same tick, states chosen: the winner is known (the higher
      // state, or on a tie the lexically greater JSON), the arrival order is not. The loser's ack
      // depends on it (none on Gun.js when it comes second), so only the winner's ack is compared.
      var rsoul = this.ns + '/' + st.soul, fa = {}, fb = {}, ida = rid(), idb = rid();
      fa[st.field] = st.values[0]; fb[st.field] = st.values[1];
      var sa = this.state(-50000 + st.k * 10, 'r0|r1'), sb = st.tie ? sa : this.state(-50000 + st.k * 10 + 3, st.peers[1]);
      if(!st.tie){ this.state(-50000 + st.k * 10, st.peers[0]) }
      this.rawSend(st.peers[0], [this.rawPutMsg(rsoul, fa, sa, ida)]);
      this.rawSend(st.peers[1], [this.rawPutMsg(rsoul, fb, sb, idb)]);
      await this.reply(st.peers[0], ida, 1500);
      await this.reply(st.peers[1], idb, 1500);
      await this.settle(400);
      var aWins = !st.tie ? false : JSON.stringify(st.values[0]) > JSON.stringify(st.values[1]);
      if(!st.tie || JSON.stringify(st.values[0]) !== JSON.stringify(st.values[1])){
        this.record(key + ' winner ack', aWins ? this.ackOf(st.peers[0], ida) : this.ackOf(st.peers[1], idb));
      }
      return;
    }
    case 'once': {
      this.record(key + '@' + st.peer + ':' + st.path.join('.'), await this.onceOf(st.peer, st.path));
      return this.settle();
    }
    case 'mapOnce': {
      var items = {};
      this.chain(st.peer, st.path).map().once(function(d, k){ self.touch(); items[self.nsoul(k)] = self.nval(d) });
      await this.settle(300);
      this.record(key + '@' + st.peer + ':' + st.path.join('.'), sorted(items));
      return;
    }
    case 'rawPut': {
      // past: a fixed offset; older: below any past one; tie: the state of the last past write of
      // this field (or a fresh past one) with this value; future: FUTURE_MS ahead.
      var soul = this.ns + '/' + st.soul, f = {}, state;
      f[st.field] = st.value;
      var tieKey = st.soul + '.' + st.field;
      this.tie = this.tie || {};
      if(st.kind === 'past'){ state = this.state(-60000 + st.k * 10, st.peer); this.tie[tieKey] = state }
      else if(st.kind === 'older'){ state = this.state(-120000 + st.k, st.peer) }
      else if(st.kind === 'tie'){ state = this.tie[tieKey] || this.state(-60000 + st.k * 10, st.peer); this.tie[tieKey] = state }
      else { state = this.state(Date.now() - this.t0 + FUTURE_MS, st.peer, 'future') }
      var id = rid();
      this.rawSend(st.peer, [this.rawPutMsg(soul, f, state, id)]);
      if(st.kind === 'future'){
        // before it is due and after: what a reader sees then, and whether an ack ever came
        await this.settle(300);
        var g1 = rid();
        this.rawSend(st.peer, [{'#': g1, get: {'#': soul, '.': st.field}}]);
        await this.reply(st.peer, g1, 3000);
        await this.settle(200);
        this.record(key + ' before due', this.getOf(st.peer, g1));
        await sleep(FUTURE_MS + 500);
        var g2 = rid();
        this.rawSend(st.peer, [{'#': g2, get: {'#': soul, '.': st.field}}]);
        await this.reply(st.peer, g2, 3000);
        await this.settle(400);
        this.record(key + ' after due', this.getOf(st.peer, g2));
      } else {
        await this.reply(st.peer, id, 1500);
        await this.settle(400);
      }
      this.record(key + '@' + st.peer + ' ' + st.kind + ' ack', this.ackOf(st.peer, id));
      // how many acks came (a put through a mesh: one per relay that stored it?)
      this.record(key + '@' + st.peer + ' ' + st.kind + ' acks', (this.raw[st.peer].replies[id] || []).length);
      return;
    }
    case 'rawGet': {
      var gid = rid(), get = {'#': this.ns + '/' + st.soul};
      if(st.key){ get['.'] = st.key }
      if(st.lex){ get['.'] = st.lex }
      this.rawSend(st.peer, [{'#': gid, get: get}]);
      await this.reply(st.peer, gid, 3000);
      await this.settle(300);
      this.record(key + '@' + st.peer + ':' + st.soul + (st.key ? '.' + st.key : '') + (st.lex ? JSON.stringify(st.lex) : ''), this.getOf(st.peer, gid));
      return;
    }
    case 'putGet': {
      var pf = {}, pid = rid(), qid = rid();
      pf[st.field] = st.value;
      var ps2 = this.ns + '/' + st.soul;
      this.rawSend(st.peer, [this.rawPutMsg(ps2, pf, this.state(-30000 + st.k * 10, st.peer), pid), {'#': qid, get: {'#': ps2, '.': st.field}}]);
      await this.reply(st.peer, qid, 3000);
      await this.settle(400);
      this.record(key + '@' + st.peer + ' ack', this.ackOf(st.peer, pid));
      this.record(key + '@' + st.peer + ' get', this.getOf(st.peer, qid));
      return;
    }
    case 'disconnect': {
      var gp = this.gun[st.peer], peers = gp.g._.opt.peers, his = gp.p.his;
      Object.keys(peers).forEach(function(u){ var w = peers[u].wire; if(w && w.close){ w.close() } });
      await sleep(100);
      for(var w2 = 0; w2 < st.writes.length; w2++){
        var wr = st.writes[w2];
        await this.gunPut(key + ' write' + w2 + '@' + wr.peer, wr.peer, wr.path, wr.data);
        if(st.spaced){ await this.settle(100) }
      }
      // Gun.js redials 1998 ms after the close and re-asks for everything it listens to
      var end = Date.now() + 8000;
      // (a new 'hi' after the close: Gun.js may count a peer more than once, so `near` cannot tell)
      while(Date.now() < end && !(gp.p.his > his)){ await sleep(50) }
      this.record(key + '@' + st.peer + ' back', gp.p.his > his);
      return this.settle(500);
    }
    case 'forged': {
      // An unsigned write into a user's space (~pub), an alias list with a non-link, or a
      // content-addressed soul whose hash does not match: every relay with SEA refuses it.
      var fsoul = st.variant === 'pub' ? '~' + rid(43) + '.' + rid(43)
        : st.variant === 'alias' ? '~@' + this.ns + 'alias' : this.ns + '#' + rid(43);
      var fname = st.variant === 'pub' ? '~pub' : st.variant === 'alias' ? '~@alias' : '#hash';
      var fid = rid(), ff = {};
      ff[st.variant === 'alias' ? 'x' : 'name'] = 'forged';
      this.offsets[-1000] = st.peer + ':S-1000';
      this.rawSend(st.peer, [this.rawPutMsg(fsoul, ff, this.t0 - 1000, fid)]);
      await this.settle(400);
      var fg = rid();
      this.rawSend(st.peer, [{'#': fg, get: {'#': fsoul}}]);
      await this.reply(st.peer, fg, 3000);
      await this.settle(300);
      this.record(key + '@' + st.peer + ' ' + fname + ' ack', this.ackOf(st.peer, fid));
      var got = this.getOf(st.peer, fg);
      this.record(key + '@' + st.peer + ' ' + fname + ' read', 'object' === typeof got ? Object.values(got) : got);
      return;
    }
    case 'seaUser': {
      // A Gun.js user (sea.js) signs up and writes to its own graph through one relay; a plain Gun.js
      // peer tries to overwrite it unsigned; a third reads it, through the other relay in a mesh.
      var ws = this.urls[st.relay], rs2 = this.urls[st.relay === 0 ? this.urls.length - 1 : 0];
      var alias = this.ns + 'user' + i;
      var made = await seaUsers([ws, 'write', alias, 'pass word ' + i]);
      if(made.pub){ (this.pubs = this.pubs || []).push(made.pub, made.epub); this.touch() }
      this.record(key + ' write', made.pub ? made.acks : made);
      if(!made.pub){ return }
      this.record(key + ' forge', (await seaUsers([ws, 'forge', made.pub])).acks);
      await this.settle(300);
      var seen = await seaUsers([rs2, 'read', made.pub]);
      this.record(key + ' read', this.nval(seen.values));
      var ug = rid();
      this.rawSend(st.peer, [{'#': ug, get: {'#': '~' + made.pub}}]);
      await this.reply(st.peer, ug, 3000);
      await this.settle(300);
      var node = this.getOf(st.peer, ug);
      this.record(key + ' graph', 'object' === typeof node ? this.nsea(node) : node);
      return;
    }
    case 'dup': {
      // the same message id twice (second with another value and a later state): the second is a
      // duplicate within the dedup window and must be dropped
      var did = rid(), dsoul = this.ns + '/' + st.soul, a = {}, b = {};
      a[st.field] = st.values[0]; b[st.field] = st.values[1];
      this.rawSend(st.peer, [this.rawPutMsg(dsoul, a, this.state(-40000 + st.k * 10, st.peer), did)]);
      await this.settle(300);
      this.rawSend(st.peer, [this.rawPutMsg(dsoul, b, this.state(-40000 + st.k * 10 + 5, st.peer), did)]);
      await this.settle(300);
      this.record(key + '@' + st.peer + ' acks', (this.raw[st.peer].replies[did] || []).length);
      var dg = rid();
      this.rawSend(st.peer, [{'#': dg, get: {'#': dsoul, '.': st.field}}]);
      await this.reply(st.peer, dg, 3000);
      await this.settle(300);
      this.record(key + '@' + st.peer + ' read', this.getOf(st.peer, dg));
      return;
    }
    case 'notTo': {
      // r1 subscribes to the soul; r0 writes with '><' naming r1's pid: the relay must not send it to r1
      var nsoul = this.ns + '/' + st.soul, sub = rid();
      this.rawSend(st.other, [{'#': sub, get: {'#': nsoul}}]);
      await this.reply(st.other, sub, 3000);
      await this.settle(200);
      var nf2 = {};
      nf2[st.field] = st.value;
      var m = this.rawPutMsg(nsoul, nf2, this.state(-20000 + st.k * 10, st.peer), rid());
      m['><'] = this.raw[st.other].pid;
      this.rawSend(st.peer, [m]);
      await this.settle(400);
      return;
    }
    case 'bigNode': {
      // a node of n fields written by a Gun.js peer, then read whole by a raw peer (chunked answers)
      var big = {};
      for(var b2 = 0; b2 < st.n; b2++){ big['k' + String(st.start + b2).padStart(3, '0')] = 'x' + b2 }
      await this.gunPut(key + '@' + st.peer, st.peer, [st.soul], big);
      await this.settle();
      var bg = rid();
      this.rawSend(st.reader, [{'#': bg, get: {'#': this.ns + '/' + st.soul}}]);
      await this.reply(st.reader, bg, 3000);
      await this.settle(300);
      this.record(key + '@' + st.reader + ' read', this.getOf(st.reader, bg));
      return;
    }
  }
  throw new Error('unknown op ' + st.op);
};

// Runs the whole scenario; returns {obs, log}. The final graph is read by a fresh raw peer on every
// relay: every soul the scenario names, each with one GET.
Run.prototype.run = async function(){
  var self = this, sc = this.sc;
  try{
    sc.gun.forEach(function(p){ self.startGun(p) });
    sc.raw.forEach(function(p){ self.startRaw(p) });
    await this.waitPeers();
    await this.settle(100);
    for(var i = 0; i < sc.steps.length; i++){
      this.step = i;
      await this.exec(sc.steps[i], i);
    }
    this.step = sc.steps.length;
    await this.settle(300);
    // the final graph, read through each relay
    for(var r = 0; r < this.urls.length; r++){
      var name = 'final' + r;
      this.startRaw({name: name, relay: r});
      var end = Date.now() + 5000;
      while(!this.raw[name].open && Date.now() < end){ await sleep(20) }
      var ids = {};
      var souls = sc.souls.concat(sc.lists, ['big0', 'big1']);
      souls.forEach(function(s){ ids[s] = rid(); self.rawSend(name, [{'#': ids[s], get: {'#': self.ns + '/' + s}}]) });
      for(var q = 0; q < souls.length; q++){ await this.reply(name, ids[souls[q]], 3000) }
      await this.settle(500);
      souls.forEach(function(s){ self.record('graph@relay' + r + ':' + s, self.getOf(name, ids[s])) });
    }
    // sequences: what each listener saw, per field, without what came during a racy step (Gun.js
    // peers racing: timing decides) and with consecutive repeats of a value collapsed into one (a
    // Gun.js peer calls back again with an unchanged value when another field of the node or a
    // duplicate answer arrives; how often is timing)
    var racy = {};
    sc.steps.forEach(function(st, i){ if(st.racy){ racy[i] = true } });
    Object.keys(this.seqs).forEach(function(k){
      var out = [], s = self.seqs[k];
      s.forEach(function(e){
        if(racy[e.step]){ return }
        if(out.length && out[out.length - 1] === e.v){ return }
        out.push(e.v);
      });
      self.record('seq ' + k, out.map(function(x){ return JSON.parse(x) }));
    });
  } finally {
    await this.close();
  }
  return this.obs;
};

Run.prototype.close = async function(){
  var self = this;
  Object.keys(this.raw).forEach(function(k){ try{ self.raw[k].ws.terminate() }catch(e){} });
  Object.keys(this.gun).forEach(function(k){
    var g = self.gun[k].g, peers = g._.opt.peers;
    Object.keys(peers).forEach(function(u){
      var p = peers[u];
      delete peers[u]; // no reconnect
      try{ p.wire && p.wire.close() }catch(e){}
    });
  });
  await sleep(50);
};

module.exports = {Run: Run};
