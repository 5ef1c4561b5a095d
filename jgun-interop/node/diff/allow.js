// Deliberate differences between jgun and Gun.js that the differential tester accepts. Every entry
// is an entry of docs/compatibility.md with the same id; the tester shows how often each one matched.
'use strict';

function has(k, s){ return k.indexOf(s) >= 0 }
function fieldsOf(g){
  if(!g || 'object' !== typeof g){ return null }
  var out = {};
  Object.keys(g).forEach(function(soul){ Object.keys(g[soul]).forEach(function(k){ out[soul + '.' + k] = JSON.stringify(g[soul][k]) }) });
  return out;
}
function subset(a, b){ return Object.keys(a).every(function(k){ return b[k] === a[k] }) }

// a's fields all in b with the same values (objects: recursively; anything else: equal)
function within(a, b){
  if(a === undefined || a === '<undefined>' || a === 'not found'){ return true }
  if(a && b && 'object' === typeof a && 'object' === typeof b && !Array.isArray(a) && !Array.isArray(b)){
    return Object.keys(a).every(function(k){ return within(a[k], b[k]) });
  }
  return JSON.stringify(a) === JSON.stringify(b);
}
// a is b with some elements left out
function subsequence(a, b){
  a = a || []; b = b || [];
  var i = 0;
  for(var k = 0; k < b.length && i < a.length; k++){ if(JSON.stringify(a[i]) === JSON.stringify(b[k])){ i++ } }
  return i === a.length;
}

// the final graphs read through relay 0 and relay 1 are the same
function converged(obs){
  return Object.keys(obs).filter(function(k){ return k.indexOf('graph@relay0:') === 0 }).every(function(k){
    return JSON.stringify(obs[k]) === JSON.stringify(obs['graph@relay1:' + k.slice('graph@relay0:'.length)]);
  });
}

// a once() value of soul (or of soul.field) agrees with the final graph read through relay 0
function agrees(obs, soul, field, v){
  var g = obs['graph@relay0:' + soul];
  var n = g && 'object' === typeof g ? g['~/' + soul] : null;
  if(!n){ return false }
  var val = function(k){ return n[k] ? JSON.stringify(n[k][0]) : undefined };
  if(field){ return JSON.stringify(v) === val(field) }
  if(!v || 'object' !== typeof v){ return false }
  return Object.keys(n).every(function(k){ return JSON.stringify(v[k]) === val(k) || (v[k] === undefined && val(k) === 'null') });
}

// steps right after a disconnect step of the same peer whose put got no ack through Gun.js and an
// ack through jgun
function lostAfterReconnect(sc, ctx){
  var out = [];
  sc.steps.forEach(function(st, i){
    var prev = sc.steps[i - 1];
    if(!prev || prev.op !== 'disconnect' || prev.peer !== st.peer){ return }
    var k = i + ':' + st.op + '@' + st.peer;
    if(ctx.gunjs[k] === 'none' && ctx.jgun[k] === 'ok'){ out.push(i) }
  });
  return out;
}

