#!/usr/bin/env node
// Turns the raw results of the benchmark scripts into Markdown tables (medians of the repeats).
//
//   node bench/report.js side-by-side RESULTS.jsonl     (written by bench/storage-side-by-side.sh)
//   node bench/report.js memory SAMPLES.jsonl           (written by bench/memory-flat.sh)
//
// side-by-side lines: {"relay","row","rep","relayCpuSec","load":{…load.js output…}} for each run and
// {"relay","kind":"process","vmHwmKb","cpuSec",…} once per relay. memory lines: {"relay","t","rssKb",
// "phase"} samples and {"relay","kind":"phase",…} markers and {"relay","kind":"summary",…}.
'use strict';
var fs = require('fs');

var NAMES = {gun: 'Gun.js', jgun: 'jgun'};

function median(xs) {
  xs = xs.filter(function (x) { return typeof x === 'number' && isFinite(x) }).sort(function (a, b) { return a - b });
  if (!xs.length) { return null }
  var m = xs.length >> 1;
  return xs.length % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
}
function fmt(x, digits) {
  if (x === null || x === undefined) { return '–' }
  if (Math.abs(x) >= 100 || digits === 0) { return Math.round(x).toLocaleString('en-US') }
  if (Math.abs(x) >= 10) { return x.toFixed(1) }
  return x.toFixed(digits === undefined ? 2 : digits);
}
function ratio(j, g) { return j === null || g === null || g === 0 ? '–' : (j / g >= 10 ? Math.round(j / g) + '×' : (j / g).toFixed(2) + '×') }
function lines(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(function (l) { return JSON.parse(l) });
}

function sideBySide(file) {
  var all = lines(file), runs = all.filter(function (o) { return o.load }), procs = all.filter(function (o) { return o.kind === 'process' });
  var rows = [], byKey = {};
  runs.forEach(function (o) {
    if (rows.indexOf(o.row) < 0) { rows.push(o.row) }
    (byKey[o.row + '|' + o.relay] = byKey[o.row + '|' + o.relay] || []).push(o);
  });
  function stat(row, relay) {
    var rs = byKey[row + '|' + relay] || [];
    if (!rs.length) { return null }
    var L = function (f) { return median(rs.map(f)) };
    return {
      n: rs.length,
      ops: L(function (o) { return o.load.opsPerSec }),
      p50: L(function (o) { return o.load.latencyMs.p50 }),
      p99: L(function (o) { return o.load.latencyMs.p99 }),
      max: L(function (o) { return o.load.latencyMs.max }),
      cpuPerOp: L(function (o) { return o.load.completed ? o.relayCpuSec * 1e6 / o.load.completed : null }),
      loadCpu: L(function (o) { return o.load.client.cpuPercent }),
      relayCpu: L(function (o) { return o.relayCpuSec / o.load.client.wallSeconds * 100 }),
      // CPU the rest of the machine used meanwhile: busy time minus the relay's and the load tool's.
      others: rs.map(function (o) {
        return o.machineBusySec === undefined ? null : Math.max(0, (o.machineBusySec - o.relayCpuSec - o.load.client.cpuSeconds) / o.load.client.wallSeconds * 100);
      }),
      bad: rs.reduce(function (a, o) { return a + o.load.errors + o.load.timeouts + o.load.unansweredAtEnd + (o.load.badFrames || 0) + (o.load.notFound || 0) }, 0),
      opsAll: rs.map(function (o) { return o.load.opsPerSec })
    };
  }
  var out = [];
  out.push('| workload | Gun.js ops/s | jgun ops/s | jgun/Gun.js | Gun.js p50 / p99 / max ms | jgun p50 / p99 / max ms | p99 jgun/Gun.js |');
  out.push('|---|---|---|---|---|---|---|');
  rows.forEach(function (row) {
    var g = stat(row, 'gun'), j = stat(row, 'jgun');
    var lat = function (s) { return s ? fmt(s.p50) + ' / ' + fmt(s.p99) + ' / ' + fmt(s.max) : '–' };
    out.push('| ' + row + ' | ' + (g ? fmt(g.ops, 0) : '–') + ' | ' + (j ? fmt(j.ops, 0) : '–') + ' | ' + ratio(j && j.ops, g && g.ops) +
      ' | ' + lat(g) + ' | ' + lat(j) + ' | ' + ratio(j && j.p99, g && g.p99) + ' |');
  });
  out.push('');
  out.push('| workload | relay | runs (ops/s each) | relay CPU µs/op | relay CPU % of one core | load tool CPU % | CPU % of other processes during each run | errors + timeouts + lost + not found |');
  out.push('|---|---|---|---|---|---|---|---|');
  rows.forEach(function (row) {
    ['gun', 'jgun'].forEach(function (r) {
      var s = stat(row, r);
      if (!s) { return }
      out.push('| ' + row + ' | ' + NAMES[r] + ' | ' + s.opsAll.map(function (x) { return fmt(x, 0) }).join(', ') + ' | ' + fmt(s.cpuPerOp) +
        ' | ' + fmt(s.relayCpu, 0) + ' | ' + fmt(s.loadCpu, 0) + ' | ' + s.others.map(function (x) { return x === null ? '?' : Math.round(x) }).join(', ') + ' | ' + s.bad + ' |');
    });
  });
  out.push('');
  out.push('| relay | peak RSS (VmHWM) | CPU time, whole session | data on disk at the end |');
  out.push('|---|---|---|---|');
  procs.forEach(function (p) {
    out.push('| ' + NAMES[p.relay] + ' | ' + fmt(p.vmHwmKb / 1024, 0) + ' MiB | ' + fmt(p.cpuSec, 1) + ' s | ' + (p.dataKb === undefined ? '–' : fmt(p.dataKb / 1024, 0) + ' MiB') + ' |');
  });
  return out.join('\n');
}

