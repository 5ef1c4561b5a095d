#!/usr/bin/env node
// Summarises an async-profiler profile in collapsed form ("frame;frame;...;frame COUNT" a line,
// root first; with async-profiler's `threads` option the root is "[thread name tid=N]"): prints
// the samples per thread, the hottest frames by self (top frame) and by total (anywhere on the
// stack, once per stack). Kernel frames end in _[k]; JIT-compiled Java frames use slashes.
//
//   node bench/collapsed-top.js [--top 25] [--filter PREFIX] < profile.collapsed
'use strict';
var top = 25, filter = '';
for (var i = 2; i < process.argv.length; i += 2) {
  if (process.argv[i] === '--top') { top = +process.argv[i + 1] }
  else if (process.argv[i] === '--filter') { filter = process.argv[i + 1] }
  else { process.stderr.write('usage: node bench/collapsed-top.js [--top N] [--filter PREFIX] < FILE\n'); process.exit(2) }
}
var self = new Map(), total = new Map(), threads = new Map(), samples = 0;
function add(m, k, n) { m.set(k, (m.get(k) || 0) + n) }
require('fs').readFileSync(0, 'utf8').split('\n').forEach(function (line) {
  var sp = line.lastIndexOf(' ');
  if (sp < 0) { return }
  var n = +line.slice(sp + 1);
  if (!(n > 0)) { return }
  var frames = line.slice(0, sp).split(';');
  samples += n;
  var t = /^\[(.*) tid=\d+\]$/.exec(frames[0]);
  if (t) {
    // Thread names without their numbers, so pools add up (jgun-ws-server-3-1 -> jgun-ws-server-N-N).
    add(threads, t[1].replace(/\d+/g, 'N'), n);
    frames = frames.slice(1);
  }
  if (frames.length) { add(self, frames[frames.length - 1], n) }
  new Set(frames).forEach(function (f) { add(total, f, n) });
});
function show(title, m) {
  if (!m.size) { return }
  var rows = Array.from(m.entries()).filter(function (e) { return !filter || e[0].indexOf(filter) === 0 })
    .sort(function (a, b) { return b[1] - a[1] }).slice(0, top);
  console.log('\n' + title + ' (' + samples + ' samples)');
  rows.forEach(function (e) { console.log(('     ' + (100 * e[1] / samples).toFixed(1)).slice(-6) + '%  ' + e[1] + '  ' + e[0]) });
}
show('threads', threads);
show('self (top frame)', self);
show('total (on the stack)', total);
