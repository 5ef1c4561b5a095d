#!/usr/bin/env node
// Generates the DAM '##' test vectors of io.jgun.wire.DamHash (plain node, no npm packages).
//
//   node scripts/gen-hash-vectors.js [outDir]
//
// outDir defaults to jgun-core/src/test/resources/vectors. Writes dam-hash.jsonl, one put graph per
// line: {"put": <JSON.stringify(put) as a string>, "entries": <the same graph as arrays>,
// "canonical": <JSON.stringify(put, sorter)>, "hash": <String.hash of canonical>}. The sorter and the hash follow docs/protocol.md §7 (written here, not taken
// from Gun.js); the two captured vectors of docs/protocol.md §7 are checked first. Deterministic: fixed seed.
'use strict';
var fs = require('fs');
var path = require('path');

var outDir = process.argv[2] || path.join(__dirname, '..', 'jgun-core', 'src', 'test', 'resources', 'vectors');
fs.mkdirSync(outDir, { recursive: true });

// 31 * h + code unit over UTF-16 code units, wrapping to a signed 32-bit integer (docs/protocol.md §7).
function hash(s) {
  var h = 0;
  for (var i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
// Rebuilds every object with its keys in Object.keys(v).sort() order (JS then still puts
// array-index keys first, and drops '__proto__': assigning it sets the prototype instead).
function sorter(k, v) {
  if (!(v instanceof Object)) return v;
  var t = {};
  Object.keys(v).sort().forEach(function (k) { t[k] = v[k]; });
  return t;
}
function canonical(put) { return JSON.stringify(put, sorter); }

var alice = {"user/alice":{"_":{"#":"user/alice",">":{"admin":1795520872832,"age":1795520872832,"name":1795520872832,"score":1795520872832}},"admin":true,"age":30,"name":"Alice","score":1.5}};
var config = {"config/app":{"_":{"#":"config/app",">":{"theme":1795520874804}},"theme":"dark"}};
if (hash(canonical(alice)) !== 1068460185 || hash(canonical(config)) !== 313217722) {
  throw new Error('hash or sorter disagrees with the captured vectors of docs/protocol.md §7');
}
['', 'a', 'abc', 'hello', 'Hello, World!', '\u00e9t\u00e9', '\ud83d\ude00'].forEach(function (s, i) {
  if (hash(s) !== [0, 97, 96354, 99162322, 1498789909, 227742, 1772899][i]) throw new Error('hash of ' + s);
});

var state = 0x6a67756e2d64616dn; // "jgun-dam"; splitmix64
var M64 = (1n << 64n) - 1n;
function next64() {
  state = (state + 0x9e3779b97f4a7c15n) & M64;
  var z = state;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}
function random() { return Number(next64() >> 11n) / 9007199254740992; }
function randInt(n) { return Math.floor(random() * n); }
function pick(a) { return a[randInt(a.length)]; }

var souls = ['user/alice', 'config/app', 'a', 'B', '10', '9', '1', '0', '~@bob', '\u00e9t\u00e9/x', '\ud83d\ude00',
  'x"y', 'back\\slash', 'line\u2028sep', 'tab\tsoul', 'mwumrs6m.01aEMzlcPkpbxj', 'a/b/c'];
var keys = ['10', '9', '1', '0', '01', '4294967294', '4294967295', '-1', '1.5', 'a', 'A', 'B', 'Z', 'b', 'name',
  'age', '_a', '#', '>', '\u00e9', '\u00fc', '\ud83d\ude00', '\ud800', 'a b', '', 'k\n', 'quote"', 'x/y'];
var t0 = 1795520877934;
function someState() {
  var t = t0 + randInt(100000);
  return random() < 0.5 ? t : t + (1 + randInt(20)) / 999;
}
function someValue() {
  switch (randInt(9)) {
    case 0: return pick(['', 'dark', 'Alice', '\u00e9t\u00e9 \ud83d\ude00', 'a"b\\c', '\u0000\u001f\u007f',
      '\u2028\u2029', 'lone \udc00', String.fromCharCode(randInt(0x10000), randInt(0x10000))]);
    case 1: return randInt(1000) - 500;
    case 2: return pick([1.5, 0.1 + 0.2, 1e21, 5e-324, -0, 2 ** 53 + 2, 1e-7, -2.5, 123456.789, 1 / 3]);
    case 3: return someState();
    case 4: return random() < 0.5;
    case 5: return null;
    case 6: return { '#': pick(souls) };
    case 7: return random() * 1000;
    default: return 'v' + randInt(100000);
  }
}
function someGraph() {
  var put = {};
  var n = 1 + randInt(3);
  for (var i = 0; i < n; i++) {
    var soul = pick(souls);
    var node = { _: { '#': soul, '>': {} } };
    var fields = randInt(9);
    for (var j = 0; j < fields; j++) {
      var key = pick(keys);
      node._['>'][key] = someState();
      node[key] = someValue();
    }
    put[soul] = node;
  }
  return put;
}

var graphs = [alice, config];
graphs.push({ 'n': { _: { '#': 'n', '>': { '10': 1, '9': 2, '1': 3, 'b': 4, 'A': 5 } }, '10': 'ten', '9': 'nine', '1': 'one', 'b': null, 'A': { '#': 'x' } } });
graphs.push({ 'n': { _: { '#': 'n', '>': {} } } });
// '__proto__' vanishes from the sorted text (the sorter's assignment sets the prototype instead).
graphs.push(JSON.parse('{"p":{"_":{"#":"p",">":{"__proto__":1,"a":2}},"__proto__":"x","a":{"#":"l"}}}'));
graphs.push(JSON.parse('{"__proto__":{"_":{"#":"__proto__",">":{"a":1}},"a":1},"q":{"_":{"#":"q",">":{"__proto__":3}},"__proto__":{"#":"q"}}}'));
for (var i = 0; i < 300; i++) graphs.push(someGraph());

// "entries" spells the graph out as [[soul, [[key, value, state], ...]], ...] so that a reader never
// meets lone surrogates in object keys (Jackson rejects those in names, though not in values);
// "put" is the graph's plain JSON.stringify text, for reading.
function entries(put) {
  return Object.keys(put).map(function (soul) {
    var node = put[soul];
    return [soul, Object.keys(node).filter(function (k) { return k !== '_'; }).map(function (k) {
      return [k, node[k], node._['>'][k]];
    })];
  });
}
var lines = graphs.map(function (put) {
  var text = canonical(put);
  return JSON.stringify({ put: JSON.stringify(put), entries: entries(put), canonical: text, hash: hash(text) }) + '\n';
});
fs.writeFileSync(path.join(outDir, 'dam-hash.jsonl'), lines.join(''));
console.log('dam-hash vectors: ' + lines.length + ' -> ' + outDir);
