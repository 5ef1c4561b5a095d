#!/usr/bin/env node
// Generates the JavaScript-formatting test vectors of io.jgun.json (plain node, no npm packages).
//
//   node scripts/gen-number-vectors.js [outDir]
//
// outDir defaults to jgun-core/src/test/resources/vectors. Writes (deterministic: fixed seed):
//   numbers.txt.gz  "<16 hex digits of the double's bits> <JSON.stringify(x)>" per line
//   radix.txt.gz    "<16 hex digits> <radix> <x.toString(radix)>" per line
//   strings.txt     "<UTF-16 code units as 4 hex digits each><TAB><JSON.stringify(s)>" per line
//   keys.jsonl      {"keys":[inserted], "order":Object.keys(obj), "sorted":keys after the ## sorter}
// Re-running it must reproduce the committed files byte for byte.
'use strict';
var fs = require('fs');
var path = require('path');
var zlib = require('zlib');

var outDir = process.argv[2] || path.join(__dirname, '..', 'jgun-core', 'src', 'test', 'resources', 'vectors');
fs.mkdirSync(outDir, { recursive: true });

// splitmix64 on BigInt: a small, well-known generator that is easy to reproduce anywhere.
var state = 0x6a67756e2d6a736fn; // "jgun-jso"
var M64 = (1n << 64n) - 1n;
function next64() {
  state = (state + 0x9e3779b97f4a7c15n) & M64;
  var z = state;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}
function random() { return Number(next64() >> 11n) / 9007199254740992; } // [0, 1)
function randInt(n) { return Math.floor(random() * n); } // [0, n)

var f64 = new Float64Array(1);
var u64 = new BigUint64Array(f64.buffer);
function bitsOf(x) { f64[0] = x; return u64[0]; }
function fromBits(b) { u64[0] = b; return f64[0]; }
function hex(x) { return bitsOf(x).toString(16).padStart(16, '0'); }
function nextUp(x) {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return 5e-324;
  var b = bitsOf(x);
  return fromBits(x > 0 ? b + 1n : b - 1n);
}
function nextDown(x) { return -nextUp(-x); }

// ---- numbers ----------------------------------------------------------------------------------
var numbers = [];
var seen = new Set();
function add(x) {
  if (typeof x !== 'number' || !isFinite(x)) return;
  var h = hex(x);
  if (seen.has(h)) return;
  seen.add(h);
  numbers.push(x);
}
function addAround(x) { add(x); add(nextUp(x)); add(nextDown(x)); add(-x); }

[0, -0, 5e-324, Number.MIN_VALUE, Number.MAX_VALUE, 2.2250738585072014e-308, 2.225073858507201e-308,
 1e21, 1e-7, 1e-6, 0.000001, 0.0000001, 0.1 + 0.2, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, Math.PI, Math.E,
 2 ** 53, 2 ** 53 + 1, 2 ** 53 - 1, 2 ** 53 + 2, 2 ** 54, 2 ** 60, 2 ** 63, 2 ** 64, 2 ** 70,
 1e23, 7e22, 9007199254740993, 123e18, 999999999999999999999, 1e22, 1e20, 1.5, 30, 100,
 1795520877934.002, 1795520877934.001, 1795520872832, 1795520874804, 1.7976931348623157e308,
 4.9406564584124654e-324, 1e-323, 1.5e-323, 0.5, 0.25, 0.125, 1e15, 1e16, 1e17, 123456789012345680000,
 9.999999999999999e22, 1.0000000000000001e23, 5e-7, 4.35, 0.07, 1.005, 2.675, 8.41, 100.1, 1e-300,
 1e300, 1.2345678901234567e-100, 299792458, 6.02214076e23, 1.602176634e-19
].forEach(addAround);

for (var e = -325; e <= 309; e++) addAround(Number('1e' + e)); // powers of ten
for (var b = -1074; b <= 1023; b++) addAround(2 ** b); // powers of two (irregular gaps)
for (var c = 1; c <= 300; c++) addAround(c * 5e-324); // the smallest subnormals
for (var i = 0; i <= 2000; i++) { add(i); add(-i); }

// Short decimals, some of them exact midpoints between two doubles (1e23, 7e22, ...): the shortest
// form then depends on the interval being closed for an even significand.
for (var m = 1; m <= 999; m++) {
  for (var e10 = 15; e10 <= 40; e10++) {
    var D = BigInt(m) * 10n ** BigInt(e10);
    var x = Number(D);
    var X = BigInt(x);
    var other = X < D ? nextUp(x) : nextDown(x);
    if (X !== D && isFinite(other) && X + BigInt(other) === 2n * D) { addAround(x); addAround(other); }
  }
}
for (var n = 0; n < 8000; n++) {
  addAround(Number(String(1 + randInt(999999)) + 'e' + (randInt(640) - 330)));
}

// Gun states: integral milliseconds near 1.8e12, plus N/999 fractions as Gun.state() makes them.
for (var n = 0; n < 1500; n++) {
  var t = 1700000000000 + randInt(200000000000);
  add(t);
  for (var k = 1; k <= 14; k++) add(t + k / 999);
  add(t + (1 + randInt(5000)) / 999);
}

