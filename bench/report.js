#!/usr/bin/env node
// Turns the raw results of the benchmark scripts into Markdown tables (medians of the repeats).
//
//   node bench/report.js side-by-side RESULTS.jsonl     (written by bench/storage-side-by-side.sh)
//   node bench/report.js memory SAMPLES.jsonl           (written by bench/memory-flat.sh)
//   node bench/report.js compare RESULTS.jsonl          (written by bench/compare.sh)
//   node bench/report.js relays RESULTS.jsonl           (written by bench/relays-side-by-side.sh)
//
// side-by-side lines: {"relay","row","rep","relayCpuSec","load":{…load.js output…}} for each run and
// {"relay","kind":"process","vmHwmKb","cpuSec",…} once per relay. memory lines: {"relay","t","rssKb",
// "phase"} samples and {"relay","kind":"phase",…} markers and {"relay","kind":"summary",…}.
'use strict';
var fs = require('fs');

var NAMES = {gun: 'Gun.js', jgun: 'jgun', 'jgun-wal': 'jgun --durability WAL', ceiling: 'ceiling'};

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


// compare lines (bench/compare.sh): {"relay","row","rep","relayCpuSec","load":{…}} per run,
// {"relay","row":"idle","rssBeforeKb","rssAfterKb","idle":{open,…}}, {"relay","row":"mixed","samples":[[s,kb]…]},
// {"relay","kind":"process","vmHwmKb",…}, {"kind":"machine",…}.
function compare(file) {
  var all = lines(file), T = ['gun', 'jgun', 'ceiling'];
  function runs(relay, row) { return all.filter(function (o) { return o.relay === relay && o.row === row && o.load }) }
  function med(relay, row, f) { return median(runs(relay, row).map(f)) }
  function cpuPerOp(relay, row) {
    return med(relay, row, function (o) { var n = o.load.opsPerSec * o.load.seconds; return n ? o.relayCpuSec / n * 1e6 : null });
  }
  var idle = {}, mixed = {}, proc = {};
  // An idle round's RSS growth per connection, from its reading before to afterKb (null if none).
  function bytesPerConn(o, afterKb) {
    return o.idle.open && afterKb != null ? (afterKb - o.rssBeforeKb) * 1024 / o.idle.open : null;
  }
  T.forEach(function (r) {
    var is = all.filter(function (o) { return o.relay === r && o.row === 'idle' && o.idle });
    if (is.length) {
      idle[r] = {open: median(is.map(function (o) { return o.idle.open })), rssMb: median(is.map(function (o) { return o.rssAfterKb / 1024 })),
        perConn: median(is.map(function (o) { return bytesPerConn(o, o.rssAfterKb) })),
        // The same connections after they were held idle a while (--idle-hold): the heap settled.
        perConnHeld: median(is.map(function (o) { return bytesPerConn(o, o.rssHeldKb) })),
        // The first round on a fresh relay: what the first --idle connections cost, with no memory
        // kept from an earlier round to reuse.
        firstRound: is.filter(function (o) { return o.rep === 1 }).map(function (o) { return bytesPerConn(o, o.settled ? o.rssHeldKb : o.rssAfterKb) })[0],
        settled: is.every(function (o) { return o.settled })};
    }
    var m = all.filter(function (o) { return o.relay === r && o.row === 'mixed' })[0];
    if (m && m.samples.length >= 5) {
      var kb = m.samples.map(function (x) { return x[1] }).filter(function (x) { return typeof x === 'number' });
      // Growth = the peak of the second half against the peak from 20% to 50% (the first 20% is the
      // warm-up): a process that leaks peaks higher later; one whose heap breathes (grows, then
      // gives memory back) does not, whichever sample happens to fall on the 20% mark.
      var at = Math.floor(kb.length * 0.2), half = Math.floor(kb.length * 0.5);
      var base = Math.max.apply(null, kb.slice(at, half)), max = Math.max.apply(null, kb.slice(half));
      mixed[r] = {seconds: m.seconds, baseMb: base / 1024, maxMb: max / 1024, lastMb: kb[kb.length - 1] / 1024, growth: max / base - 1,
        minMb: Math.min.apply(null, kb.slice(at)) / 1024,
        puts: m.put && m.put.opsPerSec, gets: m.get && m.get.opsPerSec, deliveries: m.fanout && m.fanout.opsPerSec};
    }
    var pr = all.filter(function (o) { return o.relay === r && o.kind === 'process' })[0];
    if (pr) { proc[r] = pr }
  });
  function v(r, f) { return f(r) }
  // A settled reading below the baseline is the collector's noise, not a connection that costs nothing.
  function settledOk(x) { return x > 0 && x <= 0.25 }
  // Fan-out rows: one block per fan-out row of the run ('fanout' at full speed, 'fanout rate R' at a
  // fixed rate). Results since issue #14 count every update (load.js: deliveries = first receipts of
  // each update by each subscriber, missing = updates × subscribers − deliveries); older results
  // only counted push messages, shown as such and not judged on completeness.
  var fanNames = [];
  all.forEach(function (o) { if (o.load && /^fanout/.test(o.row) && fanNames.indexOf(o.row) < 0) { fanNames.push(o.row) } });
  function perUpdate(r, row) { var rs = runs(r, row); return rs.length > 0 && rs.every(function (o) { return o.load.fanout.deliveriesExpected !== undefined }) }
  // Summed over the repeats: any update jgun did not deliver fails the goal, whatever the medians say.
  function fanSum(r, row, k) { return runs(r, row).reduce(function (t, o) { return t + (o.load.fanout[k] || 0) }, 0) }
  function fanMissing(r, row) { return perUpdate(r, row) ? fanSum(r, row, 'missing') : null }
  function fanShow(r, row) {
    if (!runs(r, row).length) { return '–' }
    if (!perUpdate(r, row)) { return 'not counted (older results)' }
    var m = fanSum(r, row, 'missing'), e = fanSum(r, row, 'deliveriesExpected');
    return String(+med(r, row, function (o) { return o.load.fanout.deliveredPct }).toFixed(3)) + '% (' + (m ? fmt(m, 0) + ' of ' + fmt(e, 0) + ' missing' : 'none of ' + fmt(e, 0) + ' missing') + ')';
  }
  var fanGoal = null; // the closing judgement of the fan-out goal: {met, why}
  var fanRows = [];
  fanNames.forEach(function (row) {
    var x = all.filter(function (o) { return o.row === row && o.load })[0], f = x.load.fanout;
    var how = f.rate ? f.rate.toLocaleString('en-US') + ' updates/s' : (f.inflight || x.load.window) + ' in flight';
    var full = !f.rate, subsN = f.subscribers.toLocaleString('en-US');
    var judged = row === 'fanout';
    var newFormat = perUpdate('jgun', row);
    fanRows.push(
      {name: 'fan-out to ' + subsN + ' subscribers, writer ' + how + ': ' + (newFormat ? 'deliveries/s of every update (distinct updates received)' : 'deliveries/s (push messages, older results)'),
        f: function (r) { return med(r, row, function (o) { return o.load.fanout.deliveriesPerSec }) },
        goal: judged ? '≥10×, jgun delivers every update' : (full ? '' : 'jgun delivers every update'), ok: null,
        abs: function () {
          var g = med('gun', row, function (o) { return o.load.fanout.deliveriesPerSec }), j = med('jgun', row, function (o) { return o.load.fanout.deliveriesPerSec });
          var miss = fanMissing('jgun', row);
          if (j === null || (!judged && full)) { return null }
          if (miss === null) { if (judged) { fanGoal = {met: null, why: 'these results do not count every update'} } return null }
          var met = judged ? (g ? j / g >= 10 : false) && miss === 0 : miss === 0;
          if (judged) {
            fanGoal = {met: met, why: (g ? ratio(j, g) + ' Gun.js\'s deliveries/s' : 'no Gun.js figure') + ', jgun ' +
              (miss ? 'missed ' + fmt(miss, 0) + ' of ' + fmt(fanSum('jgun', row, 'deliveriesExpected'), 0) + ' deliveries' : 'delivered every update') +
              (perUpdate('gun', row) ? ' (Gun.js missed ' + fmt(fanMissing('gun', row), 0) + ', reported, not judged)' : '')};
          }
          return met;
        }},
      {name: 'fan-out (' + how + '): deliveries received of updates × subscribers, median %; missing summed over the runs', f: function () { return null }, show: function (r) { return fanShow(r, row) }, noRatio: true},
      {name: 'fan-out (' + how + '): updates written/s', f: function (r) { return med(r, row, function (o) { return o.load.fanout.updatesPerSec }) }},
      {name: 'fan-out (' + how + '): duplicates received (summed over the runs)', f: function (r) { return perUpdate(r, row) ? fanSum(r, row, 'duplicates') : null }, noRatio: true,
        show: function (r) { return perUpdate(r, row) ? fmt(fanSum(r, row, 'duplicates'), 0) : '–' }},
      {name: 'fan-out (' + how + '): delivery latency p50 / p99 ms (writer\'s send to first receipt)', f: function (r) { return med(r, row, function (o) { return o.load.latencyMs.p99 }) },
        show: function (r) { var a = med(r, row, function (o) { return o.load.latencyMs.p50 }), b = med(r, row, function (o) { return o.load.latencyMs.p99 }); return a === null ? '–' : fmt(a) + ' / ' + fmt(b) }});
  });
  // The WAL rows show the jgun-wal target's runs in the jgun column.
  var hasWal = runs('jgun-wal', 'put C=10').length > 0;
  function wal(r) { return r === 'jgun' ? 'jgun-wal' : r }
  var rows = [
    {name: 'put→ack, 10 in flight (puts/s)', f: function (r) { return med(r, 'put C=10', function (o) { return o.load.opsPerSec }) }, goal: '≥10×', ok: function (x) { return x >= 10 }, ceil: true},
    {name: 'put→ack, 100 in flight (puts/s)', f: function (r) { return med(r, 'put C=100', function (o) { return o.load.opsPerSec }) }, goal: '≥10×', ok: function (x) { return x >= 10 }, ceil: true},
    {name: 'put→ack p99 ms, 10 in flight', f: function (r) { return med(r, 'put C=10', function (o) { return o.load.latencyMs.p99 }) }, goal: '≤0.2×', ok: function (x) { return x <= 0.2 }, ceil: true},
    {name: 'put→ack p99 ms, 100 in flight', f: function (r) { return med(r, 'put C=100', function (o) { return o.load.latencyMs.p99 }) }, goal: '≤0.2×', ok: function (x) { return x <= 0.2 }, ceil: true},
  ].concat(hasWal ? [
    // jgun acking once the write is in the log in the OS (no fsync: survives a crash of the process,
    // not of the machine), in the jgun column: what the fsync of the default durability costs.
    {name: 'put→ack, 10 in flight, jgun with --durability WAL (puts/s)', f: function (r) { return med(wal(r), 'put C=10', function (o) { return o.load.opsPerSec }) }, ceil: true},
    {name: 'put→ack, 100 in flight, jgun with --durability WAL (puts/s)', f: function (r) { return med(wal(r), 'put C=100', function (o) { return o.load.opsPerSec }) }, ceil: true},
    {name: 'put→ack p99 ms, 10 in flight, jgun with --durability WAL', f: function (r) { return med(wal(r), 'put C=10', function (o) { return o.load.latencyMs.p99 }) }, ceil: true},
  ] : []).concat([
    {name: 'relay CPU µs per put (100 in flight)', f: function (r) { return cpuPerOp(r, 'put C=100') }, ceil: true},
    {name: 'GET/s (10 × 10 in flight, 10k souls)', f: function (r) { return med(r, 'get', function (o) { return o.load.opsPerSec }) }, ceil: true},
    {name: 'GET p99 ms', f: function (r) { return med(r, 'get', function (o) { return o.load.latencyMs.p99 }) }, ceil: true},
  ]).concat(fanRows).concat([
    {name: 'idle connections open', f: function (r) { return idle[r] ? idle[r].open : null }},
    {name: 'idle: relay RSS with them open (MiB)', f: function (r) { return idle[r] ? idle[r].rssMb : null }, goal: '<1 GiB', ok: null, abs: function () { return idle.jgun ? idle.jgun.rssMb < 1024 : null }},
  ]).concat(idle.jgun && idle.jgun.settled ? [
    // Settled readings (compare.sh since 2026-11-25): the goal is judged on the first round, on a fresh
    // relay: connections held, against the relay settled as long before they opened. Later rounds start
    // from what the earlier ones left (Gun.js's settled RSS after its connections closed is above its
    // RSS with them open), so their median is shown without a goal, as is the reading 3 s after the burst.
    {name: 'idle: bytes per connection held --idle-hold s vs the relay settled as long before, first round on a fresh relay', f: function (r) { return idle[r] ? idle[r].firstRound : null }, goal: '≤0.25×', ok: settledOk},
    {name: 'idle: the same, median of the rounds (later rounds start from what earlier ones left)', f: function (r) { return idle[r] && idle[r].perConnHeld != null ? idle[r].perConnHeld : null }},
    {name: 'idle: bytes per connection 3 s after they opened (the burst not yet collected; median)', f: function (r) { return idle[r] ? idle[r].perConn : null }},
  ] : [
    {name: 'idle: bytes per connection 3 s after they opened (median of the rounds)', f: function (r) { return idle[r] ? idle[r].perConn : null }, goal: '≤0.25×', ok: function (x) { return x <= 0.25 }},
    {name: 'idle: bytes per connection after they were held idle (--idle-hold, median)', f: function (r) { return idle[r] && idle[r].perConnHeld != null ? idle[r].perConnHeld : null }, goal: '≤0.25×', ok: function (x) { return x <= 0.25 }},
    {name: 'idle: bytes per connection, first round on a fresh relay', f: function (r) { return idle[r] ? idle[r].firstRound : null }, goal: '≤0.25×', ok: function (x) { return x <= 0.25 }},
  ]).concat([
    {name: 'mixed load: RSS growth (peak of the 2nd half vs peak of 20–50%)', f: function (r) { return mixed[r] ? mixed[r].growth : null },
      show: function (r) { return mixed[r] ? (mixed[r].growth >= 0 ? '+' : '') + (mixed[r].growth * 100).toFixed(1) + '% (' + fmt(mixed[r].baseMb, 0) + ' → ' + fmt(mixed[r].maxMb, 0) + ' MiB)' : '–' },
      goal: 'jgun ≤ +10%', noRatio: true, abs: function () { return mixed.jgun ? mixed.jgun.growth <= 0.10 : null }},
    {name: 'peak RSS over the whole run (MiB)', f: function (r) { return proc[r] ? proc[r].vmHwmKb / 1024 : null }}
  ]);
  var out = ['| row | Gun.js | jgun | jgun/Gun.js | goal | met | ceiling | jgun/ceiling |', '|---|---|---|---|---|---|---|---|'];
  rows.forEach(function (row) {
    var g = row.f('gun'), j = row.f('jgun'), c = row.ceil ? row.f('ceiling') : null;
    var show = row.show || function (r) { var x = row.f(r); return x === null ? '–' : (x < 1 && x > 0 ? x.toFixed(3) : fmt(x)) };
    var rr = row.noRatio ? '–' : ratio(j, g);
    var met = '';
    if (row.abs) { var a = row.abs(); met = a === null ? '' : a ? 'yes' : 'no' }
    else if (row.ok && j !== null && g) { met = row.ok(j / g) ? 'yes' : 'no' }
    out.push('| ' + row.name + ' | ' + show('gun') + ' | ' + show('jgun') + ' | ' + rr + ' | ' + (row.goal || '') + ' | ' + met +
      ' | ' + (row.ceil ? show('ceiling') : '') + ' | ' + (row.ceil ? ratio(j, c) : '') + ' |');
  });
  function half(relay, c) {
    var j = med(relay, 'put C=' + c, function (o) { return o.load.opsPerSec }), k = med('ceiling', 'put C=' + c, function (o) { return o.load.opsPerSec });
    return j && k ? (j / k >= 0.5 ? 'met' : 'not met') + ' (' + ratio(j, k) + ')' : '–';
  }
  out.push('');
  out.push('Goal put→ack ≥ half the transport ceiling: at 100 in flight ' + half('jgun', 100) + ', at 10 in flight ' + half('jgun', 10) +
    (hasWal ? '; with --durability WAL (no fsync): at 100 in flight ' + half('jgun-wal', 100) + ', at 10 in flight ' + half('jgun-wal', 10) : ''));
  if (fanGoal) {
    out.push('Goal fan-out ≥10× Gun.js\'s deliveries/s to ' + (function () { var x = all.filter(function (o) { return o.row === 'fanout' && o.load })[0]; return x ? x.load.fanout.subscribers.toLocaleString('en-US') : '?' })() +
      ' subscribers with every update delivered: ' + (fanGoal.met === null ? 'not judged' : fanGoal.met ? 'met' : 'not met') + ' (' + fanGoal.why + ')');
  }
  var tool = [];
  all.forEach(function (o) { if (o.load && o.load.client && o.load.client.cpuPercent >= 85) { tool.push(o.relay + ' ' + o.row + ' (' + o.load.client.cpuPercent + '%)') } });
  out.push('Runs where the load tool used ≥85% of a core (it may have been the limit): ' + (tool.length ? tool.join(', ') : 'none'));
  T.forEach(function (r) {
    if (mixed[r]) {
      out.push('Mixed load on ' + (NAMES[r] || r) + ' (' + mixed[r].seconds + ' s): ' + fmt(mixed[r].puts) + ' puts/s + ' + fmt(mixed[r].gets) + ' GETs/s + ' + fmt(mixed[r].deliveries) +
        ' deliveries/s; RSS after the warm-up (20%) between ' + fmt(mixed[r].minMb, 0) + ' and ' + fmt(Math.max(mixed[r].baseMb, mixed[r].maxMb), 0) +
        ' MiB, peak ' + fmt(mixed[r].baseMb, 0) + ' MiB in 20–50%, ' + fmt(mixed[r].maxMb, 0) + ' MiB in the second half, last ' + fmt(mixed[r].lastMb, 0) + ' MiB');
    }
  });
  return out.join('\n');
}

