#!/usr/bin/env node
// Writes jgun-core/src/test/resources/vectors/lex.jsonl: what Gun.js's own String.match(t, o)
// answers for many (t, o) pairs, so that LexVectorsTest can hold io.jgun.graph.Lex.matches to it.
//
// Usage: node scripts/gen-lex-vectors.js
//   GUN=/path/to/node_modules/gun   use that copy of npm gun (must be 0.2020.1241);
//   otherwise gun@0.2020.1241 is installed once into $TMPDIR/jgun-gunref (nothing is installed
//   into this repository).
//
// One line per vector: {"t": target, "o": condition, "m": result}. "o" is either a plain string or
// an object whose keys are among "=", "*", ">", "<" with string values (absent keys are left out).
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');
const { execFileSync } = require('child_process');

const GUN_VERSION = '0.2020.1241';

function gunDir() {
  if (process.env.GUN) { return process.env.GUN; }
  const prefix = path.join(os.tmpdir(), 'jgun-gunref');
  const dir = path.join(prefix, 'node_modules', 'gun');
  if (!fs.existsSync(path.join(dir, 'gun.js'))) {
    fs.mkdirSync(prefix, { recursive: true });
    execFileSync('npm', ['install', '--no-save', '--prefix', prefix, 'gun@' + GUN_VERSION],
      { stdio: 'inherit' });
  }
  return dir;
}

const dir = gunDir();
const version = require(path.join(dir, 'package.json')).version;
if (version !== GUN_VERSION) {
  throw new Error('expected gun ' + GUN_VERSION + ' at ' + dir + ', found ' + version);
}
require(path.join(dir, 'gun.js')); // defines String.match (and String.random, String.hash)
if (typeof String.match !== 'function') { throw new Error('gun.js did not define String.match'); }

// Targets: empty, prefixes of each other, case, non-ASCII, a surrogate pair (UTF-16 order differs
// from code point order against U+FFFF), a lone surrogate, NUL.
const targets = ['', 'a', 'ap', 'apple', 'apricot', 'aq', 'b', 'banana', 'B', 'Z', 'z', 'é', 'éa',
  '😀', '😀x', '\uFFFF', '\uD83D', 'ap\u0000', 'user/alice', 'user/'];

// Condition values: absent, the empty string (falsy in JS: the tricky case), ordinary ones.
const values = [undefined, '', 'ap', 'b', '😀'];
const keys = ['=', '*', '>', '<'];
// The targets tried against every combination (a subset, to keep the file small).
const comboTargets = ['', 'a', 'ap', 'apple', 'aq', 'b', 'banana', 'B', 'é', '😀', '\uFFFF', '\uD83D'];

const lines = [];
function add(t, o) {
  const m = String.match(t, o);
  if (typeof m !== 'boolean') { throw new Error('non-boolean match for ' + JSON.stringify([t, o])); }
  lines.push(JSON.stringify({ t: t, o: o, m: m }));
}

// Every combination of the four keys over the value set, against every target.
const n = values.length;
for (let i = 0; i < n ** keys.length; i++) {
  const o = {};
  let k = i;
  for (const key of keys) {
    const v = values[k % n];
    k = Math.floor(k / n);
    if (v !== undefined) { o[key] = v; }
  }
  for (const t of comboTargets) { add(t, o); }
}

// A plain string condition means exact.
for (const o of targets) { for (const t of targets) { add(t, o); } }

// Realistic ranges and prefixes over souls and keys.
const words = ['apple', 'apricot', 'banana', 'blueberry', 'cherry', 'user/alice', 'user/bob',
  'user', 'users', 'user/', 'date/2024-01-01', 'date/2024-12-31', 'date/2025-01-01'];
const conds = [{ '*': 'ap' }, { '>': 'apricot', '<': 'banana' }, { '>': 'b' }, { '<': 'b' },
  { '*': 'user/' }, { '>': 'date/2024', '<': 'date/2024~' }, { '>': 'date/2024-06' },
  { '<': 'date/2024-06' }, { '*': 'user/', '>': 'user/b' }, { '=': 'user', '*': 'user/' },
  { '>': 'banana', '<': 'apricot' }, { '>': 'cherry', '<': 'cherry' }, { '>': '', '<': 'b' },
  { '*': '', '>': 'b' }, { '=': '', '<': '' }, { '>': '\uFFFF' }, { '<': '😀' }, { '>': '😀', '<': '\uFFFF' }];
const unicode = ['', 'a', 'é', '😀', '😀x', '\uFFFF', '\uD83D', '\uD83D\uDE00', '\uE000', 'ap\u0000'];
for (const o of conds) { for (const t of unicode) { add(t, o); } }
for (const o of conds) { for (const t of words) { add(t, o); } }

const out = path.join(__dirname, '..', 'jgun-core', 'src', 'test', 'resources', 'vectors', 'lex.jsonl');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, lines.join('\n') + '\n');
console.log('wrote ' + lines.length + ' vectors to ' + path.relative(process.cwd(), out));
