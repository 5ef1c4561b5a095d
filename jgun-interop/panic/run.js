#!/usr/bin/env node
'use strict';
// Runs Gun.js's own PANIC release tests (node_modules/gun/test/panic, npm gun@0.2020.1241) against
// jgun relays (and, on request, against Gun.js relays), then the two-tab browser realtime check
// (realtime.js), and checks every result against expected.js. Exit code 0 only when every step
// passed or is listed there; the summary table is printed either way.
//
//   node run.js                                   # jgun relays (what CI runs)
//   node run.js --relays jgun,gunjs               # also Gun.js relays, for the side-by-side table
//   node run.js --tests 1putackget,axe/5mob       # a subset (names as in expected.js)
//   node run.js --no-realtime | --realtime-only   # with/without the realtime check
//   node run.js --json summary.json               # the results, machine-readable
//
// Environment: PANIC_RELAYS, PANIC_TESTS (same as the flags), CHROMIUM_PATH (default /usr/bin/chromium),
// PANIC_STEP_TIMEOUT_MS (cap on any one step, default 60000; expected.js may
// raise it per test), PANIC_TEST_TIMEOUT_S (cap on one test file, default 240), JGUN_JAVA_OPTS (the relays' JVM options, default -Xmx512m -XX:+UseSerialGC),
// PANIC_KEEP=1 keeps the work folder (logs of every test) in the temp dir.
const fs = require('fs');
const os = require('os');
const net = require('net');
const path = require('path');
const childProcess = require('child_process');
const expected = require('./expected');

const HERE = __dirname;
const ROOT = path.resolve(HERE, '..', '..');
const PANIC_DIR = path.join(HERE, 'node_modules', 'gun', 'test', 'panic');

function parseArgs(argv) {
  const opts = {
    relays: (process.env.PANIC_RELAYS || 'jgun').split(',').filter(Boolean),
    tests: (process.env.PANIC_TESTS || '').split(',').filter(Boolean),
    realtime: true, panic: true, json: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--relays') opts.relays = argv[++i].split(',').filter(Boolean);
    else if (a === '--tests') opts.tests = argv[++i].split(',').filter(Boolean);
    else if (a === '--no-realtime') opts.realtime = false;
    else if (a === '--realtime-only') opts.panic = false;
    else if (a === '--json') opts.json = path.resolve(argv[++i]);
    else { console.error('unknown argument ' + a); process.exit(2); }
  }
  for (const r of opts.relays) {
    if (r !== 'jgun' && r !== 'gunjs') { console.error('unknown relay ' + r + ' (jgun or gunjs)'); process.exit(2); }
  }
  if (!opts.tests.length) opts.tests = Object.keys(expected.tests);
  for (const t of opts.tests) {
    if (!expected.tests[t]) { console.error('unknown test ' + t + '; known: ' + Object.keys(expected.tests).join(', ')); process.exit(2); }
  }
  return opts;
}

const STEP_TIMEOUT_MS = Number(process.env.PANIC_STEP_TIMEOUT_MS) || 60000;
const LISTED_STEP_TIMEOUT_MS = 10000; // a step listed as failing need not wait the full step timeout
const TEST_TIMEOUT_S = Number(process.env.PANIC_TEST_TIMEOUT_S) || 240;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const live = new Set(); // process group ids to kill on the way out

function killGroup(pid) {
  try { process.kill(-pid, 'SIGKILL'); } catch (e) { /* gone */ }
  live.delete(pid);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { for (const pid of [...live]) killGroup(pid); process.exit(130); });
}
process.on('exit', () => { for (const pid of [...live]) killGroup(pid); });

function canBind(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, () => s.close(() => resolve(true)));
  });
}

// `count` consecutive ports nobody listens on (PANIC uses port, port+1, ...).
async function freePorts(count) {
  for (let attempt = 0; attempt < 200; attempt++) {
    // below Linux's ephemeral range (32768+), so no outgoing connection holds one of them meanwhile
    const base = 20000 + Math.floor(Math.random() * 12000);
    let ok = true;
    for (let p = base; p < base + count && ok; p++) ok = await canBind(p);
    if (ok) return base;
  }
  throw new Error('no ' + count + ' consecutive free ports found');
}

// Runs a command in a process group of its own; resolves with its exit code (or 'timeout') and then
// kills whatever the group left behind (relay processes, Chromium, jgun JVMs).
function runGroup(cmd, args, { cwd, env, logFile, timeoutS, onLine }) {
  return new Promise((resolve) => {
    const log = fs.openSync(logFile, 'a');
    const child = childProcess.spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child.pid);
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; killGroup(child.pid); }, timeoutS * 1000);
    let partial = '';
    const take = (chunk) => {
      fs.writeSync(log, chunk);
      if (onLine) {
        partial += chunk.toString();
        const lines = partial.split('\n');
        partial = lines.pop();
        lines.forEach(onLine);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid);
      fs.closeSync(log);
      resolve(timedOut ? 'timeout' : (code === null ? signal : code));
    });
  });
}

