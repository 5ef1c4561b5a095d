// Writes 10,000 small nodes through a real Gun.js (0.2020.1241) with radisk at its default chunk size
// and waits for every put ack: the recipe of the yson-damaged-10k folder (nodes k0..k9999 =
// {n: i, t: "value-i"}). With a bounded number of puts in flight, radisk writes its one data file many
// times, re-reading it with its chunked JSON parser (lib/yson.js), which can damage the tree and write
// the damage back; how much varies from run to run (count the edges labelled "undefined" in `!`).
// usage: node write-10k.js <dir> [inFlight=100]   (gun must be resolvable, e.g. NODE_PATH=<prefix>/node_modules)
var dir = process.argv[2] || require('path').join(require('os').tmpdir(), 'radata-10k');
var inFlight = parseInt(process.argv[3] || '100', 10), n = 10000;
var Gun = require('gun');
var gun = Gun({file: dir, localStorage: false, multicast: false, stats: false, axe: false});
var next = 0, acked = 0, errors = 0, t0 = Date.now();
function putNext(){
  var i = next++;
  if (i >= n) return;
  gun.get('k' + i).put({n: i, t: 'value-' + i}, function(ack){
    if (ack.err) { errors++; console.error('ack error', ack.err) }
    if (++acked === n) {
      console.log('acked', n, 'puts,', errors, 'errors,', (Date.now() - t0) + 'ms');
      setTimeout(function(){ process.exit(errors ? 2 : 0) }, 300);
    } else {
      putNext();
    }
  });
}
for (var k = 0; k < inFlight; k++) putNext();
