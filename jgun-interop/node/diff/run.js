#!/usr/bin/env node
// Differential tester: seeded random scenarios run against a stock Gun.js relay (twice, to find what
// Gun.js itself does not do the same way every time) and against a jgun relay; every observation of
// every peer is compared. See ../../README.md (Differential tester) and docs/compatibility.md.
//
//   node jgun-interop/node/diff/run.js [--seeds N] [--from S] [--seed S] [--budget SECONDS]
//        [--gunjs-runs N] [--jgun-runs N] [--retries N] [--known-bugs LIST|none] [--skip OPS]
//        [--jgun PATH] [--serial] [--verbose] [--show]        (JGUN_DIFF_TRACE=1: every frame on stderr)
//
// --seeds N --from S : seeds S .. S+N-1 (default 1..10);  --seed S : just that one
// --budget SECONDS   : start no new seed after this long (the seeds run so far still count)
// --gunjs-runs N     : runs against Gun.js per seed (default 2; the keys where they differ are
//                      Gun.js's own nondeterminism: reported, not compared)
// --jgun-runs N      : runs against jgun per seed (default 1), each compared with Gun.js's
// --retries N        : run a differing seed again up to N times; if a rerun is the same the seed
//                      is reported flaky and does not fail (default 0; DifferentialTest uses 1)
// --known-bugs LIST  : operations left out because of known jgun bugs being fixed elsewhere
//                      (default: none; e.g. 'realtime-collapse' leaves out rapid updates)
// --skip OPS         : leave these operations out too (comma-separated names from scenario.js)
// --show             : print every observation of the seeds run (to read what is compared)
// --serial           : the runs of a seed one after the other (default: side by side)
// Exit code 0 when every seed matched (allowed differences aside), 1 otherwise.
'use strict';
// stdout is the report: Gun.js's own chatter (welcome banner, warnings) goes to stderr.
console.log = console.info = console.warn = function(){ process.stderr.write(require('util').format.apply(null, arguments) + '\n') };
var path = require('path');
var fs = require('fs');
var os = require('os');
var net = require('net');
var spawn = require('child_process').spawn;
var scenario = require('./scenario.js');
var Run = require('./exec.js').Run;
var allow = require('./allow.js');

function out(s){ process.stdout.write(s + '\n') }

var NODE_DIR = path.resolve(__dirname, '..');
var REPO = path.resolve(NODE_DIR, '..', '..');

// Known jgun bugs, by name -> the operations they take out of the scenarios.
// realtime-collapse: a relay that sends subscribers only the values current after a push window
// misses intermediate values of rapid updates; jgun's did until PushFanout. Kept to compare an older
// relay; off by default.
var KNOWN_BUGS = {'realtime-collapse': ['rapid']};
var DEFAULT_KNOWN_BUGS = 'none';

function parseArgs(argv){
  var a = {retries: 0, jgunRuns: 1, seeds: 10, from: 1, seed: null, budget: 0, gunjsRuns: 2, knownBugs: process.env.JGUN_DIFF_KNOWN_BUGS || DEFAULT_KNOWN_BUGS,
    jgun: path.join(REPO, 'bin', 'jgun'), verbose: false, show: false, only: null};
  for(var i = 2; i < argv.length; i++){
    var k = argv[i], v = argv[i + 1];
    if(k === '--seeds'){ a.seeds = +v; i++ }
    else if(k === '--from'){ a.from = +v; i++ }
    else if(k === '--seed'){ a.seed = +v; i++ }
    else if(k === '--budget'){ a.budget = +v; i++ }
    else if(k === '--gunjs-runs'){ a.gunjsRuns = +v; i++ }
    else if(k === '--jgun-runs'){ a.jgunRuns = +v; i++ }
    else if(k === '--retries'){ a.retries = +v; i++ }
    else if(k === '--known-bugs'){ a.knownBugs = v; i++ }
    else if(k === '--jgun'){ a.jgun = v; i++ }
    else if(k === '--skip'){ a.skip = v; i++ }     // operations to leave out, e.g. seaUser (to debug)
    else if(k === '--only'){ a.only = v; i++ }    // gunjs: only Gun.js runs (to study its determinism)
    else if(k === '--verbose'){ a.verbose = true }
    else if(k === '--serial'){ a.serial = true }
    else if(k === '--show'){ a.show = true }
    else { process.stderr.write('unknown option ' + k + '\n'); process.exit(2) }
  }
  return a;
}

