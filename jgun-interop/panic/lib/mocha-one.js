'use strict';
// Runs one PANIC test file with mocha's programmatic API (files are loaded with require(), so the
// source patch in preload.js applies) and reports every step as a JSON line to PANIC_RESULTS.
//   node lib/mocha-one.js node_modules/gun/test/panic/1putackget.js
// run.js starts it in a process group of its own, with the environment preload.js needs.
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

const file = path.resolve(process.argv[2]);
const out = process.env.PANIC_RESULTS;
function record(event) {
  const line = JSON.stringify(Object.assign({ at: Date.now() }, event));
  if (out) {
    fs.appendFileSync(out, line + '\n');
  }
}

class StepReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const C = Mocha.Runner.constants;
    runner.once(C.EVENT_RUN_BEGIN, () => record({ event: 'begin', total: runner.total }));
    // steps listed in expected.js as failing with this relay get a shorter timeout (they are not
    // expected to pass, so waiting the full step timeout for them only costs time)
    const short = JSON.parse(process.env.PANIC_SHORT_STEPS || '{}');
    runner.on(C.EVENT_TEST_BEGIN, (t) => {
      if (short[t.title] && t.timeout() > short[t.title]) t.timeout(short[t.title]);
    });
    runner.on(C.EVENT_TEST_PASS, (t) => record({ event: 'step', title: t.title, state: 'passed', ms: t.duration }));
    runner.on(C.EVENT_TEST_FAIL, (t, err) => {
      const hook = t.type === 'hook';
      record({ event: hook ? 'hook' : 'step', title: t.title, state: 'failed', ms: t.duration,
        error: String((err && err.message) || err).slice(0, 500) });
    });
    runner.on(C.EVENT_TEST_PENDING, (t) => record({ event: 'step', title: t.title, state: 'pending' }));
    runner.once(C.EVENT_RUN_END, () => record({ event: 'end', stats: runner.stats }));
  }
}

const mocha = new Mocha({ reporter: StepReporter, timeout: Number(process.env.PANIC_STEP_TIMEOUT_MS) || 60000 });
mocha.addFile(file);
mocha.run((failures) => {
  // the tests' after() hook asks the relays to exit; give the browsers a moment to close, then leave
  setTimeout(() => process.exit(failures ? 1 : 0), 500).unref();
});
