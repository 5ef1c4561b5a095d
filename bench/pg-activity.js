#!/usr/bin/env node
// Summarises what PostgreSQL's sessions did during a load, from samples of pg_stat_activity as
// lib.sh's pg_activity_start writes them (one "pid|application|state|wait|query" line per session
// and sample, an empty line after each sample), and optionally the CPU seconds of each PostgreSQL
// process before and after ("pid seconds" lines, lib.sh's pg_proc_cpu).
//
//   node bench/pg-activity.js ACTIVITY [CPU-BEFORE CPU-AFTER] [--json]
//
// Sessions get a role: the relay opens its writer and read pool as application "jgun" (the writer
// is the session seen running the advisory lock, the upsert, NOTIFY or COMMIT), its change feed as
// "jgun-feed"; the server's own processes by backend type. Prints the CPU seconds per role, and the
// average number of sessions per sample in each role, state and wait event ("on CPU": no wait
// event: running, or in a state where PostgreSQL reports none); --json prints one JSON object.
'use strict';
var fs = require('fs');
var args = process.argv.slice(2), json = args.indexOf('--json') >= 0;
args = args.filter(function (a) { return a !== '--json' });
if (args.length !== 1 && args.length !== 3) {
  process.stderr.write('usage: node bench/pg-activity.js ACTIVITY [CPU-BEFORE CPU-AFTER] [--json]\n');
  process.exit(2);
}
var lines = fs.readFileSync(args[0], 'utf8').split('\n');
var rows = lines.map(function (l) {
  var f = l.split('|');
  return f.length < 5 ? null : {pid: f[0], app: f[1], state: f[2] || '-', wait: f[3], query: f.slice(4).join('|')};
});
// A session's last query alone does not tell (reads end with COMMIT too): a "jgun" session ever
// seen on a statement only the writer runs is the writer.
var writers = new Set();
rows.forEach(function (r) { if (r && r.app === 'jgun' && /advisory|INSERT|pg_notify/i.test(r.query)) { writers.add(r.pid) } });
var role = new Map(), waits = new Map(), samples = 0;
rows.forEach(function (r, i) {
  if (lines[i] === '') { if (i > 0 && lines[i - 1] !== '') { samples++ } return }
  if (!r) { return }
  var name = r.app !== 'jgun' ? r.app : writers.has(r.pid) ? 'jgun writer' : 'jgun read pool';
  role.set(r.pid, name);
  var k = name + ' | ' + r.state + ' | ' + r.wait;
  waits.set(k, (waits.get(k) || 0) + 1);
});
var out = {samples: samples, cpuSecByRole: undefined, sessions: {}};
Array.from(waits).sort(function (a, b) { return b[1] - a[1] }).forEach(function (e) {
  out.sessions[e[0]] = Math.round(e[1] / Math.max(1, samples) * 100) / 100;
});
if (args.length === 3) {
  var cpu = function (f) {
    var m = new Map();
    fs.readFileSync(f, 'utf8').trim().split('\n').forEach(function (l) { var p = l.split(' '); m.set(p[0], +p[1]) });
    return m;
  };
  var before = cpu(args[1]), after = cpu(args[2]), by = {}, total = 0;
  after.forEach(function (c, pid) {
    var d = c - (before.get(pid) || 0), r = role.get(pid) || 'postmaster (or a session not sampled)';
    by[r] = Math.round(((by[r] || 0) + d) * 100) / 100;
    total += d;
  });
  by.all = Math.round(total * 100) / 100;
  out.cpuSecByRole = by;
}
if (json) { process.stdout.write(JSON.stringify(out) + '\n'); process.exit(0) }
if (out.cpuSecByRole) {
  console.log('PostgreSQL CPU seconds by role over the load (/proc; roles from pg_stat_activity):');
  Object.keys(out.cpuSecByRole).sort(function (a, b) { return out.cpuSecByRole[b] - out.cpuSecByRole[a] }).forEach(function (r) {
    if (r !== 'all' && out.cpuSecByRole[r] < 0.005) { return }
    console.log(('        ' + out.cpuSecByRole[r].toFixed(2)).slice(-8) + ' s  ' + r);
  });
}
console.log('pg_stat_activity, ' + samples + ' samples 100 ms apart: sessions per sample by role | state | wait event');
Object.keys(out.sessions).slice(0, 20).forEach(function (k) { console.log(('        ' + out.sessions[k].toFixed(2)).slice(-8) + '  ' + k) });
