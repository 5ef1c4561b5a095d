#!/usr/bin/env node
// Writes jgun-core/src/test/resources/vectors/radix36.jsonl: JavaScript's Number.prototype.toString(36)
// for Gun.js-like states (ms since epoch plus N/999, docs/protocol.md §2.1) and edge values, so that IdsTest can
// hold jgun's radix-36 formatting (used by generated souls, docs/protocol.md §1.4) to the engine's.
//
// Usage: node scripts/gen-radix36-vectors.js   (plain node, no packages)
// One line per vector: {"d": number, "s": d.toString(36)}. The output is deterministic (seeded).
'use strict';
const fs = require('fs');
const path = require('path');

// mulberry32: a small seeded PRNG, so that the file only changes when this script does.
function rng(seed) {
  return function () {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20201241);

const values = [];
const base = 1795520877934;
// The states seen in the golden capture and their neighbours.
for (let n = 0; n <= 30; n++) { values.push(base + n / 1000, base + n / 999); }
values.push(base + 0.5, base + 0.25, base + 0.999, base + 998 / 999, base + 1 / 3);
// Random Gun.state()-like values: t + N/999 with t in the years 2020..2030.
for (let i = 0; i < 2000; i++) {
  const t = 1577836800000 + Math.floor(random() * 315576000000);
  const n = Math.floor(random() * 999);
  values.push(t + n / 999);
}
// Random doubles of every magnitude up to 2^53 (fractions included).
for (let i = 0; i < 1000; i++) {
  values.push(random() * Math.pow(2, Math.floor(random() * 54)));
}
// Edge values: zero, digit boundaries, tiny fractions, the top of the safe range, past it.
values.push(0, 1, 35, 36, 37, 1295, 1296, 0.5, 0.1, 1 / 3, 2 / 3, 1 / 36, 0.000001, 1e-7, 1e-20,
  Number.MIN_VALUE, Number.EPSILON, 2 ** 52 + 0.5, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 2 ** 60,
  1e21, 1.7976931348623157e308, 35.99999999999999, 0.9999999999999999, 1295.9999999999998,
  -1, -0.5, -base - 0.001);

const lines = values.map((d) => JSON.stringify({ d: d, s: d.toString(36) }));
const out = path.join(__dirname, '..', 'jgun-core', 'src', 'test', 'resources', 'vectors', 'radix36.jsonl');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, lines.join('\n') + '\n');
console.log('wrote ' + lines.length + ' vectors to ' + path.relative(process.cwd(), out));