function memory(file) {
  var all = lines(file), out = [], sums = [];
  all.filter(function (o) { return o.kind === 'run' }).forEach(function (run) {
    var samples = all.filter(function (o) { return o.relay === run.relay && o.t !== undefined && typeof o.rssKb === 'number' });
    var write = samples.filter(function (o) { return o.phase === 'write' });
    var warmEnd = write.length ? write[Math.floor(write.length * 0.2)] : null;
    var after = warmEnd ? samples.filter(function (o) { return o.t >= warmEnd.t }) : [];
    var maxAfter = after.reduce(function (m, o) { return Math.max(m, o.rssKb) }, 0);
    var growth = warmEnd ? maxAfter / warmEnd.rssKb - 1 : null;
    // The curve: at most ~48 points, the write phase's end marked with |.
    var step = Math.max(1, Math.ceil(samples.length / 48)), pts = [];
    samples.forEach(function (o, i) {
      var nextPhase = samples[i + 1] && samples[i + 1].phase;
      if (i % step === 0 || (o.phase === 'write' && nextPhase && nextPhase !== 'write')) {
        pts.push(Math.round(o.rssKb / 1024) + (o.phase === 'write' && nextPhase && nextPhase !== 'write' ? ' |' : ''));
      }
    });
    sums.push({
      relay: run.relay, note: run.note, intervalSec: run.intervalSec * step,
      mbWritten: run.write.completed * run.size / 1e6, writeSeconds: run.write.seconds, opsPerSec: run.write.opsPerSec,
      writeP99: run.write.latencyMs.p99, readOps: run.read ? run.read.opsPerSec : null, readP50: run.read ? run.read.latencyMs.p50 : null, readP99: run.read ? run.read.latencyMs.p99 : null,
      loadCpu: run.write.client.cpuPercent,
      rssStartKb: samples.length ? samples[0].rssKb : null, rssWarmKb: warmEnd ? warmEnd.rssKb : null,
      rssMidKb: write.length ? write[Math.floor(write.length / 2)].rssKb : null,
      rssEndKb: write.length ? write[write.length - 1].rssKb : null,
      rssReadEndKb: (samples.filter(function (o) { return o.phase === 'read' }).pop() || {}).rssKb,
      rssMaxKb: samples.reduce(function (m, o) { return Math.max(m, o.rssKb) }, 0), vmHwmKb: run.vmHwmKb,
      growth: growth, flat: growth !== null && growth <= 0.10, dataKb: run.dataKb, curve: pts.join(', '),
      problems: run.write.errors + run.write.timeouts + run.write.unansweredAtEnd + (run.write.badFrames || 0) + (run.read ? run.read.errors + run.read.timeouts + (run.read.notFound || 0) : 0),
      died: run.write.closedEarly > 0
    });
  });
  var mb = function (kb) { return kb === null || kb === undefined ? '–' : fmt(kb / 1024, 0) + ' MiB' };
  out.push('| relay | written (acked) | puts/s, p99 | reads/s, p50 / p99 after | RSS at start | after warm-up | middle of writes | end of writes | end of reads | max (VmHWM) | growth after warm-up | flat (≤ +10%) | on disk | errors, timeouts, lost, not found |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  sums.forEach(function (s) {
    out.push('| ' + NAMES[s.relay] + (s.note ? ' ' + s.note : '') + ' | ' + fmt(s.mbWritten, 0) + ' MB in ' + fmt(s.writeSeconds, 0) + ' s | ' + fmt(s.opsPerSec, 0) + ', ' + fmt(s.writeP99) + ' ms' +
      ' | ' + fmt(s.readOps, 0) + ', ' + fmt(s.readP50) + ' / ' + fmt(s.readP99) + ' ms' +
      ' | ' + mb(s.rssStartKb) + ' | ' + mb(s.rssWarmKb) + ' | ' + mb(s.rssMidKb) + ' | ' + mb(s.rssEndKb) + ' | ' + mb(s.rssReadEndKb) + ' | ' + mb(s.vmHwmKb) +
      ' | ' + (s.growth === null ? '–' : (s.growth >= 0 ? '+' : '') + (s.growth * 100).toFixed(1) + '%') + ' | ' + (s.flat ? 'yes' : 'no') + ' | ' + mb(s.dataKb) + ' | ' + s.problems + (s.died ? ' (relay died)' : '') + ' |');
  });
  out.push('');
  sums.forEach(function (s) {
    out.push('- ' + NAMES[s.relay] + ' RSS in MiB, one point every ~' + s.intervalSec + ' s (| = end of the writes): ' + s.curve);
  });
  return out.join('\n');
}

var what = process.argv[2], file = process.argv[3];
if (!file || (what !== 'side-by-side' && what !== 'memory')) {
  process.stderr.write('usage: node bench/report.js side-by-side|memory FILE\n');
  process.exit(2);
}
process.stdout.write((what === 'memory' ? memory(file) : sideBySide(file)) + '\n');
