// Real SEA (gun 0.2020.1241, node build: require('gun') so YSON, as on every node relay) checks what
// jgun's io.jgun.sea made, and makes things for jgun to check. Driven by SeaInteropTest.
//
//   node sea.js < request.json > answer.json
//
// The request (one JSON object on stdin) carries jgun's outputs; the answer (one JSON object on
// stdout) has SEA's verdicts on them and SEA's own outputs. `undefined` is written {"undefined":true}.
'use strict';
console.log = console.info = console.warn = function(){ process.stderr.write(require('util').format.apply(null, arguments) + '\n') };
var fs = require('fs'), os = require('os'), path = require('path');
var Gun = require('gun');
var SEA = require('gun/sea');
var TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'jgun-sea-interop-')), n = 0;

function u(v){ return v === undefined ? {undefined: true} : v }
function sleep(ms){ return new Promise(function(r){ setTimeout(r, ms) }) }

// A put injected into a fresh Gun peer with SEA and no user (a relay), as if it came from the network.
async function inject(graph){
  var gun = Gun({localStorage: false, file: path.join(TMP, 'g' + (n++)), peers: [], multicast: false, axe: false}), errs = [];
  gun._.on('in', function(msg){ if(msg.err){ errs.push(String(msg.err)) } this.to.next(msg) });
  gun._.on('in', {'#': String.random(9), put: JSON.parse(JSON.stringify(graph))});
  await sleep(300);
  var stored = {};
  Object.keys(graph).forEach(function(soul){ Object.keys(graph[soul]).forEach(function(k){ if('_' === k){ return }
    var have = (gun._.graph[soul] || {})[k];
    stored[soul + ' | ' + k] = have !== undefined && JSON.stringify(have) === JSON.stringify(graph[soul][k]);
  }) });
  return {stored: stored, errors: errs};
}

async function main(req){
  var out = {verify: [], verifyWrongPub: [], decrypt: [], decryptWrongKey: [], work: [], puts: []};
  var A = req.jgunPair, B = req.jgunPair2;
  for(var s of req.signed){
    out.verify.push(u(await SEA.verify(s, A.pub)));
    out.verifyWrongPub.push(u(await SEA.verify(s, B.pub)));
  }
  for(var e of req.encrypted){
    out.decrypt.push(u(await SEA.decrypt(e.data, e.pair ? A : e.key)));
    out.decryptWrongKey.push(u(await SEA.decrypt(e.data, 'not the key')));
  }
  out.secretAB = u(await SEA.secret(B.epub, A));
  out.secretBA = u(await SEA.secret(A.epub, B));
  for(var w of req.work){ out.work.push(u(await SEA.work(w.data, w.salt, null, w.opt || {}))) }
  for(var g of req.puts){ out.puts.push(await inject(g)) }
  // the other way: SEA makes, jgun checks
  var C = await SEA.pair();
  var gun = {pair: C, values: req.values, signed: [], encrypted: [], encryptedWithPair: []};
  for(var v of req.values){
    gun.signed.push(await SEA.sign(v, C));
    gun.encrypted.push(await SEA.encrypt(v, 'shared passphrase'));
    gun.encryptedWithPair.push(await SEA.encrypt(v, C));
  }
  gun.secretCA = await SEA.secret(A.epub, C);
  gun.cert = await SEA.certify(A.pub, {'*': 'inbox'}, C);
  out.gun = gun;
  return out;
}

var input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', function(d){ input += d });
process.stdin.on('end', function(){
  main(JSON.parse(input)).then(function(out){
    process.stdout.write(JSON.stringify(out) + '\n', function(){ process.exit(0) });
  }, function(e){ process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1) });
});