function freePort(){
  return new Promise(function(res, rej){
    var s = net.createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', function(){ var p = s.address().port; s.close(function(){ res(p) }) });
  });
}

// A relay process: Gun.js (relay.js, radisk in a temporary folder) or jgun (bin/jgun relay, RocksDB in
// a temporary folder: its default, durable acks). Ready on its ready line.
async function startRelay(kind, opts, peers){
  var port = await freePort();
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jgun-diff-' + kind + '-'));
  var cmd, args, cwd, ready;
  if(kind === 'gunjs'){
    cmd = process.execPath; args = [path.join(NODE_DIR, 'relay.js'), '--port', String(port), '--data', dir]; cwd = NODE_DIR;
    ready = function(l){ return l.indexOf('{"ready":true') === 0 };
  } else {
    cmd = opts.jgun; args = ['relay', '--port', String(port), '--data', dir]; cwd = REPO;
    ready = function(l){ return l.indexOf('ws://0.0.0.0:' + port + '/gun') >= 0 };
  }
  if(peers && peers.length){ args.push('--peers', peers.join(',')) }
  var child = spawn(cmd, args, {cwd: cwd, stdio: ['pipe', 'pipe', 'pipe']});
  var tail = [];
  var relay = {kind: kind, port: port, url: 'ws://127.0.0.1:' + port + '/gun', child: child, dir: dir, tail: tail};
  await new Promise(function(res, rej){
    var done = false;
    var t = setTimeout(function(){ if(!done){ done = true; rej(new Error(kind + ' relay not ready in 300 s:\n' + tail.join('\n'))) } }, 300000);
    function lines(buf){
      String(buf).split('\n').forEach(function(l){
        if(!l){ return }
        tail.push(l); if(tail.length > 40){ tail.shift() }
        if(!done && ready(l)){ done = true; clearTimeout(t); res() }
      });
    }
    child.stdout.on('data', lines);
    child.stderr.on('data', lines);
    child.on('exit', function(c){ if(!done){ done = true; clearTimeout(t); rej(new Error(kind + ' relay exited (' + c + '):\n' + tail.join('\n'))) } });
  });
  return relay;
}
function stopRelay(r){
  try{ r.child.stdin.end() }catch(e){}
  try{ r.child.kill('SIGTERM') }catch(e){}
  setTimeout(function(){ try{ r.child.kill('SIGKILL') }catch(e){} try{ fs.rmSync(r.dir, {recursive: true, force: true}) }catch(e){} }, 3000).unref();
}

// Relays are started once per kind and topology and shared by the seeds; every run writes under its
// own soul prefix, so runs do not see each other's data.
// A new set is warmed up with one throwaway scenario before it counts: a fresh JVM answers its first
// requests (and a mesh GET through the other relay) hundreds of milliseconds late, which changes
// what a Gun.js peer's once() returns.
var relays = {}, fresh = [];
async function relaysFor(kind, n, slot, opts){
  var k = kind + n + '#' + slot;
  if(relays[k]){ return relays[k] }
  var a = await startRelay(kind, opts);
  var set = [a];
  if(n === 2){ set.push(await startRelay(kind, opts, [a.url])); await new Promise(function(r){ setTimeout(r, 1000) }) }
  relays[k] = set;
  fresh.push(set);
  return set;
}
async function warmUp(opts){
  var sets = fresh.splice(0);
  await Promise.all(sets.map(function(set){
    var sc = scenario.generate(set.length === 2 ? 7 : 2, {});
    sc.relays = set.length;
    return new Run(sc, set.map(function(r){ return r.url }), 'w' + (runCount++).toString(36), opts).run();
  }));
}

var runCount = 0;
async function runOnce(kind, slot, sc, opts){
  var rs = await relaysFor(kind, sc.relays, slot, opts);
  rs.forEach(function(r){ if(r.child.exitCode !== null){ throw new Error(kind + ' relay died:\n' + r.tail.join('\n')) } });
  var id = (runCount++).toString(36) + Date.now().toString(36).slice(-4);
  var run = new Run(sc, rs.map(function(r){ return r.url }), id, opts);
  return run.run();
}

function j(v){ return JSON.stringify(v) }

