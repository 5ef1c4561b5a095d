#!/usr/bin/env node
// Summarises the CPU samples of a JFR recording: reads `jfr print --stack-depth 64 --events
// jdk.ExecutionSample FILE` on stdin and prints the hottest methods, self (top frame) and total
// (anywhere on the stack, once per sample), and the samples per thread.
//
//   jfr print --stack-depth 64 --events jdk.ExecutionSample relay.jfr | node bench/jfr-top.js [--top 25] [--filter io.jgun]
'use strict';
var top = 25, filter = '';
for (var i = 2; i < process.argv.length; i += 2) {
  if (process.argv[i] === '--top') { top = +process.argv[i + 1] }
  else if (process.argv[i] === '--filter') { filter = process.argv[i + 1] }
  else { process.stderr.write('usage: jfr print ... | node bench/jfr-top.js [--top N] [--filter PREFIX]\n'); process.exit(2) }
}
var text = require('fs').readFileSync(0, 'utf8');
var self = new Map(), total = new Map(), threads = new Map(), samples = 0;
function add(m, k) { m.set(k, (m.get(k) || 0) + 1) }
text.split('jdk.ExecutionSample {').slice(1).forEach(function (ev) {
  var th = /sampledThread = "([^"]*)"/.exec(ev), st = /stackTrace = \[\n([\s\S]*?)\n\s*\]/.exec(ev);
  if (!st) { return }
  samples++;
  // Thread names without their numbers, so pools add up (epollEventLoopGroup-3-1 -> epollEventLoopGroup-N-N).
  add(threads, th ? th[1].replace(/\d+/g, 'N') : '?');
  var frames = st[1].split('\n').map(function (l) { return l.trim().replace(/\s+line: \d+.*$/, '') }).filter(function (l) { return l && l !== '...' });
  if (frames.length) { add(self, frames[0]) }
  var seen = new Set();
  frames.forEach(function (f) { if (!seen.has(f)) { seen.add(f); add(total, f) } });
});
function show(title, m) {
  var rows = Array.from(m.entries()).filter(function (e) { return !filter || e[0].indexOf(filter) === 0 })
    .sort(function (a, b) { return b[1] - a[1] }).slice(0, top);
  console.log('\n' + title + ' (' + samples + ' samples)');
  rows.forEach(function (e) { console.log(('     ' + (100 * e[1] / samples).toFixed(1)).slice(-6) + '%  ' + e[1] + '  ' + e[0]) });
}
show('threads', threads);
show('self (top frame)', self);
show('total (on the stack)', total);