function buildJgun(work) {
  // bin/jgun builds the relay jar when it is missing or older than the sources (a minute or two).
  const logFile = path.join(work, 'jgun-build.log');
  console.log('== jgun: bin/jgun --help (builds the relay on first use)');
  return runGroup(path.join(ROOT, 'bin', 'jgun'), ['--help'], { cwd: ROOT, env: process.env, logFile, timeoutS: 600 })
    .then((code) => {
      if (code !== 0) {
        throw new Error('bin/jgun --help failed (' + code + '):\n' + fs.readFileSync(logFile, 'utf8').slice(-4000));
      }
    });
}

async function runPanicTest(name, relay, work) {
  const dir = path.join(work, relay + '-' + name.replace(/\//g, '_'));
  fs.mkdirSync(dir, { recursive: true });
  const results = path.join(dir, 'steps.jsonl');
  const logFile = path.join(dir, 'output.log');
  const port = await freePorts(5);
  const listed = listedSteps(name, relay);
  const short = {};
  Object.keys(listed).forEach((title) => { short[title] = LISTED_STEP_TIMEOUT_MS; });
  const env = Object.assign({}, process.env, {
    NODE_OPTIONS: ((process.env.NODE_OPTIONS || '') + ' --require ' + path.join(HERE, 'lib', 'preload.js')).trim(),
    MULTICAST: 'false',
    PANIC_PORT: String(port),
    PANIC_RESULTS: results,
    PANIC_STEP_TIMEOUT_MS: String(expected.tests[name].stepTimeoutMs || STEP_TIMEOUT_MS),
    PANIC_SHORT_STEPS: JSON.stringify(short),
    CHROMIUM_PATH: CHROMIUM,
    TMPDIR: dir,
    PANIC_RELAY_DIR: path.join(dir, 'relays'),
  });
  fs.mkdirSync(env.PANIC_RELAY_DIR);
  delete env.ROD_PATH;
  if (relay === 'jgun') {
    env.ROD_PATH = path.join(HERE, 'rod-jgun.sh');
    env.JGUN_NO_BUILD = '1';
    env.JGUN_JAVA_OPTS = process.env.JGUN_JAVA_OPTS || '-Xmx512m -XX:+UseSerialGC';
  }
  const started = Date.now();
  const exit = await runGroup(process.execPath, [path.join(HERE, 'lib', 'mocha-one.js'), path.join(PANIC_DIR, name + '.js')],
    { cwd: dir, env, logFile, timeoutS: TEST_TIMEOUT_S });
  const seconds = (Date.now() - started) / 1000;
  const events = fs.existsSync(results)
    ? fs.readFileSync(results, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  return { name, relay, port, exit, seconds, events, logFile };
}

// Compares one test run with expected.js: every step must pass unless listed for this relay.
function listedSteps(name, relay) {
  const spec = expected.tests[name];
  return Object.assign({}, spec.all || {}, spec[relay] || {});
}

function judge(run) {
  const listed = listedSteps(run.name, run.relay);
  const begin = run.events.find((e) => e.event === 'begin');
  const steps = run.events.filter((e) => e.event === 'step');
  const hooks = run.events.filter((e) => e.event === 'hook' && e.state === 'failed');
  const total = begin ? begin.total : steps.length;
  const passed = steps.filter((s) => s.state === 'passed').length;
  const unexpected = [];
  const excused = [];
  const xpass = [];
  for (const s of steps) {
    const why = listed[s.title];
    if (s.state === 'passed') {
      if (why) xpass.push(s.title);
    } else if (why) {
      excused.push({ title: s.title, error: s.error, why });
    } else {
      unexpected.push(s.title + ': ' + (s.error || s.state));
    }
  }
  if (steps.length < total) {
    unexpected.push((total - steps.length) + ' of ' + total + ' steps never finished (test ' +
      (run.exit === 'timeout' ? 'killed after ' + TEST_TIMEOUT_S + ' s' : 'ended with ' + run.exit) + ')');
  }
  if (!begin) unexpected.push('the test did not start (exit ' + run.exit + ')');
  for (const h of hooks) {
    // the after() hook asks the relays to exit; with a foreign relay nothing depends on it
    if (!/after all/.test(h.title)) unexpected.push('hook ' + h.title + ': ' + h.error);
  }
  return { name: run.name, relay: run.relay, passed, total, seconds: run.seconds, unexpected, excused, xpass, logFile: run.logFile };
}

function tail(file, lines) {
  try { return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n'); } catch (e) { return ''; }
}

function table(verdicts, relays) {
  const names = [...new Set(verdicts.map((v) => v.name))];
  const head = '| test | ' + relays.map((r) => r === 'jgun' ? 'jgun relays' : 'Gun.js relays').join(' | ') + ' |';
  const rows = [head, '|' + ' --- |'.repeat(relays.length + 1)];
  for (const n of names) {
    const cells = relays.map((r) => {
      const v = verdicts.find((x) => x.name === n && x.relay === r);
      if (!v) return '';
      const marks = [];
      if (v.excused.length) marks.push(v.excused.map((e) => 'listed miss: ' + e.title).join('; '));
      if (v.xpass.length) marks.push('listed but passed: ' + v.xpass.join('; '));
      if (v.unexpected.length) marks.push('UNEXPECTED: ' + v.unexpected.join('; '));
      return v.passed + '/' + v.total + (marks.length ? ' (' + marks.join('; ') + ')' : '') + ' ' + v.seconds.toFixed(0) + ' s';
    });
    rows.push('| ' + n + ' | ' + cells.join(' | ') + ' |');
  }
  return rows.join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(CHROMIUM)) {
    console.error('no Chromium at ' + CHROMIUM + ' (apt-get install chromium, or set CHROMIUM_PATH)');
    process.exit(3);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jgun-panic-'));
  const startedAll = Date.now();
  const verdicts = [];
  let realtime = null;
  let failed = false;
  try {
    if (opts.relays.includes('jgun') || opts.realtime) await buildJgun(work); // realtime.js runs a jgun relay too
    if (opts.panic) {
      for (const relay of opts.relays) {
        for (const name of opts.tests) {
          process.stdout.write('== PANIC ' + name + ' against ' + relay + ' relays ... ');
          const v = judge(await runPanicTest(name, relay, work));
          verdicts.push(v);
          console.log(v.passed + '/' + v.total + ' in ' + v.seconds.toFixed(1) + ' s' +
            (v.unexpected.length ? ' UNEXPECTED: ' + v.unexpected.join('; ') : '') +
            (v.excused.length ? ' (listed: ' + v.excused.map((e) => e.title).join('; ') + ')' : '') +
            (v.xpass.length ? ' (listed but passed: ' + v.xpass.join('; ') + ')' : ''));
          if (v.unexpected.length) {
            failed = true;
            const relayLines = (fs.existsSync(v.logFile) ? fs.readFileSync(v.logFile, 'utf8').split('\n') : [])
              .filter((l) => l.includes('[panic-jgun]') || l.startsWith('rod-jgun:'));
            console.log('--- relay starts:\n' + relayLines.join('\n') + '\n--- last lines of ' + v.logFile + ':\n' +
              tail(v.logFile, 60) + '\n---');
          }
        }
      }
    }
    if (opts.realtime) {
      console.log('== realtime check (two Chromium tabs, one writer, one on() listener)');
      const rtLog = path.join(work, 'realtime.log');
      const rtJson = path.join(work, 'realtime.json');
      // both relays (a few seconds each): Gun.js's is the reference for jgun's repeats
      const code = await runGroup(process.execPath, [path.join(HERE, 'realtime.js'), '--json', rtJson],
        { cwd: work, env: Object.assign({}, process.env, { CHROMIUM_PATH: CHROMIUM, TMPDIR: work }), logFile: rtLog, timeoutS: 180,
          onLine: (l) => console.log('   ' + l) });
      realtime = fs.existsSync(rtJson) ? JSON.parse(fs.readFileSync(rtJson, 'utf8')) : null;
      if (code !== 0) {
        failed = true;
        console.log('realtime check failed (exit ' + code + ')');
      }
    }
  } catch (e) {
    failed = true;
    console.log('runner error: ' + (e && e.stack || e));
  }
  const seconds = (Date.now() - startedAll) / 1000;
  console.log('\n== PANIC summary (' + seconds.toFixed(0) + ' s)');
  if (verdicts.length) console.log(table(verdicts, opts.relays));
  for (const v of verdicts) {
    for (const e of v.excused) console.log('  listed: ' + v.relay + ' ' + v.name + ' "' + e.title + '": ' + e.why);
    if (v.xpass.length) console.log('  note: ' + v.relay + ' ' + v.name + ' passed listed step(s) ' + v.xpass.join(', ') + ' (update expected.js?)');
  }
  if (realtime) console.log('realtime: ' + JSON.stringify(realtime.summary));
  const unexpected = verdicts.filter((v) => v.unexpected.length);
  console.log(failed || unexpected.length
    ? 'RESULT: FAILED (' + unexpected.map((v) => v.relay + ' ' + v.name).join(', ') + (realtime && !realtime.ok ? ' realtime' : '') + ')'
    : 'RESULT: OK (every step passed or is listed in expected.js)');
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify({ seconds, verdicts, realtime, ok: !failed }, null, 2));
  if (process.env.PANIC_KEEP === '1') console.log('work folder kept: ' + work);
  else fs.rmSync(work, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}

main();