// Compares the runs of one seed. Returns {diffs: [{key, gunjs, jgun}], allowed: [...], unstable: [...]}.
// js: the jgun runs (usually one; with --jgun-runs N each is compared on its own).
function compare(sc, gs, js){
  var keys = {};
  gs.concat(js).forEach(function(o){ Object.keys(o).forEach(function(k){ keys[k] = true }) });
  var res = {diffs: [], allowed: [], unstable: []};
  Object.keys(keys).sort(keyOrder).forEach(function(k){
    var ref = j(gs[0][k]);
    for(var i = 1; i < gs.length; i++){
      if(j(gs[i][k]) !== ref){ res.unstable.push({key: k, runs: gs.map(function(o){ return o[k] })}); return }
    }
    js.forEach(function(jg, n){
      if(j(jg[k]) === ref){ return }
      var d = {key: k + (js.length > 1 ? ' (jgun run ' + (n + 1) + ')' : ''), gunjs: gs[0][k], jgun: jg[k]};
      var why = allow.match({key: k, gunjs: d.gunjs, jgun: d.jgun}, sc, {gunjs: gs[0], jgun: jg});
      if(why){ d.allowed = why; res.allowed.push(d) } else { res.diffs.push(d) }
    });
  });
  return res;
}
function keyOrder(a, b){
  var na = parseInt(a, 10), nb = parseInt(b, 10);
  if(!isNaN(na) && !isNaN(nb) && na !== nb){ return na - nb }
  return a < b ? -1 : a > b ? 1 : 0;
}

function replay(seed, opts){
  return 'node jgun-interop/node/diff/run.js --seed ' + seed
    + (opts.knownBugs !== DEFAULT_KNOWN_BUGS ? ' --known-bugs ' + opts.knownBugs : '')
    + (opts.skip ? ' --skip ' + opts.skip : '');
}

// The runs of a seed go side by side, each on relays of its own (they mostly wait on timers):
// Gun.js's runs on two separate Gun.js relays, jgun's on a jgun relay. --serial: one at a time.
async function runSeed(sc, opts){
  var runs = [], r;
  for(r = 0; r < opts.gunjsRuns; r++){ runs.push(['gunjs', r]) }
  if(opts.only !== 'gunjs'){ for(r = 0; r < opts.jgunRuns; r++){ runs.push(['jgun', r]) } }
  // start the relays one at a time (their start-up is what loads the machine), then run
  for(r = 0; r < runs.length; r++){ await relaysFor(runs[r][0], sc.relays, runs[r][1], opts) }
  await warmUp(opts);
  if(!opts.serial){ return Promise.all(runs.map(function(x){ return runOnce(x[0], x[1], sc, opts) })) }
  var results = [];
  for(r = 0; r < runs.length; r++){ results.push(await runOnce(runs[r][0], runs[r][1], sc, opts)) }
  return results;
}