// Random bit patterns over the whole range.
for (var n = 0; n < 40000; n++) add(fromBits(next64()));
// Uniform [0, 1), a few money-like and few-decimal numbers, integers of all magnitudes.
for (var n = 0; n < 6000; n++) add(random());
for (var n = 0; n < 6000; n++) add(randInt(10000000) / 100);
for (var n = 0; n < 4000; n++) add((randInt(2000001) - 1000000) / 10 ** (1 + randInt(9)));
for (var n = 0; n < 6000; n++) {
  var mag = 1 + randInt(25);
  add(Math.floor(random() * 10 ** mag) * (random() < 0.5 ? -1 : 1));
}
for (var n = 0; n < 3000; n++) add(randInt(1000000) * 5e-324); // subnormals

var numLines = numbers.map(function (x) { return hex(x) + ' ' + JSON.stringify(x) + '\n'; });
fs.writeFileSync(path.join(outDir, 'numbers.txt.gz'), zlib.gzipSync(numLines.join(''), { level: 9 }));

// ---- radix ------------------------------------------------------------------------------------
var radixLines = [];
numbers.forEach(function (x, i) {
  var h = hex(x);
  var a = Math.abs(x);
  if (a >= 1e9 && a < 1e16 && x > 0) radixLines.push(h + ' 36 ' + x.toString(36) + '\n'); // states
  if (i % 7 === 0) radixLines.push(h + ' 36 ' + x.toString(36) + '\n');
  if (i % 41 === 0) {
    var r = 2 + (i / 41) % 35;
    radixLines.push(h + ' ' + r + ' ' + x.toString(r) + '\n');
  }
});
fs.writeFileSync(path.join(outDir, 'radix.txt.gz'), zlib.gzipSync(radixLines.join(''), { level: 9 }));

// ---- strings ----------------------------------------------------------------------------------
var tricky = [0x00, 0x01, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b, 0x1f, 0x20, 0x22, 0x27, 0x2f,
  0x5c, 0x61, 0x7e, 0x7f, 0x80, 0x9f, 0xa0, 0xe9, 0xff, 0x100, 0x2028, 0x2029, 0x3000, 0xd7ff, 0xd800,
  0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfeff, 0xfffd, 0xfffe, 0xffff];
var strings = ['', 'a', '"', '\\', '/', '\u2028', '\u2029', '\u007f', '\ud800', '\udc00', '\ud83d\ude00',
  '\ude00\ud83d', '\ud83d\ud83d\ude00', '\ud83d\ude00\ude00', 'a\ud800b', 'a\udfffb', 'tab\there',
  'line\nbreak', 'cr\rlf\n', '\b\f\n\r\t\u000b\u0000\u001f', '\u00e9t\u00e9', 'h\u00e9llo w\u00f6rld',
  'quote "inside" and \\backslash\\', '</script>', '\ufeffbom', 'Hello, World!'];
for (var cu = 0; cu < 0x80; cu++) strings.push(String.fromCharCode(cu));
for (var n = 0; n < 3000; n++) {
  var len = randInt(12);
  var s = '';
  for (var j = 0; j < len; j++) {
    var pick = randInt(4);
    s += String.fromCharCode(pick === 0 ? randInt(0x10000) : pick === 1 ? 0x20 + randInt(0x5f) : tricky[randInt(tricky.length)]);
  }
  strings.push(s);
}
var strLines = strings.map(function (s) {
  var h = '';
  for (var j = 0; j < s.length; j++) h += s.charCodeAt(j).toString(16).padStart(4, '0');
  return h + '\t' + JSON.stringify(s) + '\n';
});
fs.writeFileSync(path.join(outDir, 'strings.txt'), strLines.join(''));

// ---- key order --------------------------------------------------------------------------------
function sorter(k, v) {
  if (!(v instanceof Object)) return v;
  var t = {};
  Object.keys(v).sort().forEach(function (k) { t[k] = v[k]; });
  return t;
}
var keyPool = ['0', '1', '2', '9', '10', '11', '100', '01', '00', '-1', '-0', '1.5', '1e3', ' 1', '1 ',
  '4294967294', '4294967295', '4294967296', '9007199254740991', '18446744073709551616', 'a', 'b', 'B',
  'Z', '_', '_a', '#', '>', '.', 'a b', '\u00e9', '\u00fc', '\uff5e', '\ud83d\ude00', '\ud800', '\udfff',
  'key', 'Key', 'k\u2028', ''];
var keyLines = [];
for (var n = 0; n < 1500; n++) {
  var count = 1 + randInt(12);
  var keys = [];
  for (var j = 0; j < count; j++) {
    var key = random() < 0.8 ? keyPool[randInt(keyPool.length)]
      : random() < 0.5 ? String(randInt(100000)) : String.fromCharCode(0x20 + randInt(0x60), randInt(0x10000));
    if (keys.indexOf(key) < 0) keys.push(key);
  }
  var obj = {};
  keys.forEach(function (k, i) { obj[k] = i; });
  keyLines.push(JSON.stringify({ keys: keys, order: Object.keys(obj), sorted: Object.keys(sorter('', obj)) }) + '\n');
}
fs.writeFileSync(path.join(outDir, 'keys.jsonl'), keyLines.join(''));

console.log('numbers: ' + numLines.length + ', radix: ' + radixLines.length + ', strings: ' + strLines.length +
  ', key sets: ' + keyLines.length + ' -> ' + outDir);
