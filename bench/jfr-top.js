#!/usr/bin/env node
// Summarises a CPU profile: the samples per thread and the hottest frames, self (top frame) and
// total (anywhere on the stack, once per sample). Reads on stdin either
//   - a JFR recording as `jfr print --stack-depth 64 --events jdk.ExecutionSample FILE` prints it, or
//   - with --collapsed, an async-profiler profile in collapsed form ("frame;...;frame COUNT" a line,
//     root first; with async-profiler's `threads` option the root is "[thread name tid=N]"; kernel
//     frames end in _[k]).
//
//   jfr print --stack-depth 64 --events jdk.ExecutionSample relay.jfr | node bench/jfr-top.js [--top 25] [--filter io.jgun]
//   node bench/jfr-top.js --collapsed [--top 25] [--filter PREFIX] < profile.collapsed
// --thread PREFIX keeps only the samples of threads whose name starts with PREFIX (e.g. jgun-io).
'use strict';
var top = 25, filter = '', collapsed = false, onlyThread = '';
for (var i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--top') { top = +process.argv[++i] }
  else if (process.argv[i] === '--filter') { filter = process.argv[++i] }
  else if (process.argv[i] === '--collapsed') { collapsed = true }
  else if (process.argv[i] === '--thread') { onlyThread = process.argv[++i] }
  else { process.stderr.write('usage: node bench/jfr-top.js [--collapsed] [--top N] [--filter PREFIX] [--thread PREFIX] < PROFILE\n'); process.exit(2) }
}
var text = require('fs').readFileSync(0, 'utf8');
var self = new Map(), total = new Map(), threads = new Map(), samples = 0;
function add(m, k, n) { m.set(k, (m.get(k) || 0) + n) }
// One stack (top frame first) seen n times. Thread names lose their numbers, so pools add up
// (jgun-ws-server-3-1 -> jgun-ws-server-N-N).
function sample(thread, frames, n) {
  if (onlyThread && (thread === null || thread.indexOf(onlyThread) !== 0)) { return }
  samples += n;
  if (thread !== null) { add(threads, thread.replace(/\d+/g, 'N'), n) }
  if (frames.length) { add(self, frames[0], n) }
  new Set(frames).forEach(function (f) { add(total, f, n) });
}
if (collapsed) {
  text.split('\n').forEach(function (line) {
    var sp = line.lastIndexOf(' '), n = +line.slice(sp + 1);
    if (sp < 0 || !(n > 0)) { return }
    var frames = line.slice(0, sp).split(';'), t = /^\[(.*) tid=\d+\]$/.exec(frames[0]);
    if (t) { frames = frames.slice(1) }
    sample(t ? t[1] : null, frames.reverse(), n);
  });
} else {
  text.split('jdk.ExecutionSample {').slice(1).forEach(function (ev) {
    var th = /sampledThread = "([^"]*)"/.exec(ev), st = /stackTrace = \[\n([\s\S]*?)\n\s*\]/.exec(ev);
    if (!st) { return }
    var frames = st[1].split('\n').map(function (l) { return l.trim().replace(/\s+line: \d+.*$/, '') }).filter(function (l) { return l && l !== '...' });
    sample(th ? th[1] : '?', frames, 1);
  });
}
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