async function main(){
  var opts = parseArgs(process.argv);
  var skip = {};
  if(opts.knownBugs && opts.knownBugs !== 'none'){
    opts.knownBugs.split(',').forEach(function(b){
      if(!KNOWN_BUGS[b]){ throw new Error('unknown known bug: ' + b + ' (known: ' + Object.keys(KNOWN_BUGS).join(', ') + ')') }
      KNOWN_BUGS[b].forEach(function(o){ skip[o] = true });
    });
  }
  if(opts.skip){ opts.skip.split(',').forEach(function(o){ skip[o] = true }) }
  var seeds = [];
  if(opts.seed !== null){ seeds.push(opts.seed) } else { for(var i = 0; i < opts.seeds; i++){ seeds.push(opts.from + i) } }
  var started = Date.now(), failed = [], flaky = [], ran = 0, unstableTotal = 0, allowedIds = {};
  out('diff: ' + seeds.length + ' seed(s), ' + opts.gunjsRuns + ' Gun.js run(s) each, known bugs left out: ' + (opts.knownBugs || 'none'));
  try{
    for(var s = 0; s < seeds.length; s++){
      if(opts.budget && (Date.now() - started) / 1000 > opts.budget){ out('diff: budget of ' + opts.budget + ' s used, ' + (seeds.length - s) + ' seed(s) not run'); break }
      var seed = seeds[s], t = Date.now();
      var sc = scenario.generate(seed, skip);
      var results = await runSeed(sc, opts);
      var gs = results.slice(0, opts.gunjsRuns);
      var js = results.slice(opts.gunjsRuns);
      var c = compare(sc, gs, js);
      ran++;
      unstableTotal += c.unstable.length;
      c.allowed.forEach(function(d){ allowedIds[d.allowed] = (allowedIds[d.allowed] || 0) + 1 });
      var ops = {};
      sc.steps.forEach(function(st){ ops[st.op] = (ops[st.op] || 0) + 1 });
      out('seed ' + seed + ': ' + (c.diffs.length ? 'DIFFERENT (' + c.diffs.length + ')' : 'same') + ', '
        + sc.steps.length + ' steps on ' + sc.relays + ' relay(s), ' + sc.gun.length + ' Gun.js + ' + sc.raw.length + ' raw peers, '
        + c.allowed.length + ' allowed, ' + c.unstable.length + ' unstable on Gun.js, ' + ((Date.now() - t) / 1000).toFixed(1) + ' s');
      if(opts.verbose || c.diffs.length){
        c.diffs.forEach(function(d){ out('  DIFF ' + d.key + '\n    gunjs: ' + j(d.gunjs) + '\n    jgun : ' + j(d.jgun)) });
      }
      if(opts.verbose){
        c.allowed.forEach(function(d){ out('  allowed ' + d.allowed + ' ' + d.key + '\n    gunjs: ' + j(d.gunjs) + '\n    jgun : ' + j(d.jgun)) });
        c.unstable.forEach(function(d){ out('  unstable ' + d.key + ': ' + d.runs.map(j).join(' | ')) });
      }
      if(opts.show){
        out('  scenario: ' + j(sc));
        Object.keys(gs[0]).sort(keyOrder).forEach(function(k){ out('  ' + k + ' = ' + j(gs[0][k]) + js.map(function(jg){ return j(jg[k]) !== j(gs[0][k]) ? '   jgun: ' + j(jg[k]) : '' }).join('')) });
      }
      if(c.diffs.length){
        out('  replay: ' + replay(seed, opts));
        // --retries N: a seed that differs is run again; one whose rerun is the same is reported as
        // flaky (timing on a loaded machine) and does not fail the run; a difference that stays fails
        var again = null;
        for(var t2 = 0; t2 < opts.retries && (!again || again.diffs.length); t2++){
          var rr = await runSeed(sc, opts);
          again = compare(sc, rr.slice(0, opts.gunjsRuns), rr.slice(opts.gunjsRuns));
          out('  rerun ' + (t2 + 1) + ': ' + (again.diffs.length ? 'DIFFERENT (' + again.diffs.length + ')' : 'same'));
        }
        if(again && !again.diffs.length){ flaky.push(seed) } else { failed.push(seed) }
      }
    }
  } finally {
    Object.keys(relays).forEach(function(k){ relays[k].forEach(stopRelay) });
  }
  out('diff: ' + ran + ' seed(s) run in ' + ((Date.now() - started) / 1000).toFixed(0) + ' s: ' + (ran - failed.length - flaky.length) + ' same, '
    + failed.length + ' different' + (failed.length ? ' (seeds ' + failed.join(' ') + ')' : '')
    + (flaky.length ? ', ' + flaky.length + ' flaky (different once, then the same: seeds ' + flaky.join(' ') + ')' : '')
    + '; allowed differences: ' + (Object.keys(allowedIds).sort().map(function(k){ return k + '×' + allowedIds[k] }).join(' ') || 'none')
    + '; unstable on Gun.js (not compared): ' + unstableTotal);
  setTimeout(function(){ process.exit(failed.length ? 1 : 0) }, 200);
}

// Run by DifferentialTest: end (and stop the relays) when the test JVM closes our stdin or stops us.
function quit(){ Object.keys(relays).forEach(function(k){ relays[k].forEach(stopRelay) }); setTimeout(function(){ process.exit(4) }, 300) }
process.on('SIGTERM', quit);
process.on('SIGINT', quit);
if(process.env.JGUN_DIFF_WATCH_STDIN){ process.stdin.on('end', quit); process.stdin.on('close', quit); process.stdin.resume() }

main().catch(function(e){
  out('diff: error: ' + (e && e.stack || e));
  Object.keys(relays).forEach(function(k){ relays[k].forEach(stopRelay) });
  setTimeout(function(){ process.exit(3) }, 200);
});
