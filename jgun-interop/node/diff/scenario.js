// Seeded random scenarios for the differential tester (run.js). A scenario is plain data made from
// the seed alone: the topology (one relay, or two meshed), the peers (Gun.js peers, raw WebSocket
// peers) and a list of steps. Nothing here depends on time or on the relay.
'use strict';

// mulberry32: a small seeded generator, the same sequence on every machine.
function rng(seed){
  var a = seed >>> 0;
  var r = function(){
    a = (a + 0x6D2B79F5) >>> 0;
    var t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  r.int = function(n){ return Math.floor(r() * n) };
  r.pick = function(a){ return a[r.int(a.length)] };
  r.chance = function(p){ return r() < p };
  return r;
}

// Field names chosen so that lex prefix and range reads have something to select.
var FIELDS = ['a1', 'a2', 'ab', 'b1', 'b2', 'c'];
var LEXES = [{'*': 'a'}, {'*': 'b'}, {'*': 'ab'}, {'>': 'a2', '<': 'b1'}, {'>': 'b'}, {'<': 'a2'}, {'=': 'c'}];

function value(r){
  switch(r.int(6)){
    case 0: return r.int(100);
    case 1: return 'v' + r.int(50);
    case 2: return r.chance(0.5);
    case 3: return null; // a delete
    case 4: return -r.int(10) - 0.5;
    default: return 'text ' + r.int(1000);
  }
}

// Operations and their weights. `core` ones run in every scenario mix; the knownBugs option can take
// some out (see run.js).
var OPS = {
  put: 10, putNested: 3, link: 3, set: 4, rapid: 3, race: 1, rawRace: 2, once: 5, mapOnce: 2, lexOn: 2,
  rawPut: 5, rawGet: 5, rawLex: 4, putGet: 3, disconnect: 1, forged: 1, dup: 1, notTo: 1, bigNode: 1,
  delNode: 1, seaUser: 1
};

// skip: a set of operation names left out (known bugs).
function generate(seed, skip){
  skip = skip || {};
  var r = rng(seed);
  var mesh = r.chance(0.3);
  var relays = mesh ? 2 : 1;
  var nGun = 2 + r.int(3), nRaw = 1 + r.int(2);
  var gun = [], raw = [];
  for(var i = 0; i < nGun; i++){ gun.push({name: 'g' + i, relay: i % relays}) }
  for(i = 0; i < nRaw; i++){ raw.push({name: 'r' + i, relay: (i + 1) % relays}) }
  var souls = [];
  var nSouls = 2 + r.int(3);
  for(i = 0; i < nSouls; i++){ souls.push('s' + i) }
  var lists = ['list0'];
  if(r.chance(0.4)){ lists.push('list1') }
  var steps = [];
  var subs = 0, setItems = 0, rawStates = 0;
  function gp(){ return r.pick(gun).name }
  function rp(){ return r.pick(raw).name }
  function soul(){ return r.pick(souls) }
  function field(){ return r.pick(FIELDS) }

  // Subscriptions first: every Gun.js peer listens to something, so writes have observers.
  gun.forEach(function(p){
    var n = 1 + r.int(3);
    for(var k = 0; k < n; k++){
      var c = r.int(10);
      if(c < 4){ steps.push({op: 'on', peer: p.name, sub: 'q' + subs++, path: [soul(), field()]}) }
      else if(c < 7){ steps.push({op: 'on', peer: p.name, sub: 'q' + subs++, path: [soul()]}) }
      else { steps.push({op: 'mapOn', peer: p.name, sub: 'q' + subs++, path: [r.pick(lists)]}) }
    }
  });
  raw.forEach(function(p){
    if(r.chance(0.7)){ steps.push({op: 'rawSub', peer: p.name, soul: soul()}) }
  });

  var names = Object.keys(OPS).filter(function(o){ return !skip[o] });
  if(nGun < 2){ names = names.filter(function(o){ return o !== 'race' }) }
  var total = names.reduce(function(s, o){ return s + OPS[o] }, 0);
  function op(){
    var x = r() * total;
    for(var k = 0; k < names.length; k++){ x -= OPS[names[k]]; if(x < 0){ return names[k] } }
    return names[names.length - 1];
  }
  var n = 10 + r.int(10);
  for(var s = 0; s < n; s++){
    var o = op(), st;
    switch(o){
      case 'put':
        var data = {};
        var nf = 1 + r.int(3);
        for(var k = 0; k < nf; k++){ data[field()] = value(r) }
        st = {op: 'put', peer: gp(), path: [soul()], data: data};
        break;
      case 'putNested':
        st = {op: 'put', peer: gp(), path: [soul()], data: {}};
        st.data[field()] = {x: r.int(9), y: {z: 'n' + r.int(9)}};
        break;
      case 'link':
        st = {op: 'link', peer: gp(), path: [soul(), field()], to: soul()};
        break;
      case 'set':
        st = {op: 'set', peer: gp(), path: [r.pick(lists)], data: {n: setItems++, t: 'item' + r.int(9)}};
        break;
      case 'rapid':
        // one writer, many values to one field: pipelined (all sent at once) or each after its ack
        var vals = [];
        var nv = 3 + r.int(4);
        for(k = 0; k < nv; k++){ vals.push(k + 1 + r.int(3) * 10) }
        st = {op: 'rapid', peer: gp(), path: [soul(), field()], values: vals, mode: r.chance(0.5) ? 'pipelined' : 'acked'};
        break;
      case 'race':
        var a = gp(), b = gp();
        while(b === a){ b = gp() }
        st = {op: 'race', peers: [a, b], path: [soul(), field()], values: [value(r), value(r)], racy: true};
        break;
      case 'rawRace':
        if(raw.length < 2){ continue }
        st = {op: 'rawRace', peers: ['r0', 'r1'], soul: soul(), field: field(), values: [value(r), value(r)], tie: r.chance(0.5), k: rawStates++, racy: true};
        break;
      case 'once':
        st = {op: 'once', peer: gp(), path: r.chance(0.5) ? [soul(), field()] : [soul()]};
        break;
      case 'mapOnce':
        st = {op: 'mapOnce', peer: gp(), path: [r.pick(lists)]};
        break;
      case 'lexOn':
        st = {op: 'lexOn', peer: gp(), sub: 'q' + subs++, path: [soul()], lex: r.pick(LEXES)};
        break;
      case 'rawPut':
        // explicit states relative to the run's base time: past, an older one than before, a tie
        // with an earlier raw write, or a future one (2 s ahead)
        var kind = r.pick(['past', 'past', 'older', 'tie', 'future']);
        st = {op: 'rawPut', peer: rp(), soul: soul(), field: field(), value: value(r), kind: kind, k: rawStates++};
        break;
      case 'rawGet':
        st = {op: 'rawGet', peer: rp(), soul: r.chance(0.7) ? soul() : 'nothing' + r.int(3)};
        if(r.chance(0.4)){ st.key = field() }
        break;
      case 'rawLex':
        st = {op: 'rawGet', peer: rp(), soul: soul(), lex: r.pick(LEXES)};
        break;
      case 'putGet':
        // a put and a GET of the same node in one frame: the answer must include the write
        st = {op: 'putGet', peer: rp(), soul: soul(), field: field(), value: value(r), k: rawStates++};
        break;
      case 'disconnect':
        var who = gp();
        var w = gun.filter(function(p){ return p.name !== who });
        if(!w.length){ continue }
        var writes = [];
        for(k = 0; k < 2; k++){ var d = {}; d[field()] = value(r); writes.push({peer: r.pick(w).name, path: [soul()], data: d}) }
        // spaced: with the realtime-collapse bug known, the two writes are not rapid updates
        st = {op: 'disconnect', peer: who, writes: writes, spaced: !!skip.rapid};
        break;
      case 'forged':
        st = {op: 'forged', peer: rp(), variant: r.pick(['pub', 'alias', 'hash'])};
        break;
      case 'dup':
        st = {op: 'dup', peer: rp(), soul: soul(), field: field(), values: [value(r), value(r)], k: rawStates++};
        break;
      case 'notTo':
        if(raw.length < 2){ continue }
        st = {op: 'notTo', peer: 'r0', other: 'r1', soul: soul(), field: field(), value: value(r), k: rawStates++};
        break;
      case 'bigNode':
        st = {op: 'bigNode', peer: gp(), reader: rp(), soul: 'big' + r.int(2), n: 20 + r.int(30), start: r.int(5)};
        break;
      case 'seaUser':
        st = {op: 'seaUser', peer: rp(), relay: r.int(relays)};
        break;
      case 'delNode':
        st = {op: 'put', peer: gp(), path: [soul(), field()], data: null};
        break;
    }
    if(st){ steps.push(st) }
  }
  // Every Gun.js peer reads a few things at the end, and a raw peer per relay reads every node.
  gun.forEach(function(p){ steps.push({op: 'once', peer: p.name, path: [soul()]}) });
  return {seed: seed, relays: relays, gun: gun, raw: raw, souls: souls, lists: lists, steps: steps};
}

module.exports = {generate: generate, rng: rng, FIELDS: FIELDS};