// Quantile q of load.js latency histograms (--emit-hist: [bucket, count] pairs, bucket b holding
// [1.01^b, 1.01^(b+1)) µs) merged, in ms; capped by the largest latency seen.
function histQuantile(loads, q) {
  var counts = new Map(), n = 0, max = 0;
  loads.forEach(function (l) {
    (l.hist || []).forEach(function (h) { counts.set(h[0], (counts.get(h[0]) || 0) + h[1]); n += h[1] });
    max = Math.max(max, (l.latencyMs || {}).max || 0);
  });
  if (!n) { return null }
  var want = Math.ceil(q * n), seen = 0, buckets = Array.from(counts.keys()).sort(function (a, b) { return a - b });
  for (var i = 0; i < buckets.length; i++) {
    seen += counts.get(buckets[i]);
    if (seen >= want) { return Math.min(max, Math.pow(1.01, buckets[i] + 0.5) / 1000) }
  }
  return max;
}
function sum(xs, f) { return xs.reduce(function (t, x) { return t + (f(x) || 0) }, 0) }

// " (+ P% later, p50 T ms)": GETs answered not-found first, then with the data (forwarded to a peer that had it).
function foundLater(get, asked) {
  var pct = median(get.map(function (o) { return 100 * sum(o.loads, function (l) { return l.foundLater }) / asked(o) }));
  if (!pct) { return '' }
  var ms = median(get.map(function (o) { return Math.max.apply(null, o.loads.map(function (l) { return (l.foundLaterMs || {}).p50 || 0 })) }));
  return ' (+' + fmt(pct, 1) + '% later, p50 ' + fmt(ms) + ' ms)';
}