// every field of a GET's answer ({'~/soul': {field: [value, state]}}) has the value of the final graph
function agreesGraph(obs, g){
  if(!g || 'object' !== typeof g){ return false }
  return Object.keys(g).every(function(soul){
    var f = obs['graph@relay0:' + soul.replace(/^~\//, '')];
    var n = f && 'object' === typeof f ? f[soul] : null;
    return !!n && Object.keys(g[soul]).every(function(k){ return n[k] && JSON.stringify(n[k][0]) === JSON.stringify(g[soul][k][0]) });
  });
}

var ENTRIES = [
  {id: 'D3', why: 'a lex GET is answered by radisk on a Gun.js relay with its first match only; jgun answers every match',
    test: function(d){
      if(!/rawGet@.*[{]/.test(d.key)){ return false }
      var g = fieldsOf(d.gunjs), j = fieldsOf(d.jgun);
      if(d.gunjs === 'not found' || d.gunjs === 'none'){ g = {} } // radisk may not answer at all
      if(d.gunjs === 'none' && d.jgun === 'not found'){ return true } // no match: jgun still answers
      return !!(g && j && Object.keys(g).length <= 1 && subset(g, j));
    }},
  {id: 'D7', why: 'a raw peer subscribed to a node writes to it: Gun.js sometimes pushes the write back to its author, jgun never does',
    test: function(d){
      var m = /^seq push@(r\d+):/.exec(d.key);
      if(!m){ return false }
      var own = function(seq){ return (seq || []).filter(function(e){ return !(Array.isArray(e) && String(e[1]).indexOf(m[1] + ':') === 0) }) };
      var g = own(d.gunjs), j = own(d.jgun);
      return JSON.stringify(g) === JSON.stringify(j) && (d.jgun || []).length < (d.gunjs || []).length;
    }},
  {id: 'D3', why: 'a Gun.js peer\'s lex on() over a node it has not loaded gets what the relay answers: the first match on Gun.js, every match on jgun',
    test: function(d){ return /^seq q\d+@g\d+:[^[]*[{]/.test(d.key) && subsequence(d.gunjs, d.jgun) }},
  {id: 'D8', why: 'in a mesh, jgun relays converge (puts replicated to dialed relays, GETs forwarded); a Gun.js mesh (AXE) passes on only what was asked for, so its peers may see less or stale values',
    test: function(d, sc, ctx){
      if(sc.relays < 2 || /ack|acks$/.test(d.key)){ return false }
      // only where jgun's relays agree on every node at the end
      if(!converged(ctx.jgun)){ return false }
      if(/^seq /.test(d.key)){ return subsequence(d.gunjs, d.jgun) }
      if(within(d.gunjs, d.jgun)){ return true }
      // a Gun.js peer's once() that is stale against the final graph (or Gun.js's relays ended with
      // different graphs), where jgun's agrees with jgun's converged final graph
      var m = /^\d+:once@g\d+:(\w+)(?:\.(\w+))?$/.exec(d.key);
      if(m){ return agrees(ctx.jgun, m[1], m[2], d.jgun) && (!converged(ctx.gunjs) || !agrees(ctx.gunjs, m[1], m[2], d.gunjs)) }
      // the final graph, where Gun.js's relays ended with different graphs: its mesh lost writes
      if(/^graph@/.test(d.key)){ return !converged(ctx.gunjs) }
      // a raw GET's answer that is stale against the final graph, where jgun's is not
      if(/(rawGet|putGet)@/.test(d.key)){
        return agreesGraph(ctx.jgun, d.jgun) && (!converged(ctx.gunjs) || !agreesGraph(ctx.gunjs, d.gunjs));
      }
      return false;
    }},
  {id: 'D12', why: 'a put through a mesh: every Gun.js relay that stored it acks it (the acks are routed back to the writer); jgun acks once, from the writer\'s relay',
    test: function(d, sc){ return sc.relays > 1 && / acks$/.test(d.key) && d.jgun === 1 && d.gunjs > 1 }},
  {id: 'D13', why: 'a Gun.js peer that just redialed a stock Gun.js relay may never send its next put (no ack, no push to subscribers); through jgun it is sent and acked',
    test: function(d, sc, ctx){
      var lost = lostAfterReconnect(sc, ctx);
      if(!lost.length){ return false }
      var m = /^(\d+):(put|link|set)@(g\d+)$/.exec(d.key);
      if(m){ return lost.indexOf(+m[1]) >= 0 }
      if(/^seq /.test(d.key)){ return subsequence(d.gunjs, d.jgun) }
      return false;
    }},
  {id: 'D14', why: 'fast updates of one field: Gun.js\'s relay pushes the value current when its 9 ms debounce fires, so a subscriber may miss updates written close together; jgun pushes every accepted put',
    test: function(d, sc){
      if(!/^seq /.test(d.key)){ return false }
      var fast = sc.steps.some(function(st){ return st.op === 'rapid' || (st.op === 'disconnect' && !st.spaced) });
      return fast && subsequence(d.gunjs, d.jgun);
    }},
  {id: 'D17', why: 'two peers racing on one field: through jgun they end with the same value; through a Gun.js relay under load they sometimes do not',
    test: function(d){ return / converged$/.test(d.key) && d.gunjs === false && d.jgun === true }},
  {id: 'D5', why: 'a put whose fields are all in the future: Gun.js never acks it, jgun acks it when it comes due',
    test: function(d){ return (has(d.key, 'future ack') && d.gunjs === 'none' && d.jgun === 'ok') || (has(d.key, 'future acks') && d.gunjs === 0 && d.jgun === 1) }}
];

// d: {key, gunjs, jgun}; returns the id of the first entry that explains the difference, or null.
// ctx: {gunjs, jgun}: the whole observations of a Gun.js run and of the jgun run.
function match(d, sc, ctx){
  for(var i = 0; i < ENTRIES.length; i++){ if(ENTRIES[i].test(d, sc, ctx)){ return ENTRIES[i].id } }
  return null;
}

module.exports = {match: match, ENTRIES: ENTRIES};
