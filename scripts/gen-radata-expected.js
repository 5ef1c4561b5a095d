#!/usr/bin/env node
// Writes jgun-radata/src/test/resources/io/jgun/radata/expected/<folder>.json: what real Gun.js
// (npm gun@0.2020.1241) reads back from each golden radata folder of
// jgun-radata/src/test/resources/io/jgun/radata/golden (written by scripts/capture/write-example.js), so that
// RadataGoldenTest can hold jgun's RadataReader to the engine's own reading, states included.
//
// Usage: node scripts/gen-radata-expected.js [GUN_NODE_MODULES]
//   GUN_NODE_MODULES: a node_modules folder holding gun@0.2020.1241 (default: resolve 'gun' normally),
//   e.g. after `npm install --prefix /tmp/gunref gun@0.2020.1241`: /tmp/gunref/node_modules
//
// Each folder is copied to a temp dir first (Gun.js writes into the folders it reads) and its %1C
// index is deleted there: the index-race folder's index is stale (docs/protocol.md §11.5) and Gun.js
// only finds every file again when it rebuilds the index from the folder listing. One child process
// per folder, because radisk is a per-process singleton per folder name.
//
// Output: {"souls": {soul: {key: [value, state]}}} with souls and keys sorted (UTF-16 order).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const child = require('child_process');

const ROOT = path.join(__dirname, '..');
const GOLDEN = path.join(ROOT, 'jgun-core', 'src', 'test', 'resources', 'io', 'jgun', 'radata', 'golden');
const OUT = path.join(ROOT, 'jgun-core', 'src', 'test', 'resources', 'io', 'jgun', 'radata', 'expected');
const SOULS = ['alice', 'unicode', 'nums', 'bob', 'bob/address', 'list', 'a/b*c d'];

function gunPath(modules) {
  return modules ? path.join(modules, 'gun') : 'gun';
}

if (process.argv[2] === '--child') {
  readFolder(process.argv[3], process.argv[4], process.argv[5]);
} else {
  main(process.argv[2]);
}

function main(modules) {
  fs.mkdirSync(OUT, {recursive: true});
  for (const name of ['default-chunk', 'split-chunk400', 'split-chunk400-index-race']) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jgun-radata-expected-'));
    const dir = path.join(tmp, 'radata');
    fs.mkdirSync(dir);
    for (const f of fs.readdirSync(path.join(GOLDEN, name))) {
      if (f !== '%1C') fs.copyFileSync(path.join(GOLDEN, name, f), path.join(dir, f));
    }
    const out = path.join(OUT, name + '.json');
    child.execFileSync(process.execPath, [__filename, '--child', dir, out, modules || ''],
        {cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'], timeout: 20000});
    fs.rmSync(tmp, {recursive: true, force: true});
    console.log('wrote', path.relative(ROOT, out));
  }
}

function readFolder(dir, out, modules) {
  const Gun = require(gunPath(modules));
  const gun = Gun({file: dir, localStorage: false, multicast: false, stats: false, axe: false});
  const souls = {};
  let pending = 0;
  function visit(soul) {
    if (Object.prototype.hasOwnProperty.call(souls, soul)) return;
    souls[soul] = null;
    pending++;
    gun.get(soul).once(function (data) {
      if (data) {
        const node = {};
        const states = data._['>'];
        for (const key of Object.keys(data)) {
          if (key === '_') continue;
          node[key] = [data[key], states[key]];
          if (data[key] && typeof data[key] === 'object' && data[key]['#']) visit(data[key]['#']);
        }
        souls[soul] = node;
      }
      if (--pending === 0) finish();
    });
  }
  function finish() {
    const sorted = {};
    for (const soul of Object.keys(souls).sort()) {
      if (!souls[soul]) throw new Error('Gun.js could not read soul ' + JSON.stringify(soul));
      const node = {};
      for (const key of Object.keys(souls[soul]).sort()) node[key] = souls[soul][key];
      sorted[soul] = node;
    }
    fs.writeFileSync(out, JSON.stringify({souls: sorted}, null, 1) + '\n');
    setTimeout(function () { process.exit(0); }, 50);
  }
  SOULS.forEach(visit);
  setTimeout(function () { console.error('timeout reading', dir); process.exit(1); }, 15000);
}