// relays lines (bench/relays-side-by-side.sh): {"setup","relays","rep","row":"put"|"get"|"fanout",…}
// with the load.js lines of the row; one table row per set-up and relay count, medians of the reps.
function relays(file) {
  var all = lines(file), keys = [], by = {};
  var SETUPS = {postgres: 'jgun on one PostgreSQL', rocksdb: 'jgun RocksDB mesh', gun: 'Gun.js mesh'};
  all.filter(function (o) { return o.row }).forEach(function (o) {
    var k = o.setup + '|' + o.relays;
    if (keys.indexOf(k) < 0) { keys.push(k) }
    ((by[k] = by[k] || {})[o.row] = by[k][o.row] || []).push(o);
  });
  function med(rows, f) { return median((rows || []).map(f)) }
  var out = [
    '| set-up | relays | puts/s | put→ack p50 / p99 ms | CPU per put: relays / PostgreSQL | GET/s across relays | GETs answered with the data: first answer (+ a later one) | GET p50 / p99 ms | fan-out: updates delivered | deliveries/s | write→delivery p50 / p99 ms | runs, errors + timeouts |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  keys.forEach(function (k) {
    var r = by[k], setup = k.split('|')[0], n = +k.split('|')[1], errs = 0;
    var put = r.put || [], get = r.get || [], fan = (r.fanout || []).filter(function (o) { return o.load });
    put.forEach(function (o) { errs += sum(o.loads, function (l) { return l.errors + l.timeouts }) });
    get.forEach(function (o) { errs += sum(o.loads, function (l) { return l.errors + l.timeouts }) });
    fan.forEach(function (o) { errs += o.load.errors + o.load.timeouts });
    // the CPU is read over the measured window (after the warm-up): per put acked in it
    var acked = function (o) { return sum(o.loads, function (l) { return l.opsPerSec * l.seconds }) };
    var asked = function (o) { return sum(o.loads, function (l) { return l.completed + l.timeouts }) };
    var found = function (o) { return sum(o.loads, function (l) { return l.completed - l.notFound - l.errors }) };
    var fo = function (o) { return o.load.fanout || {} };
    var cpuPg = med(put, function (o) { return 1000 * o.cpuPgSec / acked(o) });
    out.push('| ' + [SETUPS[setup] || setup, n,
      fmt(med(put, function (o) { return sum(o.loads, function (l) { return l.opsPerSec }) }), 0),
      fmt(med(put, function (o) { return histQuantile(o.loads, 0.5) })) + ' / ' + fmt(med(put, function (o) { return histQuantile(o.loads, 0.99) })),
      fmt(med(put, function (o) { return 1000 * o.cpuRelaysSec / acked(o) }), 3) + ' ms' + (setup === 'postgres' ? ' / ' + fmt(cpuPg, 3) + ' ms' : ''),
      fmt(med(get, function (o) { return sum(o.loads, function (l) { return l.opsPerSec }) }), 0),
      get.length ? fmt(med(get, function (o) { return 100 * found(o) / asked(o) }), 1) + '%' + foundLater(get, asked) : '–',
      fmt(med(get, function (o) { return histQuantile(o.loads, 0.5) })) + ' / ' + fmt(med(get, function (o) { return histQuantile(o.loads, 0.99) })),
      fmt(med(fan, function (o) { return fo(o).deliveredPct }), 1) + '% of ' + fmt(med(fan, function (o) { return fo(o).updatesWritten }), 0) + ' × ' + (fan[0] ? fo(fan[0]).subscribers : '–'),
      fmt(med(fan, function (o) { return fo(o).deliveriesPerSec }), 0),
      fmt(med(fan, function (o) { return o.load.latencyMs.p50 })) + ' / ' + fmt(med(fan, function (o) { return o.load.latencyMs.p99 })),
      put.length + ', ' + errs].join(' | ') + ' |');
  });
  var pg = keys.filter(function (k) { return k.indexOf('postgres|') === 0 && (by[k].put || []).some(function (o) { return o.pgActivity }) });
  if (pg.length) {
    // What PostgreSQL's sessions did during the put rows (pg_stat_activity every 100 ms): sessions
    // per sample in a state, and CPU seconds per put acked by role.
    var sessions = function (o, re) {
      var t = 0, s = o.pgActivity.sessions;
      Object.keys(s).forEach(function (k) { if (re.test(k)) { t += s[k] } });
      return t;
    };
    out.push('', 'PostgreSQL during the put rows (pg_stat_activity sampled every 100 ms; sessions per sample, medians of the runs):', '',
      '| relays | write transactions/s (all relays) | puts per transaction | relay sessions open (writer + read pool + feed) | writers waiting for the advisory lock | writers in WAL fsync | writers idle in a transaction (waiting for the relay) | read-pool sessions idle in a transaction (a read waiting for its COMMIT) | PostgreSQL CPU per put: writer / read pool / feed |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    pg.forEach(function (k) {
      var put = by[k].put.filter(function (o) { return o.pgActivity });
      var acked = function (o) { return sum(o.loads, function (l) { return l.opsPerSec * l.seconds }) };
      var cpu = function (role) { return fmt(median(put.map(function (o) { return 1000 * ((o.pgActivity.cpuSecByRole || {})[role] || 0) / acked(o) })), 3) };
      var m = function (re) { return fmt(median(put.map(function (o) { return sessions(o, re) }))) };
      var tx = function (o) { return o.pgTransactions / Math.max.apply(null, o.loads.map(function (l) { return l.seconds })) };
      out.push('| ' + [k.split('|')[1], fmt(median(put.map(tx)), 0), fmt(median(put.map(function (o) { return acked(o) / o.pgTransactions })), 1), m(/^jgun/), m(/^jgun writer \| active \| Lock:advisory/), m(/^jgun writer \| active \| IO:WALSync/),
        m(/^jgun writer \| idle in transaction/), m(/^jgun read pool \| idle in transaction/),
        cpu('jgun writer') + ' / ' + cpu('jgun read pool') + ' / ' + cpu('jgun-feed') + ' ms'].join(' | ') + ' |');
    });
  }
  return out.join('\n');
}

var what = process.argv[2], file = process.argv[3];
if (!file || ['side-by-side', 'memory', 'compare', 'relays'].indexOf(what) < 0) {
  process.stderr.write('usage: node bench/report.js side-by-side|memory|compare|relays FILE\n');
  process.exit(2);
}
process.stdout.write((what === 'memory' ? memory(file) : what === 'compare' ? compare(file) : what === 'relays' ? relays(file) : sideBySide(file)) + '\n');
