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
//   node sea-users.js URL certify ALIAS PASSWORD CERTIFICANT_PUB PATH -> {"pub", "epub", "cert"}
//        (creates a user who certifies CERTIFICANT_PUB to write under ~pub/PATH: SEA.certify(pub, {'*': PATH}))
//   node sea-users.js URL cert-write ALIAS PASSWORD OWNER_PUB CERT PATH KEY TEXT -> {"pub", "acks"}
//        (auth, then puts TEXT at ~OWNER_PUB/PATH/KEY with {opt: {cert: CERT}} (ack 'cert'), the same
//        without the certificate at KEY-nocert (ack 'noCert'), and with it outside PATH (ack 'outside'))
//   node sea-users.js URL read-path PUB KEY...   -> {"value": ...}  (once of gun.user(PUB).get(KEY)...)
//   node sea-users.js URL change ALIAS OLD NEW   -> {"pub", "ack"}   (auth(alias, OLD, cb, {change: NEW}))
//   node sea-users.js URL try-login ALIAS PASSWORD -> {"pub", "epub", "alias"} or {"err"}
//   node sea-users.js URL login-pub PUB EPUB PASSWORD -> {"pub", "epub", "alias", "says"} or {"err"}
//        (auth({pub, epub}, PASSWORD): no alias lookup)
//   node sea-users.js URL legacy-account ALIAS PASSWORD -> {"pub", "epub", "auth", "modernOpens", "legacyOpens", "acks"}
//        (an account whose auth is in the pre-2019 encode:'utf8' form, made with real sea.js:
//        SEA.work(pass, salt, null, {encode:'utf8'}) and SEA.encrypt(.., {raw:1, encode:'utf8'});
//        written signed as create does: ~pub {pub, alias, epub, auth} and the ~@alias link)
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

// The first ack of put(data, cb, {opt: {cert}}), or {timeout:true}.
function certPut(chain, data, cert){
  return new Promise(function(res){
    var t = setTimeout(function(){ res({timeout: true}) }, WAIT), once = false;
    chain.put(data, function(ack){ if(once){ return } once = true; clearTimeout(t); res(ackOf(ack)) }, {opt: {cert: cert}});
  });
}

async function certify(alias, pass, certificant, path){
  var user = gun.user(), SEA = Gun.SEA;
  var created = await cb(function(r){ user.create(alias, pass, r) });
  if(created.err){ throw new Error('create: ' + created.err) }
  var authed = await cb(function(r){ user.auth(alias, pass, r) });
  if(authed.err){ throw new Error('auth: ' + authed.err) }
  var cert = await SEA.certify(certificant, {'*': path}, user._.sea);
  if(!cert){ throw new Error('certify failed') }
  return {pub: user.is.pub, epub: user.is.epub, cert: cert};
}

async function certWrite(alias, pass, owner, cert, path, key, text){
  var user = (await auth(alias, pass))[0], acks = {};
  acks.cert = await certPut(gun.get('~' + owner).get(path).get(key), text, cert);
  acks.noCert = await put(gun.get('~' + owner).get(path).get(key + '-nocert'), text);
  acks.outside = await certPut(gun.get('~' + owner).get('elsewhere-' + path).get(key), text, cert);
  return {pub: user.is.pub, acks: acks};
}

async function readPath(pub, keys){
  var chain = gun.user(pub);
  keys.forEach(function(k){ chain = chain.get(k) });
  return once(chain);
}

async function change(alias, oldPass, newPass){
  var user = gun.user();
  var ack = await new Promise(function(res){
    var t = setTimeout(function(){ res({timeout: true}) }, 30000);
    user.auth(alias, oldPass, function(a){ clearTimeout(t); res(a && a.err ? {err: String(a.err)} : ackOf(a)) }, {change: newPass});
  });
  return {pub: user.is ? user.is.pub : null, ack: ack};
}

async function tryLogin(alias, pass){
  var user = gun.user();
  var authed = await cb(function(r){ user.auth(alias, pass, r) });
  if(authed.err){ return {err: String(authed.err)} }
  return {pub: user.is.pub, epub: user.is.epub, alias: user.is.alias};
}

async function loginPub(pub, epub, pass){
  var user = gun.user();
  var authed = await cb(function(r){ user.auth({pub: pub, epub: epub}, pass, r) });
  if(authed.err){ return {err: String(authed.err)} }
  var has = !!(user._.sea && user._.sea.priv && user._.sea.epriv);
  return {pub: user.is.pub, epub: user.is.epub, alias: user.is.alias, keys: has, says: await once(user.get('says'))};
}

async function legacyAccount(alias, pass){
  var SEA = Gun.SEA, pair = await SEA.pair(), salt = String.random(64);
  var proof = await SEA.work(pass, salt, null, {encode: 'utf8'});
  var ek = await SEA.encrypt({priv: pair.priv, epriv: pair.epriv}, proof, null, {raw: 1, encode: 'utf8'});
  var auth = JSON.stringify({ek: ek, s: salt});
  // what sea.js itself makes of it: the current decoding fails, the legacy one opens it
  var modern = await SEA.decrypt(ek, await SEA.work(pass, salt));
  var legacy = await SEA.decrypt(ek, proof, null, {encode: 'utf8'});
  var user = gun.user();
  var authed = await cb(function(r){ user.auth(pair, r) });
  if(authed.err){ throw new Error('auth: ' + authed.err) }
  var acks = {}, link = {};
  acks.node = await put(gun.get('~' + pair.pub), {pub: pair.pub, alias: alias, epub: pair.epub, auth: auth});
  link['~' + pair.pub] = {'#': '~' + pair.pub};
  acks.alias = await put(gun.get('~@' + alias), link);
  acks.says = await put(user.get('says'), 'hello from a legacy account');
  return {pub: pair.pub, epub: pair.epub, auth: auth, acks: acks,
    modernOpens: !!(modern && modern.priv), legacyOpens: !!(legacy && legacy.priv === pair.priv)};
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
  : MODE === 'certify' ? certify(process.argv[4], process.argv[5], process.argv[6], process.argv[7])
  : MODE === 'cert-write' ? certWrite(process.argv[4], process.argv[5], process.argv[6], process.argv[7], process.argv[8], process.argv[9], process.argv[10])
  : MODE === 'read-path' ? readPath(process.argv[4], process.argv.slice(5))
  : MODE === 'change' ? change(process.argv[4], process.argv[5], process.argv[6])
  : MODE === 'try-login' ? tryLogin(process.argv[4], process.argv[5])
  : MODE === 'legacy-account' ? legacyAccount(process.argv[4], process.argv[5])
  : MODE === 'login-pub' ? loginPub(process.argv[4], process.argv[5], process.argv[6])
  : Promise.reject('unknown mode ' + MODE)).then(done, fail);
