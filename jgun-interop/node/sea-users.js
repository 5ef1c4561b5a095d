// Gun.js users (the browser build: gun/gun.js + gun/sea.js, no YSON) writing and reading signed data
// through one relay, and a plain Gun.js client (no SEA) trying to forge it. Driven by
// SeaUsersInteropTest; one scenario per process, one JSON line of result on stdout.
//
//   node sea-users.js URL write ALIAS PASSWORD   -> {"pub": ..., "acks": {...}}
//   node sea-users.js URL forge PUB              -> {"acks": {...}}        (no SEA loaded)
//   node sea-users.js URL read PUB               -> {"values": {...}}
//   node sea-users.js URL login ALIAS PASSWORD   -> {"pub", "epub", "values": {...}, "acks": {...}}
//        (auth only, e.g. into an account a Java client created; reads it, writes 'fromJs')
//   node sea-users.js URL secret-write ALIAS PASSWORD OTHER_EPUB TEXT -> {"pub", "enc", "acks"}
//        (encrypts TEXT with SEA.secret(OTHER_EPUB, own pair), stores it at the own 'secret')
//   node sea-users.js URL secret-read ALIAS PASSWORD OTHER_PUB -> {"enc", "plain"}
//        (reads OTHER_PUB's 'secret' and epub, decrypts with SEA.secret(their epub, own pair))
//
// Every wait has a timeout; a missing ack is reported as {"timeout": true}.
'use strict';
console.log = console.info = console.warn = function(){ process.stderr.write(require('util').format.apply(null, arguments) + '\n') };
var URL = process.argv[2], MODE = process.argv[3];
var Gun = require('gun/gun.js');
if('forge' !== MODE){ require('gun/sea.js') }
var WebSocket = require('ws');
var gun = Gun({peers: [URL], WebSocket: WebSocket, localStorage: false});
var WAIT = 10000;

function done(o){ process.stdout.write(JSON.stringify(o) + '\n', function(){ process.exit(0) }) }
function fail(e){ process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1) }
function ackOf(ack){ return ack && ack.err ? {err: String(ack.err)} : {ok: ack && ack.ok !== undefined ? ack.ok : null} }
// The first ack of a put, or {timeout:true}.
function put(chain, data){
  return new Promise(function(res){
    var t = setTimeout(function(){ res({timeout: true}) }, WAIT), once = false;
    chain.put(data, function(ack){ if(once){ return } once = true; clearTimeout(t); res(ackOf(ack)) });
  });
}
function once(chain){
  return new Promise(function(res){
    var t = setTimeout(function(){ res({timeout: true}) }, WAIT);
    chain.once(function(v){ clearTimeout(t); res({value: v === undefined ? {undefined: true} : v}) }, {wait: 2000});
  });
}
function cb(f){ return new Promise(function(res){ f(res) }) }

async function write(alias, pass){
  var user = gun.user();
  var created = await cb(function(r){ user.create(alias, pass, r) });
  if(created.err){ throw new Error('create: ' + created.err) }
  var authed = await cb(function(r){ user.auth(alias, pass, r) });
  if(authed.err){ throw new Error('auth: ' + authed.err) }
  var acks = {};
  acks.says = await put(user.get('says'), 'hello from a Gun.js user');
  acks.name = await put(user.get('profile').get('name'), 'Alice');
  acks.age = await put(user.get('profile').get('age'), 30);
  return {pub: user.is.pub, epub: user.is.epub, acks: acks};
}

async function auth(alias, pass){
  var user = gun.user();
  var authed = await cb(function(r){ user.auth(alias, pass, r) });
  if(authed.err){ throw new Error('auth: ' + authed.err) }
  return [user]; // not the chain itself: with sea.js a chain is a thenable, which await would unwrap
}

async function login(alias, pass){
  var user = (await auth(alias, pass))[0], values = {}, acks = {};
  values.says = await once(user.get('says'));
  values.name = await once(user.get('profile').get('name'));
  values.alias = await once(user.get('alias'));
  acks.fromJs = await put(user.get('fromJs'), 'written by Gun.js');
  return {pub: user.is.pub, epub: user.is.epub, values: values, acks: acks};
}

async function secretWrite(alias, pass, otherEpub, text){
  var user = (await auth(alias, pass))[0], SEA = Gun.SEA;
  var key = await SEA.secret(otherEpub, user._.sea);
  var enc = await SEA.encrypt(text, key);
  var acks = {secret: await put(user.get('secret'), enc)};
  return {pub: user.is.pub, enc: enc, acks: acks};
}

async function secretRead(alias, pass, otherPub){
  var user = (await auth(alias, pass))[0], SEA = Gun.SEA;
  var enc = await once(gun.user(otherPub).get('secret'));
  var epub = await once(gun.user(otherPub).get('epub'));
  if(!enc.value || !epub.value){ return {enc: enc, epub: epub} }
  var key = await SEA.secret(epub.value, user._.sea);
  var plain = await SEA.decrypt(enc.value, key);
  return {enc: enc.value, epub: epub.value, plain: plain === undefined ? {undefined: true} : plain};
}

async function forge(pub){
  var acks = {};
  acks.says = await put(gun.get('~' + pub).get('says'), 'Mallory was here');
  acks.pub = await put(gun.get('~' + pub).get('pub'), 'not the owner');
  acks.fakeSig = await put(gun.get('~' + pub).get('name'), JSON.stringify({':': 'Mallory', '~': 'AAAA'}));
  return {acks: acks};
}

async function read(pub){
  var u = gun.user(pub), values = {};
  values.says = await once(u.get('says'));
  values.name = await once(u.get('profile').get('name'));
  values.age = await once(u.get('profile').get('age'));
  values.alias = await once(u.get('alias'));
  values.fromJava = await once(u.get('fromJava'));
  return {values: values};
}

setTimeout(function(){ fail('scenario ' + MODE + ' took too long') }, 60000).unref();
(MODE === 'write' ? write(process.argv[4], process.argv[5])
  : MODE === 'forge' ? forge(process.argv[4])
  : MODE === 'read' ? read(process.argv[4])
  : MODE === 'login' ? login(process.argv[4], process.argv[5])
  : MODE === 'secret-write' ? secretWrite(process.argv[4], process.argv[5], process.argv[6], process.argv[7])
  : MODE === 'secret-read' ? secretRead(process.argv[4], process.argv[5], process.argv[6])
  : Promise.reject('unknown mode ' + MODE)).then(done, fail);
