// Generates jgun-sea/src/test/resources/legacy-sea.json (LegacySeaTest): pre-2019 SEA forms that the
// real sea.js 0.2020.1241 still accepts. The encode:'utf8' ciphertext is made by SEA.encrypt itself; the
// legacy signatures by WebCrypto (SEA.sign no longer makes them), then checked with SEA.verify.
//   cd jgun-interop/node && node legacy-fixtures.js > ../../jgun-sea/src/test/resources/legacy-sea.json
console.log = function(){};
var Gun = require('gun/gun.js'); require('gun/sea.js'); var SEA = Gun.SEA;
var wc = require('crypto').webcrypto;
(async function(){
  var pair = await SEA.pair();
  var out = {pair: pair};
  // decryptUtf8: real SEA.encrypt with encode:'utf8'
  out.utf8Enc = await SEA.encrypt({hello: 'wörld', n: 1}, 'legacy key', null, {raw: 1, encode: 'utf8'});
  out.utf8Dec = await SEA.decrypt(out.utf8Enc, 'legacy key', null, {encode: 'utf8'});
  out.utf8DecDefault = await SEA.decrypt(out.utf8Enc, 'legacy key'); // SEA's own fallback
  // legacy signatures, made with WebCrypto (sea.js no longer produces them)
  var jwk = {kty: 'EC', crv: 'P-256', x: pair.pub.split('.')[0], y: pair.pub.split('.')[1], d: pair.priv, ext: true};
  var key = await wc.subtle.importKey('jwk', jwk, {name: 'ECDSA', namedCurve: 'P-256'}, false, ['sign']);
  async function sig(text){
    var h = new Uint8Array(await wc.subtle.digest('SHA-256', new TextEncoder().encode(text)));
    return new Uint8Array(await wc.subtle.sign({name: 'ECDSA', hash: 'SHA-256'}, key, h));
  }
  var b64 = function(u){ return Buffer.from(u).toString('base64') };
  var latin = function(u){ return Array.from(u, function(b){ return String.fromCharCode(b) }).join('') };
  // (a) buggy hash of String(parse(m)): an object signs "[object Object]", an array "1,x,", a JSON string its parsed value
  out.objA = 'SEA' + JSON.stringify({m: {a: 1, b: 'x'}, s: b64(await sig('[object Object]'))});
  out.arrA = 'SEA' + JSON.stringify({m: [1, 'x', null], s: b64(await sig('1,x,'))});
  out.strA = 'SEA' + JSON.stringify({m: '"quoted"', s: b64(await sig('quoted'))});
  // (b) the signature as one character per byte
  out.strB = 'SEA' + JSON.stringify({m: 'hello', s: latin(await sig('hello'))});
  out.objB = 'SEA' + JSON.stringify({m: {a: 1}, s: latin(await sig('[object Object]'))});
  // what real SEA.verify says
  out.verified = {};
  for (var k of ['objA', 'arrA', 'strA', 'strB', 'objB']) {
    var r = await SEA.verify(out[k], pair.pub);
    out.verified[k] = r === undefined ? {undefined: true} : r;
    var o = await SEA.verify(out[k], (await SEA.pair()).pub);
    out.verified[k + 'OtherPub'] = o === undefined ? {undefined: true} : o;
  }
  // the same objA signature on a different object also verifies: the legacy form binds nothing
  var j = JSON.parse(out.objA.slice(3)); j.m = {evil: true};
  var e = await SEA.verify('SEA' + JSON.stringify(j), pair.pub);
  out.verified.objAOtherObject = e === undefined ? {undefined: true} : e;
  process.stdout.write(JSON.stringify(out, null, 1) + '\n', function(){ process.exit(0) });
})();
