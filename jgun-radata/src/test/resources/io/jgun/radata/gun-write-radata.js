// Makes real Gun.js (npm gun@0.2020.1241, radisk + rfs as `require('gun')` loads them) write a
// radata folder, waits until every put is acked and radisk is idle, then reports every atom of its
// graph (what it wrote, states included) so that RadataGunJsLiveTest can compare jgun's
// RadataReader with it.
//
// usage: node gun-write-radata.js RADATA_DIR REPORT_JSON [CHUNK_BYTES]
//   (gun must be resolvable: NODE_PATH=<prefix>/node_modules after npm install --prefix <prefix> gun@0.2020.1241)
// REPORT_JSON gets {"atoms": [[soul, key, value, state], ...], "writes": n, "renames": n}.
// Exit codes: 0 ok, 2 a put was acked with an error, 3 timeout.
'use strict';
var fs = require('fs');
var dir = process.argv[2], out = process.argv[3], chunk = parseInt(process.argv[4] || '8192', 10);
if (!dir || !out) { console.error('usage: node gun-write-radata.js RADATA_DIR REPORT_JSON [CHUNK_BYTES]'); process.exit(64); }

// Watch rfs's file writes (temp file + rename) to know when radisk is idle.
var inflight = 0, writes = 0, renames = 0, lastActivity = Date.now();
var writeFile = fs.writeFile, rename = fs.rename;
fs.writeFile = function (p, d, cb) {
  inflight++; writes++; lastActivity = Date.now();
  return writeFile.call(fs, p, d, function () {
    lastActivity = Date.now();
    if (typeof cb === 'function') cb.apply(this, arguments);
  });
};
fs.rename = function (a, b, cb) {
  return rename.call(fs, a, b, function () {
    inflight--; renames++; lastActivity = Date.now();
    if (typeof cb === 'function') cb.apply(this, arguments);
  });
};

var Gun = require('gun');
var gun = Gun({file: dir, chunk: chunk, localStorage: false, multicast: false, stats: false, axe: false});

// Deterministic data (mulberry32).
var seed = 1241;
function random() {
  seed = (seed + 0x6D2B79F5) | 0; var t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

var pending = 0, phase = 0, failed = false;
function put(chain, data) {
  pending++;
  var acked = false;
  chain.put(data, function (ack) {
    if (acked) return; acked = true;
    if (ack.err) { failed = true; console.error('put error', JSON.stringify(ack.err)); }
    if (--pending === 0) next();
  });
}

var ODD_KEYS = ['ключ', '鍵', '🔑 key', 'a b', 'x.y', 'slash/key', 'star*', 'percent%20', 'quote"',
  'back\\slash', 'tab\tkey', 'nl\nkey', 'emoji😀pair', 'ünï', '#', '.', '>', ':', '_x', '~tilde', '!bang',
  '😀x', '😁y', 'undefinedish', 'null', 'true', '0', '1', '42', '-1', '1.5', '%1C', '%1B', 'ctl\u0001\u001f'];
var NUMBERS = [0, -0, 1, -1, 0.5, -1.5, 0.1 + 0.2, 1 / 3, 3.14159, 1e21, 1e-7, 5e-324,
  Number.MAX_SAFE_INTEGER, 1.7976931348623157e308, -123e-20, 123456.789, 2147483648, 9007199254740993];
var STRINGS = ['', ' ', 'null', 'true', '123', '{"#":"x"}', 'héllo wörld 🌍', 'こんにちは', 'line\nbreak',
  'tab\there', 'quote " and \\ backslash', '\u0001\u001f\u007f', 'lone \ud800 surrogate', new Array(3001).join('x'),
  'ESC-free text with % and * and /'];

function phase1() {
  for (var i = 0; i < 300; i++) {
    var p = {name: 'Person ' + i + (i % 7 === 0 ? ' ✓ ünïcödé' : ''), age: 18 + (i % 60), score: i / 7,
      active: i % 2 === 0, friend: {'#': 'person/' + ((i + 1) % 300)}};
    if (i % 5 === 0) p.nick = null; else p.nick = 'n' + i;
    if (i % 11 === 0) p.big = NUMBERS[i % NUMBERS.length];
    put(gun.get('person/' + i), p);
  }
  for (var u = 0; u < 20; u++) {
    var node = {};
    for (var k = 0; k < ODD_KEYS.length; k++) node[ODD_KEYS[k]] = STRINGS[(u + k) % STRINGS.length];
    put(gun.get('ünïcödé/😀/' + u + (u % 3 === 0 ? ' sp ace/a*b%c' : '')), node);
  }
  var nums = {}; for (var n = 0; n < NUMBERS.length; n++) nums['n' + n] = NUMBERS[n];
  put(gun.get('numbers'), nums);
  var strs = {}; for (var s = 0; s < STRINGS.length; s++) strs['s' + s] = STRINGS[s];
  put(gun.get('strings'), strs);
  var big = {};
  for (var f = 0; f < 500; f++) {
    var r = random();
    big['f' + f] = r < 0.3 ? 'value ' + f + ' ' + r : r < 0.6 ? Math.round(r * 1e6) / 1e3 : r < 0.8 ? r < 0.7 : r < 0.9 ? null : {'#': 'person/' + f % 300};
  }
  put(gun.get('big'), big);
  put(gun.get('nest'), {a: {b: {c: 'deep', n: 1.25}}, top: true});
  for (var l = 0; l < 20; l++) {
    pending++;
    (function () {
      var acked = false;
      gun.get('list').set({title: 'item ' + l, rank: l / 4}, function (ack) {
        if (acked) return; acked = true;
        if (ack.err) { failed = true; console.error('set error', JSON.stringify(ack.err)); }
        if (--pending === 0) next();
      });
    })();
  }
}

function phase2() {
  for (var i = 0; i < 50; i++) put(gun.get('person/' + i).get('age'), 100 + i);
  for (var j = 50; j < 60; j++) put(gun.get('person/' + j).get('name'), null);
  put(gun.get('big').get('f0'), null);
  put(gun.get('big').get('f499'), 'updated ✓');
  put(gun.get('numbers').get('n0'), 0.000001);
}

function next() {
  if (failed) { process.exit(2); }
  phase++;
  if (phase === 1) { phase2(); return; }
  waitIdle();
}

// Every put is acked; now wait until no file write is in flight and none started for 1 s (radisk
// batches for 250 ms, so any write still coming would have started by then).
function waitIdle() {
  var timer = setInterval(function () {
    if (inflight === 0 && Date.now() - lastActivity > 1000) {
      clearInterval(timer);
      report();
    }
  }, 50);
}

function report() {
  var graph = gun._.graph, atoms = [];
  Object.keys(graph).forEach(function (soul) {
    var node = graph[soul], states = (node && node._ && node._['>']) || {};
    Object.keys(node || {}).forEach(function (key) {
      if (key === '_') return;
      atoms.push([soul, key, node[key], states[key]]);
    });
  });
  fs.writeFileSync(out, JSON.stringify({atoms: atoms, writes: writes, renames: renames}));
  console.log('reported', atoms.length, 'atoms;', writes, 'file writes');
  setTimeout(function () { process.exit(0); }, 10);
}

setTimeout(function () { console.error('timeout: pending', pending, 'inflight', inflight); process.exit(3); }, 90000);
phase1();
